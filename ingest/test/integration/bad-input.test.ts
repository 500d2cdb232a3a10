import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';

/**
 * Hostile and broken requests: each gets the right status and a message naming the problem, the
 * valid events beside them are stored, nothing corrupt reaches InfluxDB, the gateway stays up.
 */

const DB = 'kibotics_bad_input';
const TOKEN = 'test-token-0123456789';
const MAX_BODY = 64 * 1024;
let influx: Influxd;
let gateway: TestGateway;

before(async () => {
  influx = await Influxd.start();
  gateway = await TestGateway.start({
    INFLUX_URL: influx.url,
    INFLUX_DB: DB,
    INGEST_TOKENS: `other-token, ${TOKEN}`,
    MAX_BODY_BYTES: String(MAX_BODY),
    MAX_EVENTS_PER_REQUEST: '100',
  });
});
after(async () => {
  await gateway?.stop();
  await influx?.stop();
});

const t0 = Date.UTC(2020, 1, 4, 10);
let serial = 0;
/** A valid event with a unique marker, to check it was stored beside the bad ones. */
const good = () => ({ type: 'visit', time: t0 + serial++, path: `/good/${serial}` });
const ndjson = (...lines: string[]) => lines.join('\n');
const deep = (n: number) => '['.repeat(n) + ']'.repeat(n);

interface Case {
  name: string;
  body: string | Buffer<ArrayBuffer>;
  contentType?: string;
  auth?: string | null;
  status: number;
  /** The error expected (first rejection, or the one at `index`). */
  error?: RegExp;
  index?: number;
  /** Valid events in the body that must be stored. */
  accepted?: number;
}

const json = (v: unknown) => JSON.stringify(v);
const withGood = (bad: unknown) => json([bad, good()]);

