/**
 * The gateway's own parts in this process, through its public openCore() (the same wiring `serve`
 * and the `demo` command use), on a fresh temp DATA_DIR: the accept use case, the pipeline (dedup,
 * enrichment, pairing, points, spool, group commit) and the deliverer. Going through openCore and
 * its real settings rather than constructing or patching parts keeps the bench in step with the
 * gateway as its engineers change it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from 'kibotics-analytics/config';
import { openCore, type Core } from 'kibotics-analytics/gateway';
import { createLogger } from 'kibotics-analytics/log';
import type { RawEvent } from 'kibotics-analytics/demo';
import { removeDir, tempDir } from './cleanup.js';

export interface BenchCore {
  core: Core;
  /** Through the accept use case, as every way in submits; throws if any event is refused (a bug here). */
  accept(raw: readonly RawEvent[]): Promise<void>;
  close(): Promise<void>;
}

/**
 * `durable`: true is the gateway as shipped (SYNCHRONOUS_COMMIT=on: each group commit flushed to
 * the disk before it is acknowledged); false is SYNCHRONOUS_COMMIT=off (no flush per commit), for
 * scenario 3's comparison and for bulk-loading scenario 6 (nothing there must survive a power cut).
 * `secureDelete: false` (the store option, never the gateway's) for scenario 3's cost of zeroing.
 */
export function openBenchCore(opts: {
  influxUrl?: string;
  database?: string;
  durable: boolean;
  secureDelete?: boolean;
}): BenchCore {
  const dir = tempDir(mkdtempSync(join(tmpdir(), 'bench-core-')));
  const config = loadConfig({
    DATA_DIR: dir,
    INFLUX_URL: opts.influxUrl ?? 'http://127.0.0.1:9',
    INFLUX_DB: opts.database ?? 'bench',
    SPOOL_MAX_LINES: '1000000000',
    SYNCHRONOUS_COMMIT: opts.durable ? 'on' : 'off',
    LOG_LEVEL: 'warn',
  });
  const core = openCore(config, createLogger('warn', process.stderr), { secureDelete: opts.secureDelete });
  return {
    core,
    async accept(raw) {
      const outcome = await core.accept.accept(raw.map((event, at) => ({ at, raw: event })));
      const first = outcome.rejected[0];
      if (first) throw new Error(`demo event refused: ${first.error}`);
    },
    async close() {
      await core.deliverer.stop(Date.now() + 1000);
      await core.close();
      removeDir(dir);
    },
  };
}

/**
 * The exact points the gateway writes for these events (raw lines, active users, roll-up totals):
 * runs them through the accept use case and takes everything out of its spool undelivered.
 */
export async function pointsOf(raw: readonly RawEvent[]): Promise<string[]> {
  const bench = openBenchCore({ durable: false });
  try {
    for (let i = 0; i < raw.length; i += 1000) await bench.accept(raw.slice(i, i + 1000));
    const batch = bench.core.spool.claim(1e9);
    return [...batch.lines.map((l) => l.line), ...batch.rollups.map((r) => r.line)];
  } finally {
    await bench.close();
  }
}
