import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';
import { waitFor } from '@kibotics/test-kit/ports';

let influx: Influxd;
before(async () => {
  influx = await Influxd.start();
});
after(async () => {
  await influx?.stop();
});

/**
 * README "Dead letters": a field-type conflict fixed without losing delivered points, the writers
 * stopped. On 1.6.7 only dropping the shard forgets a field's type (DELETE, DROP MEASUREMENT, both,
 * a restart: tried, none does), so every point of the shard is copied to a scratch database first and
 * copied back after, all but the other writer's (`ours`).
 */
async function rebuildShard(db: string, rp: string, time: number, ours: string): Promise<void> {
  const shards = (await influx.query('SHOW SHARDS', db)).find((s) => s.name === db)!;
  const col = (row: unknown[], name: string) => row[shards.columns.indexOf(name)] as string;
  const shard = shards.values.find(
    (r) =>
      col(r, 'retention_policy') === rp &&
      Date.parse(col(r, 'start_time')) <= time &&
      time < Date.parse(col(r, 'end_time'))
  )!;
  const range = `time >= '${col(shard, 'start_time')}' AND time < '${col(shard, 'end_time')}'`;
  await influx.query(`CREATE DATABASE "${db}_saved"`, db);
  if (rp !== 'autogen')
    await influx.query(`CREATE RETENTION POLICY "${rp}" ON "${db}_saved" DURATION INF REPLICATION 1`, db);
  // One measurement at a time: a query over several keeps one type per field name, and drops the rest.
  const measurements = ((await influx.query('SHOW MEASUREMENTS', db))[0]?.values ?? []).map((v) => String(v[0]));
  for (const m of measurements)
    await influx.query(
      `SELECT * INTO "${db}_saved"."${rp}"."${m}" FROM "${db}"."${rp}"."${m}" WHERE ${range} GROUP BY *`,
      db
    );
  await influx.query(`DROP SHARD ${col(shard, 'id')}`, db);
  for (const m of measurements)
    await influx.query(
      `SELECT * INTO "${db}"."${rp}"."${m}" FROM "${db}_saved"."${rp}"."${m}" WHERE ${range} AND ${ours} GROUP BY *`,
      db
    );
}

const visits = (base: number, n: number) =>
  Array.from({ length: n }, (_, i) => ({ type: 'visit', time: base + i, path: '/ops' }));

describe('a full spool', () => {
  const DB = 'ops_full_spool';
  let gateway: TestGateway;
  before(async () => {
    gateway = await TestGateway.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      SPOOL_MAX_LINES: '100',
      RETRY_MAX_MS: '300',
    });
  });
  after(async () => gateway?.stop());

  test('answers 503 with Retry-After while InfluxDB is away, and recovers when it is back', async () => {
    await influx.pause();
    const base = Date.UTC(2020, 1, 10, 9);
    assert.equal((await gateway.post(visits(base, 100))).status, 202, 'fills the spool');
    const response = await fetch(`${gateway.url}/v1/events`, {
      method: 'POST',
      body: JSON.stringify(visits(base + 100, 1)),
    });
    assert.equal(response.status, 503);
    assert.ok(Number(response.headers.get('retry-after')) > 0, 'Retry-After tells when to come back');
    assert.match(
      ((await response.json()) as any).rejected[0].error,
      /^the spool is full \(100 lines wait for InfluxDB\)/
    );
    const health = await gateway.health();
    assert.equal(health.status, 'degraded');
    await influx.resume();
    await gateway.drained();
    assert.equal((await gateway.post(visits(base + 100, 1))).status, 202, 'accepts again once delivered');
    await gateway.drained();
    const [n] = await influx.rows(`SELECT count("count") AS n FROM "visit"`, DB);
    assert.equal(n?.n, 101);
  });
});

