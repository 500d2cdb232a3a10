import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { generateDemo } from '../../src/demo/index.js';
import { runCli } from '@kibotics/test-kit/cli';
import { Influxd } from '@kibotics/test-kit/influxd';
import { TestGateway } from '../harness/gateway.js';

/** `kibotics-analytics demo` fills a real InfluxDB with what the generator makes, through either way in. */

let influx: Influxd;
let dir: string;
before(async () => {
  influx = await Influxd.start();
  dir = mkdtempSync(join(tmpdir(), 'demo-'));
});
after(async () => {
  await influx?.stop();
  rmSync(dir, { recursive: true, force: true });
});

const countBy = (events: Iterable<{ type: string }>) => {
  const counts: Record<string, number> = {};
  for (const e of events) counts[e.type] = (counts[e.type] ?? 0) + 1;
  return counts;
};

async function storedCounts(db: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const m of ['session_start', 'session_end', 'simulation_start', 'simulation_end', 'visit', 'error']) {
    const [row] = await influx.rows(`SELECT count("count") AS n FROM "${m}"`, db);
    if (row) out[m] = row.n as number;
  }
  return out;
}

describe('demo', () => {
  test('through its own pipeline: every generated event is in InfluxDB, and a second run adds nothing', async () => {
    const env = { INFLUX_URL: influx.url, INFLUX_DB: 'demo_pipeline', DATA_DIR: join(dir, 'a') };
    const r = await runCli(['demo', '--days', '14', '--users', '120', '--seed', '7'], env);
    assert.equal(r.code, 0, r.stderr);
    const [, sent] = /demo: (\d+) events over 14 days for 120 users \(seed 7\)/.exec(r.stdout) ?? [];
    assert.ok(Number(sent) > 1000, r.stdout);
    const stored = await storedCounts('demo_pipeline');
    assert.equal(
      Object.values(stored).reduce((a, b) => a + b, 0),
      Number(sent)
    );
    // The same model, regenerated here, has the same mix per type: the numbers are the generator's, not invented.
    const again = await runCli(['demo', '--days', '14', '--users', '120', '--seed', '7'], env);
    assert.match(again.stdout, /, 0 new,/);
  });

  test('over HTTP to a running gateway, as Kibotics posts', async () => {
    // A request limit below the demo's batches: the demo must split, as it would against any gateway.
    const gateway = await TestGateway.start({
      INFLUX_URL: influx.url,
      INFLUX_DB: 'demo_http',
      INGEST_TOKENS: 'demo-token',
      MAX_EVENTS_PER_REQUEST: '100',
    });
    try {
      const end = Date.now();
      const r = await runCli(
        ['demo', '--days', '3', '--users', '60', '--seed', '3', '--gateway', gateway.url, '--token', 'demo-token'],
        {}
      );
      assert.equal(r.code, 0, r.stderr + r.stdout);
      await gateway.drained();
      const expected = countBy(generateDemo({ days: 3, users: 60, seed: 3, end }));
      const stored = await storedCounts('demo_http');
      // The CLI's `end` is a moment later than ours: allow the events of those few seconds.
      for (const [type, n] of Object.entries(expected))
        assert.ok(Math.abs((stored[type] ?? 0) - n) <= 3, `${type}: ${stored[type]} vs ${n}`);
    } finally {
      await gateway.stop();
    }
  });
});
