import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';

// A real influxd whose max-body-size is 5,000 bytes: a backlog of ~1.7 KB points is far over it,
// and one point of ~6 KB can never be written.
const MAX_BODY = 5000;

let influx: Influxd;
before(async () => {
  influx = await Influxd.start({ maxBodySize: MAX_BODY });
});
after(async () => influx?.stop());

/** InfluxDB's own count of write requests and of 4xx answers (413 among them). */
async function httpd(): Promise<{ writeReq: number; clientError: number }> {
  const [series] = await influx.query(`SHOW STATS FOR 'httpd'`, '_internal');
  const row = Object.fromEntries(series!.columns.map((c, i) => [c, series!.values[0]![i]])) as Record<string, number>;
  return { writeReq: row.writeReq!, clientError: row.clientError! };
}

const errors = (base: number, n: number, message: string, path = '/p') =>
  Array.from({ length: n }, (_, i) => ({
    type: 'error',
    time: base + i,
    status: 500,
    message: `${i} ${message}`,
    path,
  }));

describe('a backlog larger than InfluxDB takes in one request', () => {
  test('413 halves the request until it fits; a point too large alone goes to the dead letters; nothing behind it waits', async () => {
    const DB = 'size_split';
    const gateway = await TestGateway.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      RETRY_MAX_MS: '300',
      FLUSH_INTERVAL_MS: '0',
    });
    try {
      await influx.pause();
      const base = Date.UTC(2020, 2, 2, 9);
      assert.equal((await gateway.post(errors(base, 300, 'm'.repeat(1500)))).status, 202);
      assert.equal(
        (await gateway.post(errors(base + 300, 1, 'x'.repeat(4090), `/${'p'.repeat(2040)}`))).status,
        202,
        'the huge one'
      );
      assert.equal((await gateway.post(errors(base + 400, 300, 'n'.repeat(1500)))).status, 202, 'and more behind it');
      await influx.resume();
      await gateway.drained(60_000);
      const [n] = await influx.rows(`SELECT count("message") AS n FROM "error"`, DB);
      assert.equal(n?.n, 600, 'every point that fits was written');
      const health = await gateway.health();
      assert.equal(health.spool.dead_letters, 1, 'the point larger than max-body-size is a dead letter');
      const dead = gateway.logLines.find((l) => /moved to dead letters/.test(l));
      assert.match(dead ?? '', /"status":413/);
    } finally {
      await gateway.stop();
    }
  });

  test('BATCH_MAX_BYTES under max-body-size: every request fits the first time (no 413 at all)', async () => {
    const DB = 'size_bounded';
    const gateway = await TestGateway.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      RETRY_MAX_MS: '300',
      FLUSH_INTERVAL_MS: '0',
      BATCH_MAX_BYTES: String(MAX_BODY),
    });
    try {
      await influx.prepared(DB); // before InfluxDB goes away, so that no write meets a missing database
      await influx.pause();
      await gateway.post(errors(Date.UTC(2020, 2, 3, 9), 200, 'b'.repeat(1500)));
      await influx.resume(); // a new influxd process: its counters start at zero, all of them this gateway's
      await gateway.drained(60_000);
      const after = await httpd();
      const [n] = await influx.rows(`SELECT count("message") AS n FROM "error"`, DB);
      assert.equal(n?.n, 200);
      assert.equal(after.clientError, 0, 'no request was refused');
      // ~1.6 KB per line, at most 5,000 bytes per request: at least 200 / 3 writes.
      assert.ok(after.writeReq >= 67, `${after.writeReq} write requests`);
    } finally {
      await gateway.stop();
    }
  });
});
