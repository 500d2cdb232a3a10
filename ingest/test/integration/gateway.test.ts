import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';

const DB = 'kibotics_gateway_test';
const CHROME_WINDOWS =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/79.0.3945.88 Safari/537.36';
const SAFARI_IPAD =
  'Mozilla/5.0 (iPad; CPU OS 13_3 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/13.0.4 Mobile/15E148 Safari/604.1';
const BINGBOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';

let influx: Influxd;
let gateway: TestGateway;
const rows = (q: string) => influx.rows(q, DB);

before(async () => {
  influx = await Influxd.start();
  gateway = await TestGateway.start({ INFLUX_URL: influx.url, INFLUX_DB: DB, STATS_INTERVAL_S: '1' });
});

after(async () => {
  await gateway?.stop();
  await influx?.stop();
});

const t0 = Date.UTC(2020, 0, 14, 9, 0, 0); // a Tuesday, 10:00 in Madrid

describe('every event type becomes its documented point', () => {
  before(async () => {
    const r = await gateway.post([
      {
        type: 'session_start',
        time: t0,
        user: 'user_0001',
        group: '1ESO-A',
        client_ip: '8.8.8.8',
        user_agent: CHROME_WINDOWS,
      },
      {
        type: 'simulation_start',
        time: t0 + 60_000,
        user: 'user_0001',
        simulation_type: 'websim',
        exercise: 'sigue_linea_f1',
        client_ip: '8.8.8.8',
        user_agent: CHROME_WINDOWS,
      },
      {
        type: 'simulation_end',
        time: t0 + 60_000 + 30 * 60_000,
        user: 'user_0001',
        simulation_type: 'websim',
        exercise: 'sigue_linea_f1',
        user_agent: CHROME_WINDOWS,
      },
      {
        type: 'session_end',
        time: new Date(t0 + 45 * 60_000).toISOString(),
        user: 'user_0001',
        reason: 'logout',
        user_agent: CHROME_WINDOWS,
      },
      {
        type: 'visit',
        time: t0,
        path: '/exercises/sigue_linea_f1?token=secret',
        referrer: 'https://www.google.com/search?q=kibotics',
        client_ip: '2a00:1450:4001::1',
        user_agent: SAFARI_IPAD,
      },
      { type: 'error', time: t0, status: 500, path: '/simulation', message: 'Internal Server Error' },
    ]);
    assert.equal(r.status, 202, JSON.stringify(r.body));
    assert.equal(r.body.accepted, 6);
    assert.deepEqual(r.body.rejected, []);
    await gateway.drained();
  });

  test('session_start is tagged by user, group, os, browser, device, country, bot', async () => {
    const [row] = await rows('SELECT * FROM "session_start"');
    assert.ok(row);
    assert.equal(row.time, t0);
    assert.equal(row.user, 'user_0001');
    assert.equal(row.group, '1ESO-A');
    assert.equal(row.os, 'Windows');
    assert.equal(row.browser, 'Chrome');
    assert.equal(row.device, 'desktop');
    assert.equal(row.country, 'US');
    assert.equal(row.bot, 'false');
    assert.equal(row.count, 1);
  });

  test('session_end carries the duration since its start, and the group of its start', async () => {
    const [row] = await rows('SELECT * FROM "session_end"');
    assert.equal(row?.duration_s, 45 * 60);
    assert.equal(row?.reason, 'logout');
    assert.equal(row?.group, '1ESO-A');
  });

  test('a paired session also gives an anonymous session_lengths point, kept with the roll-ups', async () => {
    const points = await rows('SELECT * FROM "rollups"."session_lengths"');
    assert.equal(points.length, 1);
    assert.deepEqual(
      { ...points[0], time: undefined },
      { time: undefined, duration_s: 45 * 60, length: '0:45–1:00', reason: 'logout', bot: 'false' }
    );
    assert.deepEqual(await rows('SELECT * FROM "session_lengths"'), [], 'not in the per-user retention policy');
  });

  test('simulation_end carries its duration; exercise and simulation type are tags', async () => {
    const [start] = await rows('SELECT * FROM "simulation_start"');
    assert.equal(start?.exercise, 'sigue_linea_f1');
    assert.equal(start?.simulation_type, 'websim');
    const [end] = await rows('SELECT * FROM "simulation_end"');
    assert.equal(end?.duration_s, 30 * 60);
    assert.equal(end?.exercise, 'sigue_linea_f1');
  });

  test('visit keeps the path without its query and only the referring host; IPv6 gives a country', async () => {
    const [row] = await rows('SELECT * FROM "visit"');
    assert.equal(row?.path, '/exercises/sigue_linea_f1');
    assert.equal(row?.referrer, 'www.google.com');
    assert.equal(row?.country, 'IE');
    assert.equal(row?.device, 'tablet');
    assert.equal(row?.os, 'iOS');
    assert.equal(row?.user, undefined);
  });

  test('error is tagged by status', async () => {
    const [row] = await rows('SELECT * FROM "error"');
    assert.equal(row?.status, '500');
    assert.equal(row?.message, 'Internal Server Error');
  });

  test('roll-ups hold the whole-platform totals per 15-minute bucket, without users', async () => {
    const sessions = await rows(
      'SELECT sum("starts") AS starts, sum("ends") AS ends, sum("duration_s") AS d FROM "rollups"."sessions_15m"'
    );
    assert.deepEqual([sessions[0]?.starts, sessions[0]?.ends, sessions[0]?.d], [1, 1, 2700]);
    const sims = await rows(
      'SELECT "starts", "ends", "minutes" FROM "rollups"."simulations_15m" WHERE "exercise" = \'sigue_linea_f1\''
    );
    // 09:01–09:31 UTC: 14 minutes in 09:00, 15 in 09:15, 1 in 09:30.
    assert.deepEqual(
      sims.map((r) => [new Date(r.time as number).toISOString().slice(11, 16), r.starts, r.ends, r.minutes]),
      [
        ['09:00', 1, 0, 14],
        ['09:15', 0, 0, 15],
        ['09:30', 0, 1, 1],
      ]
    );
    const tagKeys = await influx.query('SHOW TAG KEYS FROM "rollups"."simulations_15m"', DB);
    assert.ok(!tagKeys[0]!.values.flat().includes('user'), 'roll-ups have no user tag');
    assert.ok(!tagKeys[0]!.values.flat().includes('group'), 'platform roll-ups do not grow with the number of classes');
    const groups = await rows(
      `SELECT sum("sessions") AS s, sum("simulations") AS sims, sum("minutes") AS m FROM "rollups"."groups_15m" WHERE "group" = '1ESO-A'`
    );
    // The simulation events above name no group: only the login counts for the class.
    assert.deepEqual([groups[0]?.s, groups[0]?.sims, groups[0]?.m], [1, 0, 0], 'the class roll-up counts its login');
    const [visits] = await rows('SELECT sum("visits") AS v FROM "rollups"."visits_15m" WHERE "anonymous" = \'true\'');
    assert.equal(visits?.v, 1);
    const [errors] = await rows('SELECT sum("errors") AS e FROM "rollups"."errors_15m"');
    assert.equal(errors?.e, 1);
  });
});

