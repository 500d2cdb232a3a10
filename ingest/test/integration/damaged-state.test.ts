import assert from 'node:assert/strict';
import { closeSync, cpSync, mkdtempSync, openSync, readFileSync, rmSync, truncateSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';

// The store damaged while the gateway is stopped, three ways. Each time the gateway must refuse to
// run on it, saying what happened and how to recover, and `salvage` must deliver what is readable.

let influx: Influxd;
before(async () => {
  influx = await Influxd.start();
});
after(async () => influx?.stop());

const N = 3000;
const visits = (base: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ type: 'visit', time: base + i, path: '/damage' }));

/** A gateway that accepted N events InfluxDB never saw, then stopped (`how`). */
async function spooled(db: string, base: number, how: 'SIGKILL' | 'SIGTERM'): Promise<GatewayProcess> {
  const gateway = await GatewayProcess.start({
    INFLUX_URL: influx.url,
    INFLUX_DB: db,
    RETRY_MAX_MS: '300',
    STATS_INTERVAL_S: '0',
    SHUTDOWN_GRACE_MS: '0',
  });
  await influx.prepared(db);
  await influx.pause();
  for (let i = 0; i < N; i += 500) assert.equal((await gateway.post(visits(base + i, 500))).status, 202);
  await gateway.signal(how);
  await influx.resume();
  return gateway;
}

/** Starting again must fail, naming the damage and the way out. */
async function refusesToStart(gateway: GatewayProcess, problem: RegExp): Promise<void> {
  const before = gateway.output.length;
  await assert.rejects(gateway.launch(), /gateway exited 1/);
  const said = gateway.output.slice(before);
  assert.match(said, /gateway\.sqlite is damaged/);
  assert.match(said, problem);
  assert.match(said, /kibotics-analytics salvage/);
  assert.doesNotMatch(said, /gateway listening/);
}

/** Runs salvage; returns how many spool rows it says it saved, after checking InfluxDB got them. */
async function salvageAndRestart(gateway: GatewayProcess, db: string, base: number): Promise<number> {
  const { code, stdout, stderr } = await runCli(['salvage', '--wait-s', '30'], {
    INFLUX_URL: influx.url,
    INFLUX_DB: db,
    DATA_DIR: gateway.dataDir,
  });
  assert.equal(code, 0, stdout + stderr);
  assert.match(stdout, /the damaged files are kept in /);
  const saved = Number(/spool: (\d+) row\(s\) salvaged/.exec(stdout)?.[1]);
  assert.match(stdout, /delivered: every salvaged point is in InfluxDB/);
  // The spool held the visits and, after a SIGTERM, the gateway's last figures (`gateway`).
  const [raw] = await influx.rows(`SELECT count("count") AS n FROM "visit" WHERE time >= ${base}ms`, db);
  const [figures] = await influx.rows(`SELECT count("accepted") AS n FROM "gateway"`, db);
  assert.equal(((raw?.n as number) ?? 0) + ((figures?.n as number) ?? 0), saved, 'what salvage saved is in InfluxDB');
  // And the gateway runs again, on the new store.
  await gateway.launch();
  assert.equal((await gateway.post(visits(base + N, 1))).status, 202);
  await gateway.drained();
  await gateway.stop();
  return saved;
}

describe('damaged state in DATA_DIR', () => {
  test('a WAL deleted after an unclean stop', async () => {
    const DB = 'damage_wal';
    const base = Date.UTC(2020, 6, 1, 9);
    const gateway = await spooled(DB, base, 'SIGKILL');
    rmSync(join(gateway.dataDir, 'gateway.sqlite-wal'));
    rmSync(join(gateway.dataDir, 'gateway.sqlite-shm'), { force: true });
    await refusesToStart(gateway, /write-ahead log .* is missing after an unclean stop/);
    const saved = await salvageAndRestart(gateway, DB, base);
    assert.ok(saved < N, 'the commits in the lost WAL are gone (and said so)');
  });

  test('an emptied database file', async () => {
    const DB = 'damage_empty';
    const base = Date.UTC(2020, 6, 2, 9);
    const gateway = await spooled(DB, base, 'SIGTERM');
    truncateSync(join(gateway.dataDir, 'gateway.sqlite'), 0);
    await refusesToStart(gateway, /the database file is empty/);
    assert.equal(await salvageAndRestart(gateway, DB, base), 0);
  });

  test('a corrupted page', async () => {
    const DB = 'damage_page';
    const base = Date.UTC(2020, 6, 3, 9);
    const gateway = await spooled(DB, base, 'SIGTERM');
    const file = join(gateway.dataDir, 'gateway.sqlite');
    // Garbage over one page of waiting lines, in the middle of the spool.
    const bytes = readFileSync(file);
    const spoolPages = Array.from({ length: bytes.length / 4096 }, (_, i) => i).filter((i) =>
      bytes.subarray(i * 4096, (i + 1) * 4096).includes('/damage')
    );
    const fd = openSync(file, 'r+');
    writeSync(fd, Buffer.alloc(4096, 0xa5), 0, 4096, spoolPages[Math.floor(spoolPages.length / 2)]! * 4096);
    closeSync(fd);
    await refusesToStart(
      gateway,
      /quick_check found damaged pages|SQLite cannot read it \(database disk image is malformed\)/
    );
    const saved = await salvageAndRestart(gateway, DB, base);
    assert.ok(saved > N / 2 && saved < N, `most of the spool is saved (${saved} of ${N})`);
  });
});

describe('salvage of a store from before the user column', () => {
  test('needs no GEOIP_DB, and erasure still finds every line the salvaged store holds', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'salvage-old-'));
    try {
      // Made by the version before spooled lines had their user beside them (see its make.ts).
      cpSync(join(import.meta.dirname, '../fixtures/store-before-user-column'), dir, {
        recursive: true,
        filter: (src) => !src.endsWith('.ts'),
      });
      const env = { DATA_DIR: dir, INFLUX_URL: 'http://127.0.0.1:9', GEOIP_DB: join(dir, 'absent.mmdb') };
      const salvaged = await runCli(['salvage', '--wait-s', '0'], env);
      assert.equal(salvaged.code, 0, salvaged.stdout + salvaged.stderr);
      assert.match(salvaged.stdout, /^spool: 63 row\(s\) salvaged$/m);
      assert.match(salvaged.stdout, /^dead_letter: 9 row\(s\) salvaged$/m);
      const forgot = await runCli(['forget', '--user', 'ana'], env);
      assert.equal(forgot.code, 0, forgot.stderr);
      assert.match(forgot.stdout, /gateway: 4 waiting points, 1 dead letters,/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
