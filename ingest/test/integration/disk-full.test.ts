import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statfsSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { waitFor } from '@kibotics/test-kit/ports';

// DATA_DIR on a real, small file system (a 32 MB tmpfs), filled by the spool while InfluxDB is down.
const root = process.getuid?.() === 0;
const SKIP = root
  ? false
  : 'mounting a small file system needs root (CI runs as root); run the tests as root to include this one';

describe('DATA_DIR on a full disk', { skip: SKIP }, () => {
  const DB = 'disk_full';
  let influx: Influxd;
  let mount: string;
  let gateway: GatewayProcess | undefined;
  before(async () => {
    influx = await Influxd.start();
    mount = mkdtempSync(join(tmpdir(), 'small-fs-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=32m', 'tmpfs', mount]);
  });
  after(async () => {
    await gateway?.signal('SIGKILL');
    execFileSync('umount', ['-l', mount]);
    rmSync(mount, { recursive: true, force: true });
    await influx?.stop();
  });

  test('refuses new events with 507 and Retry-After, keeps running and delivering, accepts again once there is room; nothing acknowledged is lost', async () => {
    const dataDir = join(mount, 'data');
    mkdirSync(dataDir);
    // Most of the file system taken by something else, so the spool fills it quickly.
    const ballast = join(mount, 'ballast');
    const free = () => statfsSync(mount).bavail * statfsSync(mount).bsize;
    writeFileSync(ballast, Buffer.alloc(free() - 14 * 1_048_576));
    gateway = await GatewayProcess.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      DATA_DIR: dataDir,
      RETRY_MAX_MS: '300',
      STATS_INTERVAL_S: '1',
      BATCH_SIZE: '500',
    });
    await influx.prepared(DB);
    await influx.pause();

    const base = Date.UTC(2020, 4, 4, 9);
    const acknowledged: number[] = [];
    let next = base;
    const post = async (n: number) => {
      const times = Array.from({ length: n }, () => next++);
      const response = await fetch(`${gateway!.url}/v1/events`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify(times.map((time) => ({ type: 'visit', time, path: `/${'p'.repeat(1000)}` }))),
      });
      if (response.status === 202) acknowledged.push(...times);
      return response;
    };

    let refused: Response | undefined;
    for (let i = 0; i < 400 && !refused; i++) {
      const response = await post(200);
      if (response.status !== 202) refused = response;
    }
    assert.ok(refused, 'the disk filled up');
    assert.equal(refused.status, 507, await refused.clone().text());
    assert.equal(refused.headers.get('retry-after'), '30');
    assert.match(((await refused.json()) as any).rejected[0].error, /the disk holding DATA_DIR is full/);
    assert.ok(acknowledged.length > 1000, `${acknowledged.length} events were accepted before`);

    // Still running: the stats writer ticks every second on the full disk, requests are answered.
    await new Promise((r) => setTimeout(r, 2500));
    const health = await gateway.health();
    assert.equal(health.disk.full, true);
    assert.equal(health.status, 'degraded');
    assert.equal((await post(10)).status, 507, 'still refusing, without a crash');

    // Killed and started again on the full disk: it opens its store, and still refuses.
    await gateway.kill();
    await gateway.launch();
    assert.equal((await gateway.health()).disk.full, true);
    assert.equal((await post(10)).status, 507);

    // InfluxDB back: delivery goes on (it needs the disk to record what was delivered), and what
    // it delivered makes room: the gateway accepts again by itself.
    await influx.resume();
    await gateway.drained(60_000);
    await waitFor('the gateway to accept again', async () => (await gateway!.health()).disk.full === false, 20_000);
    assert.equal((await post(50)).status, 202);

    // Full again, InfluxDB away; the operator frees space on the file system: accepted again.
    await influx.pause();
    const fill = async () => {
      for (let i = 0; i < 400; i++) if ((await post(200)).status === 507) return true;
      return false;
    };
    assert.ok(await fill(), 'full again');
    rmSync(ballast);
    await waitFor('the gateway to accept again', async () => (await gateway!.health()).disk.full === false, 20_000);
    assert.equal((await post(50)).status, 202);
    await influx.resume();
    await gateway.drained(60_000);

    const rows = await influx.rows(`SELECT "count" FROM "visit" WHERE time >= ${base}ms`, DB);
    const stored = rows.map((r) => r.time as number);
    assert.equal(stored.length, acknowledged.length, 'each acknowledged event once, none lost');
    assert.deepEqual(new Set(stored), new Set(acknowledged));
    assert.doesNotMatch(gateway.output, /SQLITE_FULL|Uncaught|unhandled/i, 'no storage error escaped');
    assert.match(gateway.output, /the disk holding DATA_DIR is full/);
  });
});
