import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { waitFor } from '@kibotics/test-kit/ports';
import { loadConfig } from '../../src/config.js';
import { InfluxClient } from '../../src/influx/client.js';
import { ACTIVE_USERS, USER_TAGGED } from '@kibotics/schema';

/**
 * Children's data. No raw IP address anywhere the product writes; users can be pseudonymised,
 * erased and exported; retention is set.
 */

let influx: Influxd;
let scratch: string;
before(async () => {
  influx = await Influxd.start();
  scratch = mkdtempSync(join(tmpdir(), 'privacy-'));
});
after(async () => {
  await influx?.stop();
  rmSync(scratch, { recursive: true, force: true });
});

const UA =
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36';

/** Every byte under a folder, as latin1 text (so any ASCII address shows whatever the encoding around it). */
function allBytes(dir: string): string {
  let text = '';
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    text += statSync(path).isDirectory() ? allBytes(path) : readFileSync(path).toString('latin1');
  }
  return text;
}

/** Everything InfluxDB answers about a database: every point of every measurement, every tag value. */
async function everythingIn(db: string): Promise<string> {
  const measurements = ((await influx.query('SHOW MEASUREMENTS', db))[0]?.values ?? []).map((v) => String(v[0]));
  let text = JSON.stringify(await influx.query('SHOW SERIES', db));
  for (const m of measurements) {
    text += JSON.stringify(await influx.query(`SELECT * FROM "${m}"`, db));
    const keys = (await influx.query(`SHOW TAG KEYS FROM "${m}"`, db))[0]?.values ?? [];
    for (const [key] of keys)
      text += JSON.stringify(await influx.query(`SHOW TAG VALUES FROM "${m}" WITH KEY = "${key}"`, db));
  }
  return text;
}

describe('no raw IP address anywhere', () => {
  const DB = 'privacy_ips';
  const IPS = {
    live4: '192.0.2.77',
    live6: '2001:db8::beef:77',
    mapped: '::ffff:198.51.100.66',
    logs: '198.51.100.55',
    imported: '203.0.113.99',
    refused: '192.0.2.254',
  };

  test('live events, /v1/logs, an import, a refused event and a dead letter leave no trace of the addresses', async () => {
    const gateway = await GatewayProcess.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      LOG_LEVEL: 'debug',
      RETRY_MAX_MS: '300',
    });
    try {
      const t = Date.UTC(2020, 0, 20, 10);
      // A field-type conflict, so one of the points below becomes a dead letter.
      await fetch(`${influx.url}/write?db=${DB}`, { method: 'POST', body: `error,status=499 count="x" ${t}000000` });
      const live = await gateway.post([
        { type: 'session_start', time: t, user: 'ana', client_ip: IPS.live4, user_agent: UA },
        {
          type: 'simulation_start',
          time: t + 1,
          user: 'ana',
          simulation_type: 'websim',
          exercise: 'e',
          client_ip: IPS.live6,
          host: IPS.live6,
          user_agent: UA,
        },
        { type: 'visit', time: t + 2, client_ip: IPS.mapped, user_agent: UA },
        { type: 'error', time: t + 3, client_ip: IPS.live4, path: '/x' },
        { type: 'visit', time: t + 4, client_ip: `${IPS.refused}/24` },
      ]);
      assert.equal(live.status, 202);
      assert.equal(live.body.rejected.length, 1, 'the malformed address was refused');
      assert.ok(!JSON.stringify(live.body).includes(IPS.refused), 'and not echoed back');

      const logs = await fetch(`${gateway.url}/v1/logs`, {
        method: 'POST',
        body: `1 | 21/01/2020 10:00:00 | bea | ${IPS.logs} | ${UA}\n3 | 21/01/2020 10:01:00 | bea | ${IPS.logs} | websim | e | ${IPS.logs} | [NO CONTAINER] Browser | ${UA}\n`,
      });
      assert.equal(logs.status, 202);
      await gateway.drained();

      const logDir = mkdtempSync(join(scratch, 'import-'));
      writeFileSync(join(logDir, '2020-01-22-log.txt'), `1 | 22/01/2020 10:00:00 | cris | ${IPS.imported} | ${UA}\n`);
      const imported = await runCli(['import', logDir], {
        INFLUX_URL: influx.url,
        INFLUX_DB: DB,
        DATA_DIR: gateway.dataDir,
        LOG_LEVEL: 'debug',
      });
      assert.equal(imported.code, 0, imported.stderr);
      assert.equal((await gateway.health()).spool.dead_letters, 1, 'one dead letter exists');

      const places = {
        'the gateway DATA_DIR': allBytes(gateway.dataDir),
        'the gateway log (debug)': gateway.output,
        'the import output': imported.stdout + imported.stderr,
        "InfluxDB's answers": await everythingIn(DB),
      };
      assert.ok(places['the gateway log (debug)'].includes('"path":"/v1/logs"'), 'the log was captured');
      for (const [place, text] of Object.entries(places)) {
        for (const [what, ip] of Object.entries(IPS)) {
          const bare = ip.replace(/^::ffff:/, '');
          assert.ok(!text.includes(bare), `${what} address ${bare} found in ${place}`);
        }
        assert.ok(!text.includes('beef:77'), `an IPv6 fragment found in ${place}`);
      }
      assert.match(
        places["InfluxDB's answers"],
        /"US"|unknown/,
        'the country was derived (or unknown for documentation ranges)'
      );
    } finally {
      await gateway.stop();
    }
  });
});

