import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';

/**
 * Kibotics' historical log files into a real InfluxDB through `kibotics-analytics import`: counts
 * per type, local weekday and hour across the October 2019 DST change, pairing durations, and a
 * second import that changes nothing. Fixtures are written here, invented for the test.
 */

const DB = 'kibotics_import_test';
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:70.0) Gecko/20100101 Firefox/70.0';
const CONTAINER = 'a'.repeat(64);
const sim = (code: 3 | 4, date: string, user: string, exercise: string) =>
  `${code} | ${date} | ${user} | 192.0.2.10 | simulator | ${exercise} | 198.51.100.7 | ${CONTAINER} | ${UA}`;

const FILES: Record<string, string[]> = {
  // Saturday, summer time (UTC+2).
  'logs/2019-10-26-log.txt': [
    `1 | 26/10/2019 10:15:00 | user_0001 | 192.0.2.10 | ${UA}`,
    sim(3, '26/10/2019 10:20:00', 'user_0001', 'follow_line'),
    sim(4, '26/10/2019 10:50:00', 'user_0001', 'follow_line'),
  ],
  // Sunday: at 03:00 summer time the clocks go back to 02:00; 02:00–03:00 happens twice.
  'logs/2019-10-27-log.txt': [
    `1 | 27/10/2019 01:30:00 | user_0002 | 192.0.2.11 | ${UA}`,
    sim(3, '27/10/2019 02:30:00', 'user_0002', 'vacuum'), // first 02:30 (UTC+2) = 00:30Z
    sim(4, '27/10/2019 02:10:00', 'user_0002', 'vacuum'), // second 02:10 (UTC+1) = 01:10Z: 40 minutes later
    '5 | 500 Internal Server Error',
    `1 | 27/10/2019 10:00:00 | user_0003 | 192.0.2.12 | ${UA}`,
  ],
  // Monday, winter time (UTC+1).
  'logs/2019-10-28-log.txt': [
    `1 | 28/10/2019 10:00:00 | user_0004 | 192.0.2.13 | ${UA}`,
    `2 | 28/10/2019 10:45:00 | user_0004 | 192.0.2.13 | ${UA}`,
    'garbage that is no log line',
    '3 | 28/10/2019 10:50:00 | AnonymusUser | 203.0.113.5 | websim | follow_line | 203.0.113.5 | [NO CONTAINER] Browser | Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)',
  ],
  // The first prototype's MongoDB collections, as mongoexport writes them.
  'prototypes/newSimulation.json': [
    '{"_id":{"$oid":"5dc0f1a2b3c4d5e6f7a8b9c0"},"date":"05/11/2019 12:00:00","username":"user_0006","client_ip":"192.0.2.15","simulation_type":"simulator","exercise_id":"mongo_ex","host_ip":"198.51.100.7","container_id":"LOCAL CONTAINER","user_agent":"user_agent"}',
  ],
  'prototypes/endSimulation.json': [
    '{"_id":{"$oid":"5dc0f1a2b3c4d5e6f7a8b9c1"},"date":"05/11/2019 12:10:00","username":"user_0006","client_ip":"192.0.2.15","simulation_type":"simulator","exercise_id":"mongo_ex","host_ip":"198.51.100.7","container_id":"LOCAL CONTAINER","user_agent":"user_agent"}',
  ],
  // The second prototype's Elasticsearch index, dumped as hits: one document is a whole simulation.
  'prototypes/kibotics_simulation_log.ndjson': [
    '{"_index":"kibotics_simulation_log","_id":"a1","_source":{"username":"user_0007","start_date":"2019-11-06T10:00:00","end_date":"2019-11-06T10:20:00","duration":1200,"client_ip":"192.0.2.16","browser":"Chrome","os":"Windows","device":"desktop","simulation_type":"websim","exercise_id":"es_ex","location":{"lat":40.4,"lon":-3.7}}}',
  ],
  'old/access_log_django.txt': [
    'New Simulation ==> 21/10/2019 11:00:00: user_0005 192.0.2.14 websim drone_cat_mouse 192.0.2.14 [NO CONTAINER] Browser',
    'End Simulation ==> 21/10/2019 11:05:30: user_0005 192.0.2.14 websim drone_cat_mouse 192.0.2.14 [NO CONTAINER] Browser',
  ],
};

let influx: Influxd;
let dir: string;
let dataDir: string;
const env = () => ({ INFLUX_URL: influx.url, INFLUX_DB: DB, DATA_DIR: dataDir });
const rows = (q: string) => influx.rows(q, DB);

