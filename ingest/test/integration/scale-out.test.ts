import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';

/** Several gateways (each with its own DATA_DIR) in front of one InfluxDB, as behind a load balancer (README "Scaling out"). */
const DB = 'kibotics_scale_out_test';
let influx: Influxd;
let a: TestGateway;
let b: TestGateway;
const rows = (q: string) => influx.rows(q, DB);

before(async () => {
  influx = await Influxd.start();
  a = await TestGateway.start({ INFLUX_URL: influx.url, INFLUX_DB: DB, STATS_INTERVAL_S: '0' });
  b = await TestGateway.start({ INFLUX_URL: influx.url, INFLUX_DB: DB, STATS_INTERVAL_S: '0' });
});

after(async () => {
  await a?.stop();
  await b?.stop();
  await influx?.stop();
});

const t0 = Date.UTC(2020, 0, 14, 9, 0, 0);
const MIN = 60_000;

describe('pairing across instances', () => {
  before(async () => {
    // Each start lands on one instance, its end on the other.
    const starts = await a.post([
      { type: 'session_start', time: t0, user: 'ana', group: '1ESO-A' },
      { type: 'session_start', time: t0, user: 'bea' },
      { type: 'simulation_start', time: t0 + MIN, user: 'ana', simulation_type: 'websim', exercise: 'follow_line' },
    ]);
    assert.equal(starts.status, 202, JSON.stringify(starts.body));
    const ends = await b.post([
      {
        type: 'session_end',
        time: t0 + 40 * MIN,
        user: 'ana',
        group: '1ESO-A',
        started_at: new Date(t0).toISOString(),
      },
      { type: 'session_end', time: t0 + 20 * MIN, user: 'bea' },
      {
        type: 'simulation_end',
        time: t0 + 31 * MIN,
        user: 'ana',
        simulation_type: 'websim',
        exercise: 'follow_line',
        started_at: t0 + MIN,
      },
    ]);
    assert.equal(ends.status, 202, JSON.stringify(ends.body));
    await a.drained();
    await b.drained();
  });

  test('an end carrying started_at pairs on an instance that never saw its start', async () => {
    const [ana] = await rows(`SELECT * FROM "session_end" WHERE "user" = 'ana'`);
    assert.equal(ana?.duration_s, 40 * 60);
    const [sim] = await rows('SELECT * FROM "simulation_end"');
    assert.equal(sim?.duration_s, 30 * 60);
    const lengths = await rows('SELECT * FROM "rollups"."session_lengths"');
    assert.deepEqual(
      lengths.map((r) => r.duration_s),
      [40 * 60]
    );
  });

  test('an end without started_at whose start went to another instance has no duration', async () => {
    const [bea] = await rows(`SELECT * FROM "session_end" WHERE "user" = 'bea'`);
    assert.ok(bea);
    assert.equal(bea.duration_s, null);
  });
});

describe('roll-ups of several writers', () => {
  const bucket = Date.UTC(2020, 0, 15, 10, 0, 0);
  const starts = (n: number, prefix: string) =>
    Array.from({ length: n }, (_, i) => ({
      type: 'session_start',
      time: bucket + i * 1000,
      user: `${prefix}${i}`,
      group: '2B',
    }));

  before(async () => {
    // The case: each writer keeps running totals of the same bucket in its own DATA_DIR.
    assert.equal((await a.post(starts(7, 'a'))).body.accepted, 7);
    await a.drained();
    assert.equal((await b.post(starts(2, 'b'))).body.accepted, 2);
    await b.drained();
    // A writer whose DATA_DIR is lost starts afresh: one more writer, not a reset of another's totals.
    const fresh = await TestGateway.start({ INFLUX_URL: influx.url, INFLUX_DB: DB, STATS_INTERVAL_S: '0' });
    try {
      assert.equal((await fresh.post(starts(3, 'c'))).body.accepted, 3);
      await fresh.drained();
    } finally {
      await fresh.stop();
    }
    assert.equal((await a.post(starts(1, 'd'))).body.accepted, 1);
    await a.drained();
  });

  test('add up over writers: the sum over series is every event of the bucket', async () => {
    const q = (m: string, f: string) => rows(`SELECT sum("${f}") AS n FROM "rollups"."${m}" WHERE time = ${bucket}ms`);
    assert.equal((await q('sessions_15m', 'starts'))[0]?.n, 13);
    assert.equal((await q('groups_15m', 'sessions'))[0]?.n, 13);
    const [raw] = await rows(
      `SELECT count("count") AS n FROM "session_start" WHERE time >= ${bucket}ms AND time < ${bucket}ms + 15m`
    );
    assert.equal(raw?.n, 13);
  });

  test("each writer's share is its own series, tagged with its writer id", async () => {
    const perWriter = await rows(
      `SELECT sum("starts") AS n FROM "rollups"."sessions_15m" WHERE time = ${bucket}ms GROUP BY "writer"`
    );
    assert.deepEqual(perWriter.map((r) => r.n).sort(), [2, 3, 8]);
    assert.ok(perWriter.every((r) => typeof r.writer === 'string' && /^[0-9a-f]{12}$/.test(r.writer as string)));
  });
});
