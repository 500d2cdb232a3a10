import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Influxd } from '@kibotics/test-kit/influxd';
import { realCorpus } from '../harness/corpus.js';
import { TestGateway } from '../harness/gateway.js';

const DB = 'kibotics_contract_test';
let influx: Influxd;
let gateway: TestGateway;
const rows = (q: string) => influx.rows(q, DB);
const t0 = Date.UTC(2020, 0, 17, 12, 0, 0);

before(async () => {
  influx = await Influxd.start();
  gateway = await TestGateway.start({ INFLUX_URL: influx.url, INFLUX_DB: DB });
});
after(async () => {
  await gateway?.stop();
  await influx?.stop();
});

describe('names survive line protocol exactly, and nothing can inject a line', () => {
  const names = [
    'José María Pérez',
    'a,b',
    'a=b',
    'key=value,other=1 count=2i',
    'say "hi"',
    "o'brien",
    'back\\slash',
    'ends with backslash\\',
    '🤖 robot',
    'ünïcödé ñ',
    ' spaced ',
  ];

  test('each name is stored as its own tag value', async () => {
    const r = await gateway.post(names.map((user, i) => ({ type: 'session_start', time: t0 + i, user, group: user })));
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.accepted, names.length);
    await gateway.drained();
    const stored = await rows(
      'SELECT "count", "user", "group" FROM "session_start" WHERE time >= ' +
        t0 * 1e6 +
        ' AND time < ' +
        (t0 + 1000) * 1e6
    );
    assert.equal(stored.length, names.length, 'one point per event, no extra line');
    // InfluxDB 1.x cannot store a trailing backslash: it becomes ＼ (README "Schema").
    const expected = names.map((n) => n.trim().replace(/\\$/, '\uff3c')).sort();
    assert.deepEqual(stored.map((s) => s.user).sort(), expected);
    assert.deepEqual(stored.map((s) => s.group).sort(), expected);
  });

  test('a newline in a name is refused, in a message it becomes a space', async () => {
    const r = await gateway.post([
      { type: 'session_start', time: t0, user: 'x\nsession_start,user=injected count=1i' },
      { type: 'error', time: t0 + 5, message: 'line one\nerror,status=999 count=1i 0', path: '/p' },
    ]);
    assert.equal(r.status, 202);
    assert.deepEqual(r.body.rejected, [{ index: 0, error: 'user: contains control characters' }]);
    await gateway.drained();
    assert.deepEqual(await rows(`SELECT * FROM "session_start" WHERE "user" = 'injected'`), []);
    const errors = await rows(`SELECT "message", "status" FROM "error"`);
    assert.deepEqual(
      errors.map((e) => [e.message, e.status]),
      [['line one error,status=999 count=1i 0', '500']]
    );
  });
});

describe('the HTTP contract', () => {
  test('NDJSON: each line is an event; a broken line costs only itself', async () => {
    const body = [
      JSON.stringify({ type: 'visit', time: t0 + 100, path: '/a' }),
      '{"type": "visit", "time": ',
      '',
      JSON.stringify({ type: 'visit', time: t0 + 101, path: '/b' }),
    ].join('\n');
    const r = await gateway.post(body, 'application/x-ndjson');
    assert.equal(r.status, 202);
    assert.equal(r.body.accepted, 2);
    assert.equal(r.body.rejected.length, 1);
    assert.equal(r.body.rejected[0].index, 1);
    assert.match(r.body.rejected[0].error, /^line 2: not valid JSON/);
  });

  test('one object, or an array; 400 with the same shape when nothing is usable', async () => {
    const one = await gateway.post({ type: 'visit', time: t0 + 200 });
    assert.deepEqual([one.status, one.body.accepted], [202, 1]);
    const none = await gateway.post([{ type: 'visit', time: 'yesterday' }, { type: 'session_start' }]);
    assert.equal(none.status, 400);
    assert.deepEqual(none.body, {
      accepted: 0,
      rejected: [
        { index: 0, error: 'time: must be RFC 3339 with an offset (2020-01-31T10:15:00+01:00) or epoch milliseconds' },
        { index: 1, error: 'user: is required for session_start events' },
      ],
    });
  });

  test('malformed JSON is a 400 that says so', async () => {
    const r = await gateway.post('{"type": "visit",');
    assert.equal(r.status, 400);
    assert.match(r.body.rejected[0].error, /^body is not valid JSON/);
  });

  test('the same events posted twice are stored once', async () => {
    const events = [
      { type: 'simulation_start', time: t0 + 300, user: 'dup', simulation_type: 'simulator', exercise: 'dedup_ex' },
      { type: 'simulation_end', time: t0 + 60_300, user: 'dup', simulation_type: 'simulator', exercise: 'dedup_ex' },
    ];
    const first = await gateway.post(events);
    const second = await gateway.post(events);
    assert.deepEqual([first.body.accepted, first.body.duplicates], [2, 0]);
    assert.deepEqual(
      [second.body.accepted, second.body.duplicates],
      [0, 2],
      'accepted counts only what is newly stored'
    );
    await gateway.drained();
    const [sum] = await rows(
      `SELECT sum("starts") AS s, sum("ends") AS e, sum("minutes") AS m FROM "rollups"."simulations_15m" WHERE "exercise" = 'dedup_ex'`
    );
    assert.deepEqual([sum?.s, sum?.e, sum?.m], [1, 1, 1]);
    const [raw] = await rows(`SELECT count("count") AS n FROM "simulation_end" WHERE "exercise" = 'dedup_ex'`);
    assert.equal(raw?.n, 1);
  });

  test('healthz says what waits and whether InfluxDB answers', async () => {
    const h = await gateway.health();
    assert.equal(h.status, 'ok');
    assert.equal(h.influxdb.reachable, true);
    assert.equal(typeof h.spool.lines, 'number');
  });
});

