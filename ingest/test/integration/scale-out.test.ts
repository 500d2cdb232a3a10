import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Influxd } from '../harness/influxd.js';
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
      { type: 'session_end', time: t0 + 40 * MIN, user: 'ana', group: '1ESO-A', started_at: new Date(t0).toISOString() },
      { type: 'session_end', time: t0 + 20 * MIN, user: 'bea' },
      { type: 'simulation_end', time: t0 + 31 * MIN, user: 'ana', simulation_type: 'websim', exercise: 'follow_line', started_at: t0 + MIN },
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
    assert.deepEqual(lengths.map((r) => r.duration_s), [40 * 60]);
  });

  test('an end without started_at whose start went to another instance has no duration', async () => {
    const [bea] = await rows(`SELECT * FROM "session_end" WHERE "user" = 'bea'`);
    assert.ok(bea);
    assert.equal(bea.duration_s, null);
  });
});