describe('the class roll-up', () => {
  test('counts logins, simulations and simulation minutes of events that name their group', async () => {
    const t = Date.UTC(2020, 0, 21, 9);
    const sim = { user: 'carla', group: '3C', simulation_type: 'simulator', exercise: 'maze' };
    await gateway.post([
      { type: 'session_start', time: t, user: 'carla', group: '3C' },
      { type: 'simulation_start', time: t + 60_000, ...sim },
      { type: 'simulation_end', time: t + 21 * 60_000, ...sim },
    ]);
    await gateway.drained();
    const buckets = await rows(
      `SELECT "sessions", "simulations", "minutes" FROM "rollups"."groups_15m" WHERE "group" = '3C' AND time >= ${t}ms AND time < ${t + 3_600_000}ms`
    );
    assert.deepEqual(
      buckets.map((b) => [
        new Date(b.time as number).toISOString().slice(11, 16),
        b.sessions,
        b.simulations,
        b.minutes,
      ]),
      [
        ['09:00', 1, 1, 14],
        ['09:15', 0, 0, 6],
      ]
    );
    // And per class and exercise: the run's end, in the bucket it ended in, with its duration.
    const runs = await rows(
      `SELECT "ends", "paired", "duration_s" FROM "rollups"."group_exercises_15m" WHERE "group" = '3C' AND "exercise" = 'maze'`
    );
    assert.deepEqual(
      runs.map((r) => [new Date(r.time as number).toISOString().slice(11, 16), r.ends, r.paired, r.duration_s]),
      [['09:15', 1, 1, 1200]]
    );
  });
});