const CASES: Case[] = [
  { name: 'malformed JSON', body: '{"type": "visit",', status: 400, error: /^body is not valid JSON/ },
  { name: 'empty body', body: '', status: 400, error: /^body is empty/ },
  { name: 'empty array', body: '[]', status: 400, error: /^body holds no events/ },
  { name: 'JSON null', body: 'null', status: 400, error: /^event: must be a JSON object, got null/ },
  { name: 'a bare number', body: '42', status: 400, error: /^event: must be a JSON object, got number/ },
  { name: 'a bare string', body: '"visit"', status: 400, error: /^event: must be a JSON object, got string/ },
  {
    name: 'truncated NDJSON',
    body: ndjson(json(good()), '{"type":"visit","ti'),
    contentType: 'application/x-ndjson',
    status: 202,
    index: 1,
    error: /^line 2: not valid JSON/,
    accepted: 1,
  },
  {
    name: 'NDJSON with a non-object line',
    body: ndjson('[1,2]', json(good())),
    contentType: 'application/x-ndjson',
    status: 202,
    error: /^event: must be a JSON object, got an array/,
    accepted: 1,
  },
  {
    name: 'a body over the size limit',
    body: json([{ type: 'visit', path: 'x'.repeat(MAX_BODY) }]),
    status: 413,
    error: /^body larger than 65536 bytes/,
  },
  {
    name: 'too many events',
    body: json(Array.from({ length: 101 }, () => ({ type: 'visit' }))),
    status: 413,
    error: /^too many events in one request: 101, at most 100/,
  },
  {
    name: 'deep nesting in a field',
    body: `[{"type":"visit","path":${deep(5000)}},${json(good())}]`,
    status: 202,
    error: /^path: must be a string, got an array/,
    accepted: 1,
  },
  {
    name: 'deep nesting as the body',
    body: deep(30_000),
    status: 400,
    error: /^event: must be a JSON object, got an array/,
  },
  { name: 'unknown type', body: withGood({ type: 'Visit' }), status: 202, error: /^type: must be one of/, accepted: 1 },
  { name: 'missing type', body: withGood({ user: 'ana' }), status: 202, error: /^type: is required/, accepted: 1 },
  {
    name: 'a number as the user',
    body: withGood({ type: 'session_start', user: 7 }),
    status: 202,
    error: /^user: must be a string, got number/,
    accepted: 1,
  },
  {
    name: 'an operator object as the user',
    body: withGood({ type: 'session_start', user: { $ne: null } }),
    status: 202,
    error: /^user: must be a string, got an object/,
    accepted: 1,
  },
  {
    name: 'a boolean as the time',
    body: withGood({ type: 'visit', time: false }),
    status: 202,
    error: /^time: must be an RFC 3339 string/,
    accepted: 1,
  },
  {
    name: 'a time far in the future',
    body: withGood({ type: 'visit', time: Date.now() + 86_400_000 }),
    status: 202,
    error: /^time: is more than 5 minutes in the future/,
    accepted: 1,
  },
  {
    name: 'a time in seconds',
    body: withGood({ type: 'visit', time: 1580810000 }),
    status: 202,
    error: /^time: is before 2010-01-01/,
    accepted: 1,
  },
  {
    name: 'an impossible date',
    body: withGood({ type: 'visit', time: '2020-13-45T99:00:00Z' }),
    status: 202,
    error: /^time: is not a real date/,
    accepted: 1,
  },
  // Date.parse rolls these over to the next day; they must be refused, not stored a day off.
  ...[
    '2024-02-30T10:00:00Z',
    '2023-02-31T10:00:00Z',
    '2024-06-01T24:00:00Z',
    '2025-11-31T10:00:00+01:00',
    '2026-02-29T10:00:00Z',
  ].map((time) => ({
    name: `an impossible date ${time}`,
    body: withGood({ type: 'visit', time, path: '/impossible' }),
    status: 202,
    error: /^time: is not a real date$/,
    accepted: 1,
  })),
  {
    name: 'an unknown field',
    body: withGood({ type: 'visit', colour: 'red' }),
    status: 202,
    error: /^colour: is not a known field/,
    accepted: 1,
  },
  {
    name: 'a field of another type',
    body: withGood({ type: 'session_start', user: 'a', exercise: 'x' }),
    status: 202,
    error: /^exercise: is not a field of session_start events/,
    accepted: 1,
  },
  {
    name: '__proto__ as a field',
    body: '[{"type":"visit","__proto__":{"admin":true}},' + json(good()) + ']',
    status: 202,
    error: /^__proto__: is not a known field/,
    accepted: 1,
  },
  {
    name: 'a newline in the user (line-protocol injection)',
    body: withGood({ type: 'session_start', user: 'x\nsession_start,user=evil count=1i' }),
    status: 202,
    error: /^user: contains control characters/,
    accepted: 1,
  },
  {
    name: 'a NUL in the group',
    body: withGood({ type: 'session_start', user: 'a', group: 'g\u0000' }),
    status: 202,
    error: /^group: contains control characters/,
    accepted: 1,
  },
  {
    name: 'a tab in the exercise',
    body: withGood({ type: 'simulation_start', user: 'a', simulation_type: 'websim', exercise: 'a\tb' }),
    status: 202,
    error: /^exercise: contains control characters/,
    accepted: 1,
  },
  {
    name: 'a simulation without exercise',
    body: withGood({ type: 'simulation_start', user: 'a', simulation_type: 'websim' }),
    status: 202,
    error: /^exercise: is required for simulation_start events/,
    accepted: 1,
  },
  {
    name: 'a user too long',
    body: withGood({ type: 'session_start', user: 'u'.repeat(200) }),
    status: 202,
    error: /^user: longer than 150 characters/,
    accepted: 1,
  },
  {
    name: 'a user agent too long',
    body: withGood({ type: 'visit', user_agent: 'Mozilla/5.0 '.repeat(200) }),
    status: 202,
    error: /^user_agent: longer than 1024 characters/,
    accepted: 1,
  },
  {
    name: 'not an IP address',
    body: withGood({ type: 'visit', client_ip: '300.1.1.1' }),
    status: 202,
    error: /^client_ip: is not an IPv4 or IPv6 address/,
    accepted: 1,
  },
  {
    name: 'a status out of range',
    body: withGood({ type: 'error', status: 1000 }),
    status: 202,
    error: /^status: must be an HTTP status code/,
    accepted: 1,
  },
  {
    name: 'invalid UTF-8 in a JSON body',
    body: Buffer.concat([Buffer.from('[{"type":"visit","path":"/'), Buffer.from([0xc3, 0x28]), Buffer.from('"}]')]),
    status: 400,
    error: /^body is not valid UTF-8/,
  },
  {
    name: 'invalid UTF-8 on one NDJSON line',
    body: Buffer.concat([
      Buffer.from('{"type":"visit","path":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}\n' + json(good())),
    ]),
    contentType: 'application/x-ndjson',
    status: 202,
    error: /^line 1: not valid UTF-8/,
    accepted: 1,
  },
  {
    name: 'line-protocol metacharacters in names are data, not syntax',
    body: json([{ type: 'session_start', time: t0 + 9000, user: 'a b,c=d"e\\', group: 'x=1,y=2 z' }]),
    status: 202,
    accepted: 1,
  },
  {
    name: 'a lone surrogate is repaired, not refused',
    body: '[{"type":"session_start","time":' + (t0 + 9001) + ',"user":"ab\\ud800"}]',
    status: 202,
    accepted: 1,
  },
  {
    name: 'a missing token',
    body: json([good()]),
    auth: null,
    status: 401,
    error: /^Authorization: a Bearer token is required/,
  },
  {
    name: 'a wrong token',
    body: json([good()]),
    auth: 'Bearer not-the-token',
    status: 401,
    error: /^Authorization: unknown token/,
  },
  {
    name: 'a token of the wrong scheme',
    body: json([good()]),
    auth: `Basic ${TOKEN}`,
    status: 401,
    error: /^Authorization: a Bearer token is required/,
  },
];

