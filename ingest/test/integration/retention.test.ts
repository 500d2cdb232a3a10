import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';

/** Issue 12 item 10: what InfluxDB drops as beyond its retention is counted and said, never silent; import applies RETENTION_DAYS. */
let influx: Influxd;
let dir: string;
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:70.0) Gecko/20100101 Firefox/70.0';
// 2019 logins: older than any policy of days.
const LOG = Array.from(
  { length: 40 },
  (_, i) => `1 | 26/10/2019 10:${String(i).padStart(2, '0')}:00 | user_${i} | 192.0.2.10 | ${UA}`
).join('\n');

before(async () => {
  influx = await Influxd.start();
  dir = mkdtempSync(join(tmpdir(), 'retention-'));
  writeFileSync(join(dir, '2019-10-26-log.txt'), `${LOG}\n`);
});
after(async () => {
  await influx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('import', () => {
  test("into a database made with the 400-day default, RETENTION_DAYS=0 stores every point (the issue's case)", async () => {
    const DB = 'kibotics_retention_import';
    const gateway = await TestGateway.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      RETENTION_DAYS: '400',
      STATS_INTERVAL_S: '0',
    });
    await gateway.stop();
    const r = await runCli(['import', '--json', dir], {
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      RETENTION_DAYS: '0',
      DATA_DIR: join(dir, 'state-a'),
    });
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
    assert.deepEqual(
      [report.accepted, report.points_dropped_beyond_retention, report.waiting_for_influxdb],
      [40, 0, 0]
    );
    const [raw] = await influx.rows('SELECT count("count") AS n FROM "session_start"', DB);
    assert.equal(raw?.n, 40);
  });

  test('points InfluxDB drops anyway are counted in the summary and logged as a warning', async () => {
    // An operator shortened the roll-ups' policy: the import cannot undo that, and must say what it cost.
    const DB = 'kibotics_retention_dropped';
    await influx.query(`CREATE DATABASE ${DB}`, DB);
    await influx.query(`CREATE RETENTION POLICY "rollups" ON ${DB} DURATION 1d REPLICATION 1`, DB);
    const env = {
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      RETENTION_DAYS: '0',
      DATA_DIR: join(dir, 'state-b'),
      LOG_LEVEL: 'warn',
    };
    const r = await runCli(['import', dir], env);
    assert.equal(r.code, 0, r.stderr);
    const dropped = Number(
      /(\d+) points NOT stored: InfluxDB dropped them as older than its retention policy/.exec(r.stdout)?.[1]
    );
    // 40 logins over 40 minutes: the sessions_15m points of their buckets, all older than a day.
    const [rollups] = await influx.rows('SELECT count(*) FROM "rollups"."sessions_15m"', DB);
    assert.equal(rollups, undefined, 'the roll-ups really were dropped');
    assert.ok(dropped >= 3, r.stdout);
    assert.doesNotMatch(r.stdout, /points stored in InfluxDB,/);
    assert.match(r.stderr, /"level":"?(40|warn)"?.*InfluxDB dropped points older than its retention policy/);
    assert.match(r.stderr, /"dropped":\d+/);
  });
});

describe('serve', () => {
  test('counts dropped points in /metrics, not as delivered', async () => {
    const DB = 'kibotics_retention_serve';
    const gateway = await TestGateway.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      RETENTION_DAYS: '0',
      STATS_INTERVAL_S: '0',
    });
    try {
      // Once the gateway has prepared the database (delivery starts only then), an operator shortens its policy.
      assert.equal((await gateway.post({ type: 'error', time: Date.now() - 1000, status: 500 })).status, 202);
      await gateway.drained();
      await influx.query(`ALTER RETENTION POLICY "autogen" ON ${DB} DURATION 1d SHARD DURATION 1h`, DB);
      const t = Date.UTC(2020, 0, 14, 9);
      const r = await gateway.post(Array.from({ length: 5 }, (_, i) => ({ type: 'error', time: t + i, status: 500 })));
      assert.equal(r.body.accepted, 5);
      await gateway.drained();
      const metrics = await (await fetch(`${gateway.url}/metrics`)).text();
      assert.match(metrics, /^kibotics_points_expired_total 5$/m);
      assert.ok(
        gateway.logLines.some((l) => /"dropped":5/.test(l) && /"level":"?(40|warn)"?/.test(l)),
        'a warning with the count'
      );
    } finally {
      await gateway.stop();
    }
  });
});
