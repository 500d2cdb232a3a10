import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { Influxd } from '@kibotics/test-kit/influxd';

/**
 * `run-starts` on the real InfluxDB 1.6.7: day points written before the gateway wrote run starts
 * get one where a user's day point follows 8 days without one (or is their first), at its exact
 * time; run again, it changes nothing.
 */

const DB = 'run_starts';
const DAY = 86_400_000;
let influx: Influxd;
before(async () => {
  influx = await Influxd.start();
});
after(async () => {
  await influx?.stop();
});

test('run-starts writes the run starts of older day points, once', async () => {
  await influx.query(`CREATE DATABASE "${DB}"`, DB);
  const t = Date.UTC(2025, 0, 6, 9);
  // ana: days 0, 1, 8 (7 days after day 1: same run), 20 (a new run); bea: day 3 only. Sub-ms offsets kept.
  const points: Array<[string, number]> = [
    ['ana', t],
    ['ana', t + DAY],
    ['bea', t + 3 * DAY],
    ['ana', t + 8 * DAY],
    ['ana', t + 20 * DAY],
  ];
  const ns = (ms: number, i: number) => `${ms}${String(1000 + i).padStart(6, '0')}`;
  const body = points.map(([user, ms], i) => `active_days user="${user}",group="2B" ${ns(ms, i)}`).join('\n');
  assert.equal((await fetch(`${influx.url}/write?db=${DB}`, { method: 'POST', body })).status, 204);

  const env = { INFLUX_URL: influx.url, INFLUX_DB: DB, LOG_LEVEL: 'warn' };
  for (const run of [1, 2]) {
    const r = await runCli(['run-starts'], env);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(r.stdout, 'run starts: 3 written for 5 day points\n', `run ${run}`);
    const starts = await influx.query(`SELECT "user" FROM "active_days" WHERE "run" = 'start'`, DB);
    const got = starts[0]!.values.map((v) => [v[1], v[0]]);
    assert.deepEqual(
      got,
      [
        ['ana', t],
        ['bea', t + 3 * DAY],
        ['ana', t + 20 * DAY],
      ],
      `run ${run}`
    );
  }
  const [exact] = await influx.query(
    `SELECT count("user") FROM "active_days" WHERE "run" = 'start' AND time = ${ns(t + 20 * DAY, 4)}`,
    DB
  );
  assert.equal(exact?.values[0]?.[1], 1, 'at the day point’s exact time, to the nanosecond');
});