describe('a table of bad inputs', () => {
  for (const c of CASES) {
    test(`${c.name} → ${c.status}`, async () => {
      const headers: Record<string, string> = { 'Content-Type': c.contentType ?? 'application/json' };
      if (c.auth !== null) headers.Authorization = c.auth ?? `Bearer ${TOKEN}`;
      const response = await fetch(`${gateway.url}/v1/events`, { method: 'POST', headers, body: c.body });
      const body = (await response.json()) as { accepted: number; rejected: Array<{ index: number; error: string }> };
      assert.equal(response.status, c.status, JSON.stringify(body).slice(0, 300));
      assert.equal(body.accepted, c.accepted ?? 0);
      if (c.error) {
        const rejection = c.index === undefined ? body.rejected[0] : body.rejected.find((r) => r.index === c.index);
        assert.ok(rejection, `a rejection in ${JSON.stringify(body)}`);
        assert.match(rejection.error, c.error);
      }
    });
  }

  test('there are at least 30 cases', () => assert.ok(CASES.length >= 30, `${CASES.length} cases`));

  test('the valid events beside them are stored, and nothing corrupt reached InfluxDB', async () => {
    assert.equal((await gateway.health()).status, 'ok', 'the gateway is up and healthy');
    await gateway.drained();
    const goodCount = CASES.reduce((n, c) => n + (c.status === 202 ? (c.accepted ?? 0) : 0), 0);
    const stored = await influx.rows(`SELECT "path" FROM "visit" WHERE "path" =~ /^\\/good\\//`, DB);
    assert.equal(
      stored.length,
      goodCount - 2,
      'every valid visit is stored (the two session_start cases are not visits)'
    );
    assert.deepEqual(
      await influx.rows(`SELECT "path" FROM "visit" WHERE "path" = '/impossible'`, DB),
      [],
      'no impossible date was stored on another day'
    );
    const measurements = (await influx.query('SHOW MEASUREMENTS', DB))[0]!.values.flat();
    for (const m of measurements)
      assert.match(
        String(m),
        /^(session_start|session_end|simulation_start|simulation_end|visit|error|sessions_15m|simulations_15m|visits_15m|visit_totals_15m|errors_15m|groups_15m|group_exercises_15m|active_days|group_active_days|session_lengths|session_lengths_15m|gateway)$/
      );
    const users = (await influx.query('SHOW TAG VALUES FROM "session_start" WITH KEY = "user"', DB))[0]!.values.map(
      (v) => v[1]
    );
    assert.deepEqual(users.sort(), ['a b,c=d"e\uff3c', 'ab\ufffd'].sort());
    const groups = (await influx.query('SHOW TAG VALUES FROM "session_start" WITH KEY = "group"', DB))[0]!.values.map(
      (v) => v[1]
    );
    assert.deepEqual(groups, ['x=1,y=2 z']);
  });
});
