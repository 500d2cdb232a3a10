import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { loadConfig } from '../../src/config.js';
import { startGateway } from '../../src/gateway.js';
import { createLogger } from '../../src/log.js';
import { FakeClock } from '../harness/clock.js';
import { Influxd } from '@kibotics/test-kit/influxd';
import { waitFor } from '@kibotics/test-kit/ports';

const HOUR = 3_600_000;

test('the running gateway prunes open starts too old to pair, on its clock, counts them, and an end after the prune is written without a duration', async () => {
  const influx = await Influxd.start();
  const dataDir = mkdtempSync(join(tmpdir(), 'open-starts-'));
  const logLines: string[] = [];
  const stream = new PassThrough();
  stream.on('data', (chunk: Buffer) => logLines.push(...chunk.toString().split('\n').filter(Boolean)));
  const DB = 'open_starts';
  const t = Date.UTC(2020, 0, 20, 10);
  const clock = new FakeClock(t);
  const config = loadConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    INFLUX_URL: influx.url,
    INFLUX_DB: DB,
    RETENTION_DAYS: '0',
    PAIR_MAX_HOURS: '12',
  });
  const gateway = await startGateway(config, createLogger('debug', stream), clock);
  const url = `http://127.0.0.1:${gateway.port}`;
  const post = async (events: unknown[]) => {
    const r = await fetch(`${url}/v1/events`, { method: 'POST', body: JSON.stringify(events) });
    assert.equal(r.status, 202, await r.clone().text());
  };
  try {
    await post([
      { type: 'session_start', time: t, user: 'gone' },
      { type: 'session_start', time: t + 6 * HOUR, user: 'stays' },
    ]);
    clock.advance(13 * HOUR);
    await post([
      // An hour after its start, well within PAIR_MAX_HOURS, but after its start was pruned.
      { type: 'session_end', time: t + HOUR, user: 'gone', reason: 'logout' },
      { type: 'session_end', time: t + 7 * HOUR, user: 'stays', reason: 'logout' },
    ]);
    const metrics = await (await fetch(`${url}/metrics`)).text();
    assert.match(metrics, /^kibotics_open_starts_pruned_total 1$/m);
    assert.ok(
      logLines.some((l) => /"count":1\b.*forgot open starts too old to pair/.test(l)),
      'said in the log (info)'
    );
    await waitFor(
      'the ends in InfluxDB',
      async () => (await influx.rows('SELECT "count" FROM "session_end"', DB).catch(() => [])).length === 2,
      15_000
    );
    const ends = await influx.rows('SELECT "count", "user", "duration_s" FROM "session_end"', DB);
    assert.deepEqual(
      Object.fromEntries(ends.map((e) => [e.user, e.duration_s ?? null])),
      { gone: null, stays: 3600 },
      'the pruned start gave no duration; the kept one paired'
    );
  } finally {
    await gateway.close(2000);
    await influx.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