describe("host, referrer, path and message never hold a client's address", () => {
  const DB = 'privacy_hosts';
  test('host keeps server names and SIMULATION_HOSTS; any other address is dropped, with or without client_ip; addresses in text are masked', async () => {
    const gateway = await GatewayProcess.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      SIMULATION_HOSTS: '198.51.100.10, 2001:db8:5::10',
    });
    try {
      const t = Date.UTC(2020, 0, 23, 10);
      const sim = (i: number, host: string, client_ip?: string) => ({
        type: 'simulation_start',
        time: t + i,
        user: `kid${i}`,
        simulation_type: 'websim',
        exercise: 'e',
        host,
        ...(client_ip ? { client_ip } : {}),
      });
      // The child's address in every spelling, compared with client_ip or without one.
      const child = [
        sim(0, '83.45.67.89'),
        sim(1, '::ffff:83.45.67.89', '83.45.67.89'),
        sim(2, '2A02:9000:0000:0000:0000:0000:0000:0077'),
        sim(3, '[2a02:9000::77]:8080', '2a02:9000::77'),
        sim(4, '83.45.67.89:443'),
        sim(5, '1395475289'),
        sim(6, '83-45-67-89.dyn.example.net'),
      ];
      const servers = [sim(10, 'sim-01.kibotics.example'), sim(11, '198.51.100.10'), sim(12, '2001:DB8:5:0:0:0:0:10')];
      const text = [
        {
          type: 'visit',
          time: t + 20,
          path: '/profile/83.45.67.89/edit',
          referrer: 'http://83.45.67.89:8000/login?next=/',
        },
        { type: 'visit', time: t + 21, referrer: 'http://[2a02:9000::77]/' },
        { type: 'visit', time: t + 22, referrer: 'https://www.google.es/search?q=kibotics' },
        {
          type: 'error',
          time: t + 23,
          status: 500,
          path: '/sim/2a02:9000::77',
          message: 'timeout from 83.45.67.89 (::ffff:83.45.67.89) at 10:15:00',
        },
      ];
      const r = await gateway.post([...child, ...servers, ...text]);
      assert.equal(r.body.accepted, child.length + servers.length + text.length, JSON.stringify(r.body));
      await gateway.drained();

      const hosts = await influx.rows(`SELECT "count", "host", "user" FROM "simulation_start"`, DB);
      const byUser = Object.fromEntries(hosts.map((h) => [h.user, h.host ?? null]));
      for (let i = 0; i < child.length; i++)
        assert.equal(byUser[`kid${i}`], null, `kid${i}'s host ${child[i]!.host} is dropped`);
      assert.deepEqual(
        [byUser.kid10, byUser.kid11, byUser.kid12],
        ['sim-01.kibotics.example', '198.51.100.10', '2001:db8:5::10']
      );

      const visits = await influx.rows(`SELECT "count", "path", "referrer" FROM "visit"`, DB);
      assert.deepEqual(
        visits.map((v) => [v.path ?? null, v.referrer ?? null]),
        [
          ['/profile/[ip]/edit', '[ip]'],
          [null, '[ip]'],
          [null, 'www.google.es'],
        ]
      );
      const [error] = await influx.rows(`SELECT "path", "message" FROM "error"`, DB);
      assert.deepEqual([error?.path, error?.message], ['/sim/[ip]', 'timeout from [ip] ([ip]) at 10:15:00']);

      const all = await everythingIn(DB);
      for (const fragment of ['83.45.67', '83-45-67', '1395475289', '2a02:9000', '2A02:9000'])
        assert.ok(!all.includes(fragment), `${fragment} found in InfluxDB`);
    } finally {
      await gateway.stop();
    }
  });
});