describe('dead letters', () => {
  const DB = 'ops_dead_letters';
  let gateway: GatewayProcess;
  before(async () => {
    gateway = await GatewayProcess.start({ INFLUX_URL: influx.url, INFLUX_DB: DB, RETRY_MAX_MS: '300' });
  });
  after(async () => gateway?.stop());

  test('a point InfluxDB refuses goes aside, the rest of its batch is written, and replay delivers it once fixed', async () => {
    // A field-type conflict: `count` already exists as a string in this shard, so count=1i is refused.
    await fetch(`${influx.url}/write?db=${DB}&precision=ms`, {
      method: 'POST',
      body: `error,status=418 count="teapot" ${Date.UTC(2020, 1, 11, 9)}`,
    });
    const base = Date.UTC(2020, 1, 11, 9, 0, 1);
    const r = await gateway.post([{ type: 'error', time: base, status: 500, message: 'refused' }, ...visits(base, 5)]);
    assert.equal(r.status, 202);
    await gateway.drained();
    const health = await gateway.health();
    assert.equal(health.spool.dead_letters, 1);
    const [n] = await influx.rows(`SELECT count("count") AS n FROM "visit"`, DB);
    assert.equal(n?.n, 5, 'the rest of the batch was written');

    const env = { DATA_DIR: gateway.dataDir };
    const list = await runCli(['dead-letters', 'list'], env);
    assert.equal(list.code, 0, list.stderr);
    assert.match(list.stdout, /^1 dead letter\(s\)\n#1 \S+ 400 InfluxDB answered 400: .*field type conflict/);
    assert.match(list.stdout, /\n {4}error,status=500 count=1i,message="refused" \d+/);

    // The operator's fix, as README "Dead letters" says: the shard rebuilt without the other writer's
    // points (DROP SHARD alone would delete the visits of the same week, delivered already).
    await gateway.signal('SIGTERM');
    await rebuildShard(DB, 'autogen', base, `"status" != '418'`);
    await gateway.launch();
    const replay = await runCli(['dead-letters', 'replay'], env);
    assert.match(replay.stdout, /^1 dead letter\(s\) back in the spool/);
    await waitFor(
      'the replayed point',
      async () => (await influx.rows(`SELECT "message" FROM "error"`, DB)).length === 1
    );
    assert.equal((await gateway.health()).spool.dead_letters, 0);
    // Replaying twice does not double: same series, same time.
    await runCli(['dead-letters', 'replay'], env);
    const [errors] = await influx.rows(`SELECT count("count") AS n FROM "error"`, DB);
    assert.equal(errors?.n, 1);
    const [kept] = await influx.rows(`SELECT count("count") AS n FROM "visit"`, DB);
    assert.equal(kept?.n, 5, 'delivered points of the same shard are still there');
    const [theirs] = await influx.rows(
      `SELECT "count" FROM "${DB}_saved"."autogen"."error" WHERE "status" = '418'`,
      DB
    );
    assert.equal(theirs?.count, 'teapot', "the other writer's points stay in the copy");
  });

  test("a replayed roll-up dead letter sends the bucket's current totals, not the refused ones", async () => {
    const bucket = Date.UTC(2020, 1, 12, 9);
    // Something else wrote `starts` as a float into this roll-up's shard: our integer totals are refused.
    await fetch(`${influx.url}/write?db=${DB}&rp=rollups&precision=ms`, {
      method: 'POST',
      body: `sessions_15m,bot=tool starts=0.5 ${bucket}`,
    });
    const start = (i: number) => ({ type: 'session_start', time: bucket + i * 1000, user: `rollup_${i}` });
    assert.equal((await gateway.post([start(0)])).status, 202);
    await waitFor('the refused bucket', async () => (await gateway.health()).spool.dead_letters === 1);
    await gateway.signal('SIGTERM');
    await influx.query(`DROP DATABASE "${DB}_saved"`, DB);
    await rebuildShard(DB, 'rollups', bucket, `"bot" != 'tool'`);
    await gateway.launch();
    // The bucket moves on (1 → 3 starts) before the operator replays its dead letter (starts=1).
    assert.equal((await gateway.post([start(1), start(2)])).status, 202);
    await gateway.drained();
    const replay = await runCli(['dead-letters', 'replay'], { DATA_DIR: gateway.dataDir });
    assert.equal(replay.code, 0, replay.stderr);
    await gateway.drained();
    await new Promise((r) => setTimeout(r, 1500)); // a stale line would have been written by now
    const [ours] = await influx.rows(
      `SELECT sum("starts") AS n FROM "rollups"."sessions_15m" WHERE time = ${bucket}ms AND "bot" = 'false'`,
      DB
    );
    assert.equal(ours?.n, 3);
  });

  test('an unknown action is a usage error', async () => {
    const r = await runCli(['dead-letters', 'explode'], { DATA_DIR: gateway.dataDir });
    assert.equal(r.code, 2);
    assert.match(r.stderr, /dead-letters needs an action: list, replay or purge/);
  });
});

describe('graceful shutdown', () => {
  const DB = 'ops_shutdown';

  test('SIGTERM stops within the grace period; what was not delivered is delivered after the next start', async () => {
    const gateway = await GatewayProcess.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: DB,
      SHUTDOWN_GRACE_MS: '1500',
      RETRY_MAX_MS: '300',
    });
    try {
      await influx.pause();
      const base = Date.UTC(2020, 1, 12, 9);
      assert.equal((await gateway.post(visits(base, 20))).status, 202);
      const started = Date.now();
      const code = await gateway.signal('SIGTERM');
      const took = Date.now() - started;
      assert.equal(code, 0);
      assert.ok(took < 5000, `stopped in ${took} ms`);
      assert.match(gateway.output, /"msg":"stopped"/);
      await influx.resume();
      await gateway.launch();
      await gateway.drained();
      const [n] = await influx.rows(`SELECT count("count") AS n FROM "visit"`, DB);
      assert.equal(n?.n, 20);
    } finally {
      await gateway.stop();
    }
  });
});