before(async () => {
  influx = await Influxd.start();
  dir = mkdtempSync(join(tmpdir(), 'import-'));
  dataDir = join(dir, 'state');
  for (const [name, lines] of Object.entries(FILES)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), `${lines.join('\n')}\n`);
  }
});
after(async () => {
  await influx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('kibotics-analytics import', () => {
  let firstReport: any;
  before(async () => {
    const r = await runCli(
      ['import', '--json', '--timezone', 'Europe/Madrid', join(dir, 'logs'), join(dir, 'old'), join(dir, 'prototypes')],
      env()
    );
    assert.equal(r.code, 0, r.stderr);
    firstReport = JSON.parse(r.stdout);
  });

  test('reports lines, events by type and skipped lines with where they are', () => {
    assert.equal(firstReport.lines, 17);
    assert.deepEqual(firstReport.eventsByType, {
      session_start: 4,
      session_end: 1,
      simulation_start: 6,
      simulation_end: 5,
      error: 1,
    });
    assert.equal(firstReport.skips.unknown_code.count, 1);
    assert.match(firstReport.skips.unknown_code.first[0], /2019-10-28-log\.txt:3$/);
    assert.equal(firstReport.accepted, 17);
    assert.equal(firstReport.waiting_for_influxdb, 0, 'everything reached InfluxDB before the command returned');
  });

  test('counts per type in InfluxDB', async () => {
    const count = async (m: string) => (await rows(`SELECT count("count") AS n FROM "${m}"`))[0]?.n ?? 0;
    assert.deepEqual(
      [
        await count('session_start'),
        await count('session_end'),
        await count('simulation_start'),
        await count('simulation_end'),
        await count('error'),
      ],
      [4, 1, 6, 5, 1]
    );
  });

  test('logins fall in the right local weekday and hour, on both sides of the DST change', async () => {
    const buckets = await rows(
      `SELECT sum("starts") AS n FROM "rollups"."sessions_15m" WHERE time >= '2019-10-25T00:00:00Z' AND time < '2019-10-30T00:00:00Z' GROUP BY time(1h) fill(none) tz('Europe/Madrid')`
    );
    const local = buckets.map((b) => [
      new Intl.DateTimeFormat('en-GB', {
        timeZone: 'Europe/Madrid',
        weekday: 'short',
        hour: '2-digit',
        hourCycle: 'h23',
      })
        .format(new Date(b.time as number))
        .replace(',', ''),
      b.n,
    ]);
    assert.deepEqual(local, [
      ['Sat 10', 1],
      ['Sun 01', 1],
      ['Sun 10', 1],
      ['Mon 10', 1],
    ]);
  });

  test('durations pair across the repeated autumn hour and in the old format', async () => {
    const ends = await rows(`SELECT "duration_s", "exercise" FROM "simulation_end" WHERE "duration_s" > 0`);
    assert.deepEqual(
      ends.map((e) => [e.exercise, e.duration_s]).sort(),
      [
        ['drone_cat_mouse', 330],
        ['es_ex', 1200],
        ['follow_line', 1800],
        ['mongo_ex', 600],
        ['vacuum', 2400],
      ].sort()
    );
    const [session] = await rows(`SELECT "duration_s" FROM "session_end" WHERE "user" = 'user_0004'`);
    assert.equal(session?.duration_s, 2700);
  });

  test('the crawler is flagged and anonymous; websim keeps no host', async () => {
    const [bot] = await rows(
      `SELECT "bot", "user", "host" FROM "simulation_start" WHERE "simulation_type" = 'websim' AND "bot" = 'true'`
    );
    assert.equal(bot?.user, undefined);
    assert.equal(bot?.host, undefined);
  });

  test('importing the same files again changes nothing', async () => {
    const before = await rows(
      `SELECT sum("starts") AS s, sum("ends") AS e, sum("minutes") AS m FROM "rollups"."simulations_15m"`
    );
    const r = await runCli(['import', '--json', join(dir, 'logs'), join(dir, 'old'), join(dir, 'prototypes')], env());
    assert.equal(r.code, 0, r.stderr);
    const report = JSON.parse(r.stdout);
    assert.deepEqual([report.accepted, report.duplicates], [0, 17]);
    assert.deepEqual(
      await rows(`SELECT sum("starts") AS s, sum("ends") AS e, sum("minutes") AS m FROM "rollups"."simulations_15m"`),
      before
    );
    const [n] = await rows(`SELECT count("count") AS n FROM "simulation_start"`);
    assert.equal(n?.n, 6);
  });

  test('--dry-run stores nothing; a missing path is an error that names it', async () => {
    const dry = await runCli(['import', '--dry-run', join(dir, 'logs')], {
      ...env(),
      DATA_DIR: join(dir, 'dry-state'),
    });
    assert.equal(dry.code, 0, dry.stderr);
    assert.match(dry.stdout, /dry run: 11 valid events, nothing stored/);
    const missing = await runCli(['import', join(dir, 'nope')], env());
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /cannot read .*nope: ENOENT/);
  });
});

describe('POST /v1/logs', () => {
  let gateway: TestGateway;
  before(async () => {
    gateway = await TestGateway.start({ INFLUX_URL: influx.url, INFLUX_DB: 'kibotics_logs_endpoint' });
  });
  after(async () => gateway?.stop());

  test('takes Kibotics log lines as the site writes them', async () => {
    const body = [
      `1 | 04/02/2020 10:00:00 | user_0009 | 192.0.2.20 | ${UA}`,
      `2 | 04/02/2020 10:30:00 | user_0009 | 192.0.2.20 | ${UA}`,
      'nonsense',
    ].join('\n');
    const response = await fetch(`${gateway.url}/v1/logs`, {
      method: 'POST',
      headers: { 'Content-Type': 'text/plain' },
      body,
    });
    const result = (await response.json()) as any;
    assert.equal(response.status, 202);
    assert.equal(result.accepted, 2);
    assert.deepEqual(result.rejected, [{ line: 3, error: 'skipped: unknown_code' }]);
    await gateway.drained();
    const [end] = await influx.rows(`SELECT "duration_s" FROM "session_end"`, 'kibotics_logs_endpoint');
    assert.equal(end?.duration_s, 1800);
  });

  test('a bad time zone is refused by name', async () => {
    const response = await fetch(`${gateway.url}/v1/logs?timezone=Mars/Olympus`, {
      method: 'POST',
      body: '1 | 04/02/2020 10:00:00 | u | 192.0.2.1 | x',
    });
    assert.equal(response.status, 400);
    assert.match(((await response.json()) as any).rejected[0].error, /^timezone: not an IANA time zone/);
  });
});