describe('countries of reserved addresses', () => {
  const DB = 'privacy_countries';
  test('private, loopback, link-local, documentation and ULA ranges are unknown, not AU or JP', async () => {
    const gateway = await GatewayProcess.start({ INFLUX_URL: influx.url, INFLUX_DB: DB });
    try {
      const t = Date.UTC(2020, 0, 24, 10);
      const reserved = [
        '192.0.2.1',
        '198.51.100.1',
        '203.0.113.1',
        '10.1.2.3',
        '172.16.5.4',
        '172.31.255.254',
        '192.168.1.1',
        '127.0.0.1',
        '169.254.1.1',
        '::1',
        'fe80::1',
        '2001:db8::1',
        'fd12:3456::1',
        '::ffff:198.51.100.7',
        '100.64.0.1',
      ];
      const r = await gateway.post([
        ...reserved.map((client_ip, i) => ({ type: 'visit', time: t + i, path: `/r${i}`, client_ip })),
        { type: 'visit', time: t + 100, path: '/es', client_ip: '83.45.67.89' },
      ]);
      assert.equal(r.body.accepted, reserved.length + 1, JSON.stringify(r.body));
      await gateway.drained();
      const rows = await influx.rows(`SELECT "path", "country" FROM "visit"`, DB);
      const country = Object.fromEntries(rows.map((v) => [v.path, v.country]));
      reserved.forEach((ip, i) => assert.equal(country[`/r${i}`], 'unknown', ip));
      assert.equal(country['/es'], 'ES', 'a public address still has its country');
    } finally {
      await gateway.stop();
    }
  });
});

describe('USER_ID_MODE=hmac', () => {
  const DB = 'privacy_hmac';
  const SECRET = 'a-secret-of-the-school-0123456789';

  test('names never reach InfluxDB; export and forget find the user through the same secret', async () => {
    const env = { INFLUX_URL: influx.url, INFLUX_DB: DB, USER_ID_MODE: 'hmac', USER_ID_SECRET: SECRET };
    const gateway = await GatewayProcess.start(env);
    try {
      const t = Date.UTC(2020, 0, 23, 10);
      await gateway.post([
        { type: 'session_start', time: t, user: 'ana.garcia' },
        { type: 'session_end', time: t + 60_000, user: 'ana.garcia', reason: 'logout' },
      ]);
      await gateway.drained();
      const users = (await influx.query('SHOW TAG VALUES FROM "session_start" WITH KEY = "user"', DB))[0]!.values.map(
        (v) => v[1]
      );
      assert.equal(users.length, 1);
      assert.match(String(users[0]), /^u_[A-Za-z0-9_-]{22}$/);
      assert.ok(!(await everythingIn(DB)).includes('ana.garcia'));
      const [end] = await influx.rows(`SELECT "duration_s" FROM "session_end"`, DB);
      assert.equal(end?.duration_s, 60, 'pairing works on pseudonyms');

      const exported = await runCli(['export', '--user', 'ana.garcia'], { ...env, DATA_DIR: gateway.dataDir });
      assert.equal(exported.code, 0, exported.stderr);
      const data = JSON.parse(exported.stdout);
      assert.equal(data.stored_as, users[0]);
      assert.equal(data.measurements.session_start.length, 1);

      const missingSecret = await runCli(['export', '--user', 'x'], {
        INFLUX_URL: influx.url,
        USER_ID_MODE: 'hmac',
        DATA_DIR: gateway.dataDir,
      });
      assert.equal(missingSecret.code, 2);
      assert.match(missingSecret.stderr, /USER_ID_SECRET \(--user-id-secret\) must be set/);
    } finally {
      await gateway.stop();
    }
  });
});