describe('metrics and limits', () => {
  const DB = 'ops_metrics';
  let gateway: TestGateway;
  before(async () => {
    gateway = await TestGateway.start({ INFLUX_URL: influx.url, INFLUX_DB: DB, RATE_LIMIT_RPS: '5' });
  });
  after(async () => gateway?.stop());

  test('/metrics counts received, accepted, rejected by reason, delivered, spool depth and write latency', async () => {
    await gateway.post([
      ...visits(Date.UTC(2020, 1, 13, 9), 3),
      { type: 'visit', time: 'x' },
      { type: 'visit', bogus: 1 },
    ]);
    await gateway.drained();
    const text = await (await fetch(`${gateway.url}/metrics`)).text();
    const value = (name: string) =>
      Number(new RegExp(`^${name.replace(/[{}"]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1]);
    assert.equal(value('kibotics_events_received_total'), 5);
    assert.equal(value('kibotics_events_accepted_total'), 3);
    assert.equal(value('kibotics_events_rejected_total{reason="time"}'), 1);
    assert.equal(value('kibotics_events_rejected_total{reason="unknown_field"}'), 1);
    assert.ok(value('kibotics_points_delivered_total') >= 4, 'three raw points and their roll-up bucket');
    assert.equal(value('kibotics_spool_lines'), 0);
    assert.equal(value('kibotics_spool_oldest_age_seconds'), 0);
    assert.ok(value('kibotics_influx_write_duration_seconds_count') >= 1);
    assert.match(text, /^kibotics_gateway_process_resident_memory_bytes \d+/m);
  });

  test('a source over its rate gets 429 with Retry-After', async () => {
    const statuses: number[] = [];
    for (let i = 0; i < 15; i++) {
      const r = await fetch(`${gateway.url}/v1/events`, { method: 'POST', body: JSON.stringify({ type: 'visit' }) });
      statuses.push(r.status);
      if (r.status === 429) assert.ok(Number(r.headers.get('retry-after')) >= 1);
      await r.body?.cancel();
    }
    assert.ok(statuses.includes(202) && statuses.includes(429), statuses.join(','));
  });
});

describe('a database that loses its roll-up policy', () => {
  test('the gateway prepares it again and delivers', async () => {
    const DB = 'ops_lost_policy';
    const gateway = await TestGateway.start({ INFLUX_URL: influx.url, INFLUX_DB: DB, RETRY_MAX_MS: '300' });
    try {
      await influx.prepared(DB);
      await influx.query('DROP RETENTION POLICY "rollups" ON "ops_lost_policy"', DB);
      const r = await gateway.post(visits(Date.UTC(2020, 1, 14, 9), 3));
      assert.equal(r.status, 202);
      await gateway.drained();
      const [n] = await influx.rows('SELECT sum("visits") AS n FROM "rollups"."visits_15m"', DB);
      assert.equal(n?.n, 3);
      assert.equal((await gateway.health()).spool.dead_letters, 0);
    } finally {
      await gateway.stop();
    }
  });
});
