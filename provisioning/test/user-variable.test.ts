import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { runCli } from '@kibotics/test-kit/cli';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { userVar } from '../src/variables.js';
import { expand } from './support/grafana-macros.js';

/**
 * The user drop-down after erasure, on the real InfluxDB 1.6.7: `forget` removes a child from the
 * variable's answer. The variable reads `active_days`, whose points erasure deletes, rather than SHOW
 * TAG VALUES, which InfluxDB 1.x is reported to keep answering with erased series until it restarts
 * (influxdata/influxdb#10285, #14904; not reproduced by this small single-shard case on 1.6.7).
 */

let influx: Influxd;
let gateway: GatewayProcess;
const db = 'kibotics';
before(async () => {
  influx = await Influxd.start();
  gateway = await GatewayProcess.start({
    INFLUX_URL: influx.url,
    INFLUX_DB: db,
    STATS_INTERVAL_S: '0',
    LOG_LEVEL: 'warn',
  });
});
after(async () => {
  await gateway?.signal('SIGTERM');
  if (gateway) rmSync(gateway.dataDir, { recursive: true, force: true });
  await influx?.stop();
});

/** The names Grafana would offer: the variable's query over the last day, its rows' second column. */
async function offered(query: string): Promise<string[]> {
  const now = Date.now();
  const series = await influx.query(
    expand(query, {
      range: { from: now - 86_400_000, to: now + 60_000 },
      intervalMs: 0,
      interval: '',
      variables: [],
      values: {},
    }),
    db
  );
  return series.flatMap((s) => s.values.map((row) => String(row[1] ?? row[0]))).sort();
}

test('a forgotten user is no longer offered by the user variable', async () => {
  for (const user of ['ana', 'ben']) {
    const r = await gateway.post([{ type: 'session_start', user, session_id: `s-${user}` }]);
    assert.equal(r.status, 202, JSON.stringify(r.body));
  }
  await gateway.drained(30_000);
  const showTagValues = 'SHOW TAG VALUES FROM "session_start" WITH KEY = "user"';
  assert.deepEqual(await offered(userVar.query), ['ana', 'ben']);
  assert.deepEqual(await offered(showTagValues), ['ana', 'ben']);

  // The gateway stops before `forget` opens its state, as an operator would run it.
  await gateway.signal('SIGTERM');
  const r = await runCli(['forget', '--user', 'ana'], {
    DATA_DIR: gateway.dataDir,
    INFLUX_URL: influx.url,
    INFLUX_DB: db,
    LOG_LEVEL: 'warn',
  });
  assert.equal(r.code, 0, r.stderr + r.stdout);

  assert.deepEqual(await offered(userVar.query), ['ben']);
});
