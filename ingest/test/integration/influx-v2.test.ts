import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { InfluxClient } from '../../src/influx/client.js';
import { TestGateway } from '../harness/gateway.js';
import { waitFor } from '@kibotics/test-kit/ports';

/**
 * The v2 write path (`/api/v2/write`, InfluxDB 1.8+, 2.x, 3.x). No such server can be installed
 * here (Debian has only 1.6.7), so this is a recording endpoint that checks what the gateway sends
 * against the v2 API's documented contract, and answers as InfluxDB 2.x does (204, 429 with
 * Retry-After, 400 for a refused point). The line protocol itself is verified on the real 1.6.7.
 */

interface Received {
  url: URL;
  auth?: string;
  body: string;
}

let server: Server;
let port = 0;
const received: Received[] = [];
let answer: (req: Received) => { status: number; headers?: Record<string, string>; body?: string } = () => ({
  status: 204,
});

before(async () => {
  server = createServer(async (req: IncomingMessage, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const r: Received = { url: new URL(req.url!, 'http://x'), auth: req.headers.authorization, body };
    if (r.url.pathname === '/ping') {
      res.writeHead(204).end();
      return;
    }
    received.push(r);
    const a = answer(r);
    res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers }).end(a.body ?? '');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as { port: number }).port;
});
after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('writes to /api/v2/write with org, bucket, ns precision and a Token; roll-ups to their bucket; honours 429', async () => {
  let throttled = 0;
  answer = () =>
    throttled++ === 0
      ? { status: 429, headers: { 'Retry-After': '1' }, body: '{"code":"too many requests"}' }
      : { status: 204 };
  const gateway = await TestGateway.start({
    INFLUX_URL: `http://127.0.0.1:${port}`,
    INFLUX_API: 'v2',
    INFLUX_ORG: 'school',
    INFLUX_BUCKET: 'kibotics',
    INFLUX_ROLLUP_BUCKET: 'kibotics_rollups',
    INFLUX_TOKEN: 'secret-token',
    STATS_INTERVAL_S: '0',
  });
  try {
    const started = Date.now();
    const r = await gateway.post({ type: 'session_start', time: Date.UTC(2020, 0, 14, 9), user: 'ana' });
    assert.equal(r.status, 202);
    await gateway.drained();
    assert.ok(Date.now() - started >= 900, 'waited for Retry-After before trying again');
    const writes = received.filter((w) => w.url.pathname === '/api/v2/write');
    assert.ok(writes.length >= 3, 'the throttled write was sent again');
    for (const w of writes) {
      assert.equal(w.auth, 'Token secret-token');
      assert.equal(w.url.searchParams.get('org'), 'school');
      assert.equal(w.url.searchParams.get('precision'), 'ns');
    }
    const byBucket = (b: string) =>
      writes
        .filter((w) => w.url.searchParams.get('bucket') === b)
        .map((w) => w.body)
        .join('\n');
    assert.match(byBucket('kibotics'), /^session_start,.*user=ana count=1i 1578992400000\d{6}$/m);
    assert.match(
      byBucket('kibotics_rollups'),
      /^sessions_15m,bot=false,writer=[0-9a-f]{12} duration_s=0,ends=0i,paired=0i,starts=1i 1578992400000000000$/m
    );
  } finally {
    await gateway.stop();
  }
});

test('points the server refuses (400) become dead letters; the rest is written', async () => {
  received.length = 0;
  answer = (r) =>
    /user="?bad/.test(r.body)
      ? { status: 400, body: '{"code":"invalid","message":"partial write: field type conflict"}' }
      : { status: 204 };
  const gateway = await TestGateway.start({
    INFLUX_URL: `http://127.0.0.1:${port}`,
    INFLUX_API: 'v2',
    INFLUX_ORG: 'school',
    INFLUX_BUCKET: 'kibotics',
    INFLUX_TOKEN: 't',
    STATS_INTERVAL_S: '0',
  });
  try {
    await gateway.post([
      { type: 'session_start', time: Date.UTC(2020, 0, 14, 9), user: 'bad' },
      { type: 'session_start', time: Date.UTC(2020, 0, 14, 9), user: 'good' },
    ]);
    // Three lines carry the user bad: its session_start (a tag), its day point and run start (a field).
    await waitFor('the dead letters', async () => (await gateway.health()).spool.dead_letters === 3);
    await gateway.drained();
    assert.ok(
      received.some((w) => w.body.includes('user=good') && !/user="?bad/.test(w.body)),
      'the good point was written alone'
    );
  } finally {
    await gateway.stop();
  }
});

test('v2 settings are required together, by name', async () => {
  await assert.rejects(
    TestGateway.start({
      INFLUX_URL: `http://127.0.0.1:${port}`,
      INFLUX_API: 'v2',
      INFLUX_ORG: 'o',
      INFLUX_BUCKET: 'b',
    }),
    /INFLUX_TOKEN \(--influx-token\) is required when INFLUX_API=v2/
  );
});

test('erasure on v2: the user tag over all time, then each active day (the user is a field there) by its exact time', async () => {
  received.length = 0;
  const day = '2020-01-14T09:00:00.000123456Z';
  answer = (r) =>
    r.url.pathname === '/query'
      ? {
          status: 200,
          body: JSON.stringify({
            results: [
              { statement_id: 0, series: [{ name: 'active_days', columns: ['time', 'user'], values: [[day, 'ana']] }] },
            ],
          }),
        }
      : { status: 204 };
  const influx = new InfluxClient(
    loadConfig({
      INFLUX_URL: `http://127.0.0.1:${port}`,
      INFLUX_API: 'v2',
      INFLUX_ORG: 'school',
      INFLUX_BUCKET: 'kibotics',
      INFLUX_TOKEN: 't',
    }).influx,
    0
  );
  await influx.deleteUser('ana', ['session_start']);
  assert.equal(await influx.deleteWhereField('active_days', 'user', 'ana'), 1);
  const query = received.find((r) => r.url.pathname === '/query')!;
  assert.equal(query.url.searchParams.get('epoch'), null, 'times to the nanosecond, as RFC 3339');
  assert.match(new URLSearchParams(query.body).get('q')!, /^SELECT "user" FROM "active_days" WHERE "user" = 'ana'$/);
  const deletes = received.filter((r) => r.url.pathname === '/api/v2/delete').map((r) => JSON.parse(r.body));
  assert.deepEqual(deletes, [
    { start: '1970-01-01T00:00:00Z', stop: '2262-01-01T00:00:00Z', predicate: 'user="ana"' },
    { start: day, stop: day, predicate: '_measurement="active_days"' },
  ]);
});