describe('forget and export', () => {
  const DB = 'privacy_forget';
  const NAME = 'O\'Brien, "Bob" \\';

  // 1.x refuses a whole DROP SERIES whose WHERE names a field of any measurement in a shard it
  // reads, and active_days has a `user` field: erasure names the measurements that tag the user.
  test('erasing a user tag is not refused because active_days has a user field', async () => {
    const DB = 'privacy_drop_series';
    await influx.query(`CREATE DATABASE "${DB}"`, DB);
    const body = [
      'session_start,user=eva count=1i 1600000000000000000',
      'session_start,user=leo count=1i 1600000000000000000',
      'active_days user="eva" 1600000000000000001',
    ].join('\n');
    assert.equal((await fetch(`${influx.url}/write?db=${DB}`, { method: 'POST', body })).status, 204);
    const client = new InfluxClient(loadConfig({ INFLUX_URL: influx.url, INFLUX_DB: DB }).influx, 0);
    await assert.rejects(
      client.query(`DROP SERIES FROM /.*/ WHERE "user" = 'eva'`),
      /fields not supported in WHERE clause during deletion/,
      'the trap'
    );
    await client.deleteUser('eva', USER_TAGGED);
    assert.equal(await client.deleteWhereField(ACTIVE_USERS, 'user', 'eva'), 1);
    assert.deepEqual(
      (await influx.rows('SELECT * FROM "session_start"', DB)).map((r) => r.user),
      ['leo']
    );
    assert.deepEqual(await influx.rows('SELECT * FROM "active_days"', DB), []);
  });

  test("forget erases one user from InfluxDB and the gateway's state, and only them", async () => {
    const env = { INFLUX_URL: influx.url, INFLUX_DB: DB, RETRY_MAX_MS: '300' };
    const gateway = await GatewayProcess.start(env);
    const t = Date.UTC(2020, 0, 24, 10);
    const both = (user: string, offset: number) => [
      { type: 'session_start', time: t + offset, user, group: '3A' },
      { type: 'simulation_start', time: t + offset + 1, user, simulation_type: 'simulator', exercise: 'maze' },
      { type: 'simulation_end', time: t + offset + 60_001, user, simulation_type: 'simulator', exercise: 'maze' },
      { type: 'visit', time: t + offset + 2, user, path: '/home' },
    ];
    await gateway.post([...both(NAME, 0), ...both('keeper', 10)]);
    await gateway.drained();
    // While InfluxDB is away, more of the user waits in the spool: forget must reach it there too
    // (two weeks later: a new day, run and class-day, so active-user points wait as well).
    await influx.pause();
    await gateway.post([{ type: 'session_start', time: t + 14 * 86_400_000, user: NAME, group: '3A' }]);
    await gateway.signal('SIGTERM');
    await influx.resume();

    const exported = await runCli(['export', '--user', NAME], { ...env, DATA_DIR: gateway.dataDir });
    const data = JSON.parse(exported.stdout);
    assert.deepEqual(Object.keys(data.measurements).sort(), [
      'active_days',
      'group_active_days',
      'session_start',
      'simulation_end',
      'simulation_start',
      'visit',
    ]);
    assert.ok(!exported.stdout.includes('keeper'), 'the export holds no one else');

    const forgot = await runCli(['forget', '--user', NAME, '--json'], { ...env, DATA_DIR: gateway.dataDir });
    assert.equal(forgot.code, 0, forgot.stderr);
    const report = JSON.parse(forgot.stdout);
    assert.ok(report.influxdb.series_removed >= 4, JSON.stringify(report));
    assert.equal(
      report.gateway.spool_lines,
      4,
      'the waiting points (session start, day, run start, class-day) were erased from the spool'
    );
    assert.ok(report.gateway.active_days >= 1);
    assert.equal(
      report.influxdb.active_day_points,
      3,
      'day, run start and class-day points, where the user is a field, erased by their times'
    );

    await gateway.launch();
    await gateway.drained();
    for (const m of ['session_start', 'simulation_start', 'simulation_end', 'visit']) {
      const users = ((await influx.query(`SHOW TAG VALUES FROM "${m}" WITH KEY = "user"`, DB))[0]?.values ?? []).map(
        (v) => v[1]
      );
      assert.deepEqual(users, ['keeper'], `${m} holds only the other user`);
    }
    const active = await influx.rows(`SELECT "user" FROM "active_days"`, DB);
    assert.deepEqual(
      [...new Set(active.map((r) => r.user))],
      ['keeper'],
      'active_days (day points and run starts) holds only the other user'
    );
    assert.equal(
      (await influx.rows(`SELECT count("user") AS n FROM "active_days" WHERE "run" = 'start'`, DB))[0]?.n,
      1,
      "the other user's run start stays"
    );
    const inClass = await influx.rows(`SELECT "user" FROM "group_active_days" WHERE "group" = '3A'`, DB);
    assert.deepEqual(
      [...new Set(inClass.map((r) => r.user))],
      ['keeper'],
      'group_active_days holds only the other user'
    );
    assert.ok(!(await everythingIn(DB)).includes("O'Brien"));
    const [keeper] = await influx.rows(`SELECT count("count") AS n FROM "simulation_end" WHERE "user" = 'keeper'`, DB);
    assert.equal(keeper?.n, 1);
    const [rollup] = await influx.rows(`SELECT sum("ends") AS n FROM "rollups"."simulations_15m"`, DB);
    assert.equal(rollup?.n, 2, 'roll-ups hold no users and keep their totals');
    await gateway.stop();
  });

  test('forget with InfluxDB down erases the gateway state, leaves the InfluxDB erasure pending, and the running gateway completes it first when InfluxDB is back', async () => {
    const DB = 'privacy_forget_pending';
    const env = { INFLUX_URL: influx.url, INFLUX_DB: DB, RETRY_MAX_MS: '300' };
    const gateway = await GatewayProcess.start(env);
    try {
      const t = Date.UTC(2020, 0, 27, 10);
      const events = (user: string, offset: number) => [
        { type: 'session_start', time: t + offset, user },
        { type: 'simulation_start', time: t + offset + 1, user, simulation_type: 'websim', exercise: 'maze' },
      ];
      await gateway.post([...events('pending_kid', 0), ...events('other_kid', 10)]);
      await gateway.drained();
      await influx.pause();
      // Waiting in the spool when forget runs: it must never reach InfluxDB.
      await gateway.post([...events('pending_kid', 3_600_000), ...events('other_kid', 3_600_010)]);

      const forgot = await runCli(['forget', '--user', 'pending_kid'], {
        ...env,
        DATA_DIR: gateway.dataDir,
        INFLUX_URL: influx.url,
      });
      assert.equal(forgot.code, 0, forgot.stderr);
      assert.doesNotMatch(forgot.stderr, /TypeError|\n\s+at /, 'no stack trace');
      assert.match(
        forgot.stdout,
        /^forgetting pending_kid:\n {2}gateway: 2 waiting points, 0 dead letters, 2 open starts, 2 active-user marks removed\n {2}InfluxDB: PENDING, not reached \(/
      );
      assert.equal((await gateway.health()).spool.pending_erasures, 1, 'the erasure waits in the gateway state');

      await influx.resume();
      await waitFor(
        'the pending erasure',
        async () => (await gateway.health()).spool.pending_erasures === 0,
        30_000,
        100
      );
      await gateway.drained();
      assert.deepEqual(
        ((await influx.query(`SHOW TAG VALUES FROM "session_start" WITH KEY = "user"`, DB))[0]?.values ?? []).map(
          (v) => v[1]
        ),
        ['other_kid']
      );
      assert.deepEqual(
        [...new Set((await influx.rows(`SELECT "user" FROM "active_days"`, DB)).map((r) => r.user))],
        ['other_kid']
      );
      const [others] = await influx.rows(`SELECT count("count") AS n FROM "simulation_start"`, DB);
      assert.equal(others?.n, 2, "the other child's points, spooled during the outage, are delivered");
      assert.ok(!(await everythingIn(DB)).includes('pending_kid'), 'nothing delivered later brought the user back');
    } finally {
      await gateway.stop();
    }
  });

  test('erased and delivered data leave nothing readable in DATA_DIR after a clean stop', async () => {
    const DB = 'privacy_secure_delete';
    const env = { INFLUX_URL: influx.url, INFLUX_DB: DB, RETRY_MAX_MS: '300' };
    const gateway = await GatewayProcess.start(env);
    try {
      const t = Date.UTC(2020, 0, 28, 10);
      const marker = 'delivered-marker-7f3a';
      await gateway.post([
        { type: 'session_start', time: t, user: 'forgetme', group: '3B' },
        { type: 'simulation_start', time: t + 1, user: 'forgetme', simulation_type: 'websim', exercise: 'maze' },
        { type: 'visit', time: t + 2, user: 'forgetme', path: `/${marker}` },
        { type: 'error', time: t + 3, status: 500, path: `/${marker}`, message: marker },
        ...Array.from({ length: 200 }, (_, i) => ({
          type: 'visit',
          time: t + 10 + i,
          user: 'keeper',
          path: `/${marker}/${i}`,
        })),
      ]);
      await gateway.drained();
      const forgot = await runCli(['forget', '--user', 'forgetme'], { ...env, DATA_DIR: gateway.dataDir });
      assert.equal(forgot.code, 0, forgot.stderr);
      assert.equal(await gateway.signal('SIGTERM'), 0, 'a clean stop');
      const bytes = allBytes(gateway.dataDir);
      assert.ok(bytes.length > 0);
      assert.ok(!bytes.includes('forgetme'), 'the erased user is nowhere in the state files');
      assert.ok(!bytes.includes(marker), 'delivered lines are not left readable in free pages');
    } finally {
      await gateway.stop();
    }
  });
});

describe('the parts each privacy command opens', () => {
  test('export and forget need no GEOIP_DB; export opens nothing in DATA_DIR', async () => {
    const DB = 'privacy_parts';
    const dir = mkdtempSync(join(scratch, 'parts-'));
    const state = join(dir, 'state');
    const env = { INFLUX_URL: influx.url, INFLUX_DB: DB, DATA_DIR: state, GEOIP_DB: join(dir, 'absent.mmdb') };
    await influx.query(`CREATE DATABASE "${DB}"`, DB);
    const body =
      'session_start,user=zoe count=1i 1600000000000000000\nsession_start,user=yan count=1i 1600000000000000000';
    assert.equal((await fetch(`${influx.url}/write?db=${DB}`, { method: 'POST', body })).status, 204);

    const exported = await runCli(['export', '--user', 'zoe', '--allow-new-state'], env);
    assert.equal(exported.code, 0, exported.stderr);
    assert.equal(JSON.parse(exported.stdout).measurements.session_start.length, 1);
    assert.ok(!existsSync(state), 'export created no store (nor DATA_DIR) where none was');

    const forgot = await runCli(['forget', '--user', 'zoe', '--allow-new-state', '--json'], env);
    assert.equal(forgot.code, 0, forgot.stderr);
    assert.ok(JSON.parse(forgot.stdout).influxdb.series_removed >= 1);
    assert.deepEqual(
      (await influx.rows('SELECT * FROM "session_start"', DB)).map((r) => r.user),
      ['yan']
    );
  });
});

describe('retention', () => {
  test('per-user points are kept RETENTION_DAYS (default 400), anonymous roll-ups forever', async () => {
    const DB = 'privacy_retention';
    // An empty RETENTION_DAYS means the default, over the harness's "keep forever".
    const gateway = await GatewayProcess.start({ INFLUX_URL: influx.url, INFLUX_DB: DB, RETENTION_DAYS: '' });
    try {
      await influx.prepared(DB);
      const [policies] = await influx.query('SHOW RETENTION POLICIES', DB);
      const duration = (name: string) =>
        policies!.values.find((v) => v[0] === name)?.[policies!.columns.indexOf('duration')];
      assert.equal(duration('autogen'), '9600h0m0s', '400 days');
      assert.equal(duration('rollups'), '0s', 'infinite');

      const old = Date.now() - 500 * 86_400_000;
      const recent = Date.now() - 86_400_000;
      const r = await gateway.post([
        { type: 'session_start', time: old, user: 'long_ago' },
        { type: 'session_start', time: recent, user: 'lately' },
      ]);
      assert.equal(r.body.accepted, 2);
      await gateway.drained();
      const users = (
        (await influx.query('SHOW TAG VALUES FROM "session_start" WITH KEY = "user"', DB))[0]?.values ?? []
      ).map((v) => v[1]);
      assert.deepEqual(users, ['lately'], 'the per-user point older than the retention was not written');
      const [total] = await influx.rows('SELECT sum("starts") AS n FROM "rollups"."sessions_15m"', DB);
      assert.equal(total?.n, 2, 'both count in the roll-ups');
      assert.equal((await gateway.health()).spool.dead_letters, 0);
    } finally {
      await gateway.stop();
    }
  });
});
