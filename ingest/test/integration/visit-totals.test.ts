import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { Influxd } from '@kibotics/test-kit/influxd';

/**
 * `visit-totals` on the real InfluxDB 1.6.7: visits_15m points written before visit_totals_15m
 * existed (three writers, one of them from before writer ids) get their totals per bucket, bot and
 * anonymous; the count panels' sums over visit_totals_15m then equal visits_15m's. A total a gateway
 * of this version already wrote is written over, not added to; a bucket not yet closed is left to the
 * gateway; run again, nothing changes.
 */

const DB = 'visit_totals';
const QUARTER = 15 * 60_000;
let influx: Influxd;
before(async () => {
  influx = await Influxd.start();
});
after(async () => {
  await influx?.stop();
});

test('visit-totals sums visits_15m over the client tags into visit_totals_15m, once', async () => {
  await influx.query(`CREATE DATABASE "${DB}"`, DB);
  await influx.query(`CREATE RETENTION POLICY "rollups" ON "${DB}" DURATION INF REPLICATION 1`, DB);
  const t = Date.UTC(2025, 0, 6, 9);
  const ahead = (Math.floor(Date.now() / QUARTER) + 1) * QUARTER;
  const visits = [
    // [bucket, os, country, bot, anonymous, writer, visits]
    [t, 'Linux', 'ES', 'false', 'true', 'a', 3],
    [t, 'Windows', 'ES', 'false', 'true', 'a', 4],
    [t, 'Windows', 'FR', 'false', 'false', 'a', 2],
    [t, 'Linux', 'ES', 'true', 'true', 'a', 5],
    [t, 'Linux', 'ES', 'false', 'true', 'b', 7],
    [t, 'Android', 'PT', 'false', 'true', '', 1],
    [t + QUARTER, 'Linux', 'ES', 'false', 'false', 'b', 6],
    [t + QUARTER, 'iOS', 'ES', 'false', 'false', 'b', 8],
    [t + 40 * 86_400_000, 'Linux', 'ES', 'true', 'false', '', 9],
    // The bucket still filling: the gateway's.
    [ahead, 'Linux', 'ES', 'false', 'true', 'a', 10],
  ] as const;
  const lines = visits.map(
    ([time, os, country, bot, anonymous, writer, n]) =>
      `visits_15m,os=${os},browser=Firefox,device=desktop,country=${country},bot=${bot},anonymous=${anonymous}` +
      `${writer ? `,writer=${writer}` : ''} visits=${n}i ${time}000000`
  );
  // A gateway of this version already wrote writer a's total of a bucket (4 + 3): written over, not added to.
  lines.push(`visit_totals_15m,bot=false,anonymous=true,writer=a visits=7i ${t}000000`);
  const write = await fetch(`${influx.url}/write?db=${DB}&rp=rollups`, { method: 'POST', body: lines.join('\n') });
  assert.equal(write.status, 204, await write.text());

  const byBucket = async (m: string) =>
    (
      await influx.rows(
        `SELECT sum("visits") AS n FROM "rollups"."${m}" WHERE time < ${ahead}ms GROUP BY time(15m), "bot", "anonymous" fill(none)`,
        DB
      )
    )
      .map((r) => `${r.time} bot=${r.bot} anonymous=${r.anonymous}: ${r.n}`)
      .sort();
  const env = { INFLUX_URL: influx.url, INFLUX_DB: DB, LOG_LEVEL: 'warn' };
  for (const run of [1, 2]) {
    const r = await runCli(['visit-totals'], env);
    assert.equal(r.code, 0, r.stderr);
    // Per bucket, bot, anonymous and writer: t has 5 (a: false/true, false/false, true/true; b; none), t + 15 min 1, day 40 1.
    assert.equal(r.stdout, 'visit totals: 7 points written\n', `run ${run}`);
    assert.deepEqual(await byBucket('visit_totals_15m'), await byBucket('visits_15m'), `run ${run}`);
    const [total] = await influx.rows('SELECT sum("visits") AS n FROM "rollups"."visit_totals_15m"', DB);
    assert.equal(total!.n, 3 + 4 + 2 + 5 + 7 + 1 + 6 + 8 + 9, `run ${run}: every closed bucket's visits once`);
    const [open] = await influx.rows(
      `SELECT count("visits") AS n FROM "rollups"."visit_totals_15m" WHERE time >= ${ahead}ms`,
      DB
    );
    assert.equal(open, undefined, `run ${run}: the open bucket is the gateway's`);
  }
  // Series as the gateway writes them: bot, anonymous and the writer's id (none for the oldest store).
  const series = (await influx.query('SHOW SERIES FROM "rollups"."visit_totals_15m"', DB))[0]!.values.flat().sort();
  assert.deepEqual(series, [
    'visit_totals_15m,anonymous=false,bot=false,writer=a',
    'visit_totals_15m,anonymous=false,bot=false,writer=b',
    'visit_totals_15m,anonymous=false,bot=true',
    'visit_totals_15m,anonymous=true,bot=false',
    'visit_totals_15m,anonymous=true,bot=false,writer=a',
    'visit_totals_15m,anonymous=true,bot=false,writer=b',
    'visit_totals_15m,anonymous=true,bot=true,writer=a',
  ]);
});

test('visit-totals refuses arguments it does not take, exit 2', async () => {
  const env = { INFLUX_URL: influx.url, INFLUX_DB: DB, LOG_LEVEL: 'warn' };
  const extra = await runCli(['visit-totals', 'now'], env);
  assert.equal(extra.code, 2);
  assert.match(extra.stderr, /visit-totals takes no arguments, got 'now'/);
});