describe('pairing survives a restart of the gateway', () => {
  test('a start before the restart pairs with an end after it', async () => {
    await gateway.post({ type: 'session_start', time: t0 + 400, user: 'restart_user' });
    await gateway.restart();
    await gateway.post({ type: 'session_end', time: t0 + 400 + 90_000, user: 'restart_user', reason: 'inactivity' });
    await gateway.drained();
    const [end] = await rows(`SELECT "duration_s", "reason" FROM "session_end" WHERE "user" = 'restart_user'`);
    assert.deepEqual([end?.duration_s, end?.reason], [90, 'inactivity']);
  });
});

const corpus = realCorpus();
describe("real user agents from Kibotics' logs", { skip: 'skip' in corpus && corpus.skip }, () => {
  const agents = new Set<string>();
  const dir = 'dir' in corpus ? corpus.dir : undefined;
  for (const folder of dir === undefined ? [] : ['temporalDir', 'FINAL']) {
    for (const file of readdirSync(join(dir!, folder))) {
      for (const line of readFileSync(join(dir!, folder, file), 'utf8').split('\n')) {
        const fields = line.split(' | ');
        const ua =
          fields[0] === '1' || fields[0] === '2'
            ? fields[4]
            : fields[0] === '3' || fields[0] === '4'
              ? fields[8]
              : undefined;
        if (ua?.trim()) agents.add(ua.trim());
      }
    }
  }

  test('every distinct agent is accepted and tagged; crawlers are flagged', async () => {
    assert.ok(agents.size > 50, `found ${agents.size} agents in the corpus`);
    const list = [...agents];
    const r = await gateway.post(list.map((user_agent, i) => ({ type: 'visit', time: t0 + 1000 + i, user_agent })));
    assert.equal(r.body.accepted, list.length, JSON.stringify(r.body.rejected.slice(0, 3)));
    await gateway.drained();
    const visits = await rows(
      `SELECT "count", "os", "browser", "device", "bot" FROM "visit" WHERE time >= ${(t0 + 1000) * 1e6}`
    );
    assert.equal(visits.length, list.length);
    const bots = visits.filter((v) => v.bot === 'true');
    assert.ok(bots.length > 0 && bots.every((b) => b.device === 'bot'), 'crawlers are flagged and their device is bot');
    const known = visits.filter((v) => v.bot === 'false' && v.browser !== 'unknown' && v.os !== 'unknown');
    assert.ok(
      known.length / (visits.length - bots.length) > 0.9,
      `${known.length} of ${visits.length - bots.length} browsers recognised`
    );
    const browsers = new Set(visits.map((v) => v.browser));
    for (const b of ['Chrome', 'Firefox']) assert.ok(browsers.has(b), `${b} among ${[...browsers].join(', ')}`);
  });
});
