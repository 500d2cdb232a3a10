import assert from 'node:assert/strict';
import { createServer as createHttpServer } from 'node:http';
import { createServer as createTcpServer, type Socket } from 'node:net';
import { after, before, describe, test } from 'node:test';
import { InfluxClient } from '../../src/influx/client.js';
import {
  BeyondRetention,
  DatabaseMissing,
  InfluxAuthRefused,
  InfluxError,
  InfluxServerError,
  InfluxUnreachable,
  PointRefused,
  RequestTooLarge,
  type Retry,
} from '../../src/influx/errors.js';
import { Influxd } from '@kibotics/test-kit/influxd';
import { freePort } from '@kibotics/test-kit/ports';

// Each answer is provoked on a real influxd (1.6.7); only the answers it never gives (5xx with
// Retry-After, a server that takes the connection and hangs) come from a stand-in.

const DB = 'errors';
const now = () => BigInt(Date.now()) * 1_000_000n;
const client = (
  url: string,
  options: { database?: string; rp?: string; username?: string; password?: string; timeoutMs?: number } = {}
) =>
  new InfluxClient(
    {
      api: 'v1',
      url,
      database: options.database ?? DB,
      retentionPolicy: options.rp,
      username: options.username,
      password: options.password,
    },
    0,
    options.timeoutMs
  );

async function failure(write: Promise<void>): Promise<InfluxError> {
  try {
    await write;
  } catch (err) {
    assert.ok(err instanceof InfluxError, `an InfluxError, not ${String(err)}`);
    return err;
  }
  assert.fail('the write succeeded');
}

function expect(
  err: InfluxError,
  cls: abstract new (...args: never[]) => InfluxError,
  retry: Retry,
  status: number | undefined
): void {
  assert.ok(err instanceof cls, `${cls.name} expected, got ${err.name}: ${err.message}`);
  assert.equal(err.retry, retry);
  assert.equal(err.status, status);
}

describe("InfluxDB's answers, classified once by the client", () => {
  let influx: Influxd;
  before(async () => {
    influx = await Influxd.start({ maxBodySize: 4096 });
    await influx.query(`CREATE DATABASE ${DB} WITH DURATION 1h`, DB);
  });
  after(async () => influx?.stop());

  test('a missing database, or a missing retention policy (a 500 on 1.x), means: prepare, then retry', async () => {
    expect(
      await failure(client(influx.url, { database: 'nowhere' }).write(`m v=1 ${now()}`)),
      DatabaseMissing,
      'prepare',
      404
    );
    expect(await failure(client(influx.url, { rp: 'nope' }).write(`m v=1 ${now()}`)), DatabaseMissing, 'prepare', 500);
  });

  test('points beyond retention: the others are written, and the answer carries how many were dropped', async () => {
    const err = await failure(
      client(influx.url).write([`old v=1 1000`, `old v=2 2000`, `old v=3 ${now()}`].join('\n'))
    );
    expect(err, BeyondRetention, 'never', 400);
    assert.equal((err as BeyondRetention).dropped, 2);
    const [row] = await influx.rows('SELECT count(v) AS n FROM old', DB);
    assert.equal(row?.n, 1, 'the recent point was stored');
  });

  test('a field type conflict or an unparsable line means: split to find the point', async () => {
    await client(influx.url).write(`typed v=1i ${now()}`);
    expect(await failure(client(influx.url).write(`typed v=1.5 ${now()}`)), PointRefused, 'split', 400);
    expect(await failure(client(influx.url).write(`garbage\ntyped v=2i ${now()}`)), PointRefused, 'split', 400);
  });

  test('a request over max-body-size (413) means: split', async () => {
    const big = Array.from({ length: 100 }, (_, i) => `big v="${'x'.repeat(100)}" ${now() + BigInt(i)}`).join('\n');
    expect(await failure(client(influx.url).write(big)), RequestTooLarge, 'split', 413);
  });

  test('nothing listening means: later', async () => {
    const err = await failure(client(`http://127.0.0.1:${await freePort()}`).write(`m v=1 ${now()}`));
    expect(err, InfluxUnreachable, 'later', undefined);
    assert.equal((err as InfluxUnreachable).timedOut, false);
    assert.match(err.message, /ECONNREFUSED/);
  });
});

describe('answers only other servers give', () => {
  test('wrong credentials (authentication on): later, for the operator to fix', async () => {
    const influx = await Influxd.start({ auth: true });
    try {
      // With no user yet, 1.x lets anyone create the first admin.
      await influx.query(`CREATE USER admin WITH PASSWORD 'right' WITH ALL PRIVILEGES`, DB);
      await client(influx.url, { username: 'admin', password: 'right' }).query(`CREATE DATABASE ${DB}`);
      const err = await failure(client(influx.url, { username: 'who', password: 'wrong' }).write(`m v=1 ${now()}`));
      assert.ok(err.status === 401 || err.status === 403, `status ${err.status}`);
      expect(err, InfluxAuthRefused, 'later', err.status);
    } finally {
      await influx.stop();
    }
  });

  test('a server that takes the connection and never answers: later, marked as a timeout', async () => {
    const sockets: Socket[] = [];
    const hung = createTcpServer((s) => sockets.push(s));
    await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
    try {
      const port = (hung.address() as { port: number }).port;
      const err = await failure(client(`http://127.0.0.1:${port}`, { timeoutMs: 200 }).write(`m v=1 ${now()}`));
      expect(err, InfluxUnreachable, 'later', undefined);
      assert.equal((err as InfluxUnreachable).timedOut, true);
    } finally {
      for (const s of sockets) s.destroy();
      hung.close();
    }
  });

  test('503 and 429 with Retry-After (a proxy, InfluxDB Cloud): later, no sooner than asked', async () => {
    let status = 503;
    const proxy = createHttpServer((_req, res) => {
      res.writeHead(status, { 'Retry-After': '7', 'Content-Type': 'application/json' });
      res.end('{"code":"unavailable","message":"busy"}');
    });
    await new Promise<void>((r) => proxy.listen(0, '127.0.0.1', r));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as { port: number }).port}`;
      for (status of [503, 429]) {
        const err = await failure(client(url).write(`m v=1 ${now()}`));
        expect(err, InfluxServerError, 'later', status);
        assert.equal(err.retryAfterMs, 7000);
        assert.match(err.message, /busy/);
      }
    } finally {
      proxy.close();
    }
  });
});