describe('active users', () => {
  test('one point per user per UTC day, whatever the user did that day; bots and anonymous users are not users', async () => {
    const day = Date.UTC(2020, 0, 15);
    const r = await gateway.post([
      { type: 'session_start', time: day + 9 * 3_600_000, user: 'ana', group: '2B' },
      { type: 'simulation_start', time: day + 10 * 3_600_000, user: 'ana', simulation_type: 'websim', exercise: 'x' },
      { type: 'session_start', time: day + 11 * 3_600_000, user: 'bea' },
      { type: 'session_start', time: day + 86_400_000 + 1000, user: 'ana' },
      { type: 'visit', time: day + 12 * 3_600_000, user_agent: BINGBOT },
      {
        type: 'simulation_start',
        time: day + 12 * 3_600_000,
        user: 'AnonymusUser',
        simulation_type: 'websim',
        exercise: 'x',
        user_agent: BINGBOT,
      },
    ]);
    assert.equal(r.status, 202);
    await gateway.drained();
    const range = `time >= ${day}ms AND time < ${day + 2 * 86_400_000}ms`;
    // One point per user per day, at the user's first event of that day; the user and class fields.
    const points = await rows(`SELECT "user", "group" FROM "active_days" WHERE "run" = '' AND ${range}`);
    assert.deepEqual(
      points.map((p) => [new Date(p.time as number).toISOString().slice(0, 16), p.user, p.group ?? null]),
      [
        ['2020-01-15T09:00', 'ana', '2B'],
        ['2020-01-15T11:00', 'bea', null],
        ['2020-01-16T00:00', 'ana', null],
      ]
    );
    const days = await rows(
      `SELECT count(distinct("user")) AS n FROM "active_days" WHERE ${range} GROUP BY time(1d) fill(none)`
    );
    assert.deepEqual(
      days.map((d) => d.n),
      [2, 1]
    );
    const [both] = await rows(`SELECT count(distinct("user")) AS n FROM "active_days" WHERE ${range}`);
    assert.equal(both?.n, 2);
    const [group] = await rows(`SELECT count(distinct("user")) AS n FROM "active_days" WHERE "group" = '2B'`);
    assert.equal(group?.n, 1);
    // Each user's first day point is also a run start (tagged): ana's next day follows within the gap.
    const starts = await rows(
      `SELECT "user" FROM "active_days" WHERE "run" = 'start' AND ("user" = 'ana' OR "user" = 'bea') AND ${range}`
    );
    assert.deepEqual(
      starts.map((p) => [new Date(p.time as number).toISOString().slice(0, 16), p.user]),
      [
        ['2020-01-15T09:00', 'ana'],
        ['2020-01-15T11:00', 'bea'],
      ]
    );
    // Per class and day, the class a tag: only events that name a class.
    const inClass = await rows(`SELECT "user" FROM "group_active_days" WHERE "group" = '2B' AND ${range}`);
    assert.deepEqual(
      inClass.map((p) => [new Date(p.time as number).toISOString().slice(0, 16), p.user]),
      [['2020-01-15T09:00', 'ana']]
    );
  });
});

describe("the gateway's own figures", () => {
  test('are written to InfluxDB as the gateway measurement', async () => {
    const wait = async () => {
      for (let i = 0; i < 50; i++) {
        const [row] = await rows(
          'SELECT last("accepted") AS accepted, last("spool_lines") AS spool, last("influx_reachable") AS up FROM "gateway"'
        );
        if (row && (row.accepted as number) > 0) return row;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('no gateway point with accepted > 0');
    };
    const row = await wait();
    assert.ok((row.accepted as number) >= 6);
    assert.equal(row.up, 1);
    assert.equal(typeof row.spool, 'number');
  });
});
