import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { waitFor } from '@kibotics/test-kit/ports';

/**
 * The promise of the gateway: an event answered 202 reaches InfluxDB, exactly once, whatever
 * happens in between — InfluxDB going away, or the gateway itself being killed.
 */

let influx: Influxd;
before(async () => {
  influx = await Influxd.start();
});
after(async () => {
  await influx?.stop();
});

const BATCH = 50;

/** Posts `requests` batches of visits with distinct times, 4 at a time; returns the times acknowledged. */
async function load(gateway: GatewayProcess, base: number, requests: number, during?: (i: number) => Promise<void>) {
  const acknowledged: number[] = [];
  for (let i = 0; i < requests; i += 4) {
    await during?.(i);
    await Promise.all(
      [0, 1, 2, 3].map(async (k) => {
        const n = i + k;
        if (n >= requests) return;
        const times = Array.from({ length: BATCH }, (_, j) => base + n * BATCH + j);
        try {
          const r = await gateway.post(times.map((time) => ({ type: 'visit', time, path: '/load' })));
          if (r.status === 202) acknowledged.push(...times);
        } catch {
          // The gateway was killed mid-request: not acknowledged, nothing promised.
        }
      })
    );
  }
  return acknowledged;
}

async function storedTimes(db: string, base: number): Promise<number[]> {
  const rows = await influx.rows(`SELECT "count" FROM "visit" WHERE time >= ${base}ms AND time < ${base + 1e7}ms`, db);
  return rows.map((r) => r.time as number);
}

describe('InfluxDB stopped during a steady load, then started again', () => {
  const DB = 'durability_outage';
  let gateway: GatewayProcess;
  before(async () => {
    gateway = await GatewayProcess.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      RETRY_MAX_MS: '500',
      BATCH_SIZE: '500',
    });
  });
  after(async () => gateway?.stop());

  test('every acknowledged event is in InfluxDB afterwards, each exactly once', async () => {
    const base = Date.UTC(2020, 0, 20, 9);
    let degradedSeen = false;
    const acknowledged = await load(gateway, base, 60, async (i) => {
      if (i === 12) await influx.pause();
      if (i === 32) {
        degradedSeen = (await gateway.health()).status === 'degraded';
        await influx.resume();
      }
      await new Promise((r) => setTimeout(r, 20));
    });
    assert.equal(acknowledged.length, 60 * BATCH, 'the gateway kept acknowledging while InfluxDB was down');
    assert.ok(degradedSeen, '/healthz said degraded during the outage');
    await gateway.drained();
    const stored = await storedTimes(DB, base);
    assert.equal(stored.length, acknowledged.length, 'no event lost, none doubled');
    assert.deepEqual(new Set(stored), new Set(acknowledged));
    const [total] = await influx.rows(
      `SELECT sum("visits") AS v FROM "rollups"."visits_15m" WHERE time >= ${base}ms AND time < ${base + 1e7}ms`,
      DB
    );
    assert.equal(total?.v, acknowledged.length, 'the roll-ups count each event once');
    assert.equal((await gateway.health()).status, 'ok');
  });
});

for (const synchronousCommit of ['on', 'off'] as const) {
  describe(`the gateway killed with SIGKILL in the middle of a load, then restarted (SYNCHRONOUS_COMMIT=${synchronousCommit})`, () => {
    const DB = `durability_kill_${synchronousCommit}`;
    let gateway: GatewayProcess;
    before(async () => {
      gateway = await GatewayProcess.start({
        INFLUX_URL: influx.url,
        INFLUX_DB: DB,
        RETRY_MAX_MS: '500',
        SYNCHRONOUS_COMMIT: synchronousCommit,
      });
    });
    after(async () => gateway?.stop());

    // With `off` a 202 waits for the OS's cache only: a killed process loses nothing all the same.
    test('every event acknowledged before the kill is in InfluxDB afterwards', async () => {
      const base = Date.UTC(2020, 0, 21, 9);
      // Make delivery lag behind acceptance, so the kill finds events spooled but not delivered.
      await influx.pause();
      const acknowledged = await load(gateway, base, 40, async (i) => {
        if (i === 24) void gateway.kill();
      });
      assert.ok(acknowledged.length >= 20 * BATCH, `${acknowledged.length} acknowledged before the kill`);
      await influx.resume();
      await gateway.launch();
      await gateway.drained();
      const stored = new Set(await storedTimes(DB, base));
      const missing = acknowledged.filter((t) => !stored.has(t));
      assert.deepEqual(missing, [], `${missing.length} acknowledged events missing`);
      await waitFor('no spool left', async () => (await gateway.health()).spool.lines === 0);
    });
  });
}
