import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { FAILURE_BURST, FAILURE_REFILL_S } from '../../src/http/auth.js';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { waitFor } from '@kibotics/test-kit/ports';

/** One rule for text on both ingest endpoints, a log that names what it refused, and token guessing slowed: on the real gateway process. */

const TOKEN = 'inputs-token-0123456789';
const DB = 'inputs_rules';
let influx: Influxd;
let gateway: GatewayProcess;
before(async () => {
  influx = await Influxd.start();
  gateway = await GatewayProcess.start({
    INFLUX_URL: influx.url,
    INFLUX_DB: DB,
    INGEST_TOKENS: TOKEN,
    RETRY_MAX_MS: '300',
  });
});
after(async () => {
  await gateway?.stop();
  await influx?.stop();
});

const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0';
const post = (
  path: string,
  body: string | Buffer<ArrayBuffer>,
  headers: Record<string, string> = {},
  token: string | null = TOKEN
) =>
  fetch(`${gateway.url}${path}`, {
    method: 'POST',
    headers: { ...(token ? { Authorization: `Bearer ${token}` } : {}), ...headers },
    body,
  });

describe('invalid UTF-8: one rule for /v1/events and /v1/logs', () => {
  test('/v1/logs refuses the broken line by number and stores the others, never a U+FFFD', async () => {
    const good = `1 | 21/01/2020 10:00:00 | utf8_ok | 198.51.100.1 | ${UA}`;
    const broken = Buffer.concat([
      Buffer.from('1 | 21/01/2020 10:05:00 | utf8_'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(` | 198.51.100.2 | ${UA}`),
    ]);
    const response = await post('/v1/logs', Buffer.concat([Buffer.from(`${good}\n`), broken, Buffer.from('\n')]));
    const body = (await response.json()) as any;
    assert.equal(response.status, 202, JSON.stringify(body));
    assert.equal(body.accepted, 1);
    assert.deepEqual(body.rejected, [{ line: 2, error: 'line 2: not valid UTF-8' }]);

    const ndjson = Buffer.concat([
      Buffer.from('{"type":"session_start","time":1579600000000,"user":"utf8_'),
      Buffer.from([0xff]),
      Buffer.from('"}\n{"type":"session_start","time":1579600000001,"user":"utf8_fine"}\n'),
    ]);
    const events = await post('/v1/events', ndjson, { 'Content-Type': 'application/x-ndjson' });
    const eventsBody = (await events.json()) as any;
    assert.equal(eventsBody.accepted, 1);
    assert.equal(eventsBody.rejected[0].error, 'line 1: not valid UTF-8', 'the same words on both endpoints');

    await gateway.drained();
    const users = (
      (await influx.query('SHOW TAG VALUES FROM "session_start" WITH KEY = "user"', DB))[0]?.values ?? []
    ).map((v) => String(v[1]));
    assert.deepEqual(users.sort(), ['utf8_fine', 'utf8_ok']);
    assert.ok(!users.some((u) => u.includes('\ufffd')));
  });
});

describe('the log names what was refused', () => {
  test('each request line lists the rejected fields (names from a fixed set, no values)', async () => {
    const before = gateway.output.length;
    const response = await post(
      '/v1/events',
      JSON.stringify([
        { type: 'visit', time: '2024-02-30T10:00:00Z' },
        { type: 'visit', colour: 'red-secret-value' },
        { type: 'session_start' },
        { type: 'visit', time: 1579600000002 },
      ]),
      { 'Content-Type': 'application/json' }
    );
    assert.equal(response.status, 202);
    const requestLine = () =>
      gateway.output
        .slice(before)
        .split('\n')
        .find((l) => l.includes('"path":"/v1/events"'));
    await waitFor('the request line in the log', async () => requestLine() !== undefined, 5000, 50);
    const line = requestLine()!;
    const logged = JSON.parse(line);
    assert.equal(logged.rejected, 3);
    assert.deepEqual(logged.rejected_fields, ['time', 'unknown_field', 'user']);
    assert.ok(!line.includes('red-secret-value') && !line.includes('colour'), 'no client text in the log');
  });
});

describe('failed authentication is rate-limited per source address', () => {
  test(`after ${FAILURE_BURST} failures an address gets 429 with Retry-After, even with the right token (no oracle)`, async () => {
    for (let i = 0; i < FAILURE_BURST; i++) {
      const r = await post('/v1/events', '{"type":"visit"}', {}, `guess-${i}`);
      assert.equal(r.status, 401, `attempt ${i + 1}`);
    }
    const limited = await post('/v1/events', '{"type":"visit"}', {}, 'guess-more');
    assert.equal(limited.status, 429);
    assert.match(
      ((await limited.json()) as any).rejected[0].error,
      /^Authorization: too many failed attempts from this address; try again in \d+ s$/
    );
    const retryAfter = Number(limited.headers.get('retry-after'));
    assert.ok(retryAfter >= 1 && retryAfter <= FAILURE_REFILL_S, `Retry-After ${retryAfter}`);
    assert.equal(
      (await post('/v1/events', '{"type":"visit"}', {}, TOKEN)).status,
      429,
      'the right token is not even looked at'
    );
    const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
    assert.match(metrics, /kibotics_requests_refused_total\{status="429"\} [1-9]/);

    await new Promise((r) => setTimeout(r, (retryAfter + 0.5) * 1000));
    assert.equal((await post('/v1/events', '{"type":"visit"}', {}, TOKEN)).status, 202, 'the allowance refills');
  });
});
