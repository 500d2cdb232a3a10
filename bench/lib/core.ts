/**
 * The gateway's own parts in this process, through its public openCore() (the same wiring `serve`
 * and the `demo` command use), on a fresh temp DATA_DIR: pipeline (dedup, enrichment, pairing,
 * points, spool, group commit) and deliverer. Going through openCore rather than constructing the
 * parts keeps the bench in step with the gateway as its engineers change it.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../../ingest/src/config.js';
import type { KiboticsEvent } from '../../ingest/src/events/types.js';
import { validateEvent } from '../../ingest/src/events/validate.js';
import { openCore, type Core } from '../../ingest/src/gateway.js';
import { createLogger } from '../../ingest/src/log.js';
import type { RawEvent } from '../../ingest/src/demo/index.js';
import { removeDir, tempDir } from './cleanup.js';

export interface BenchCore {
  core: Core;
  close(): Promise<void>;
}

/**
 * `durable`: true is the gateway as shipped (each group commit flushed to the disk before it is
 * acknowledged); false skips the flush (and SQLite's own, synchronous=OFF), for scenario 3's
 * comparison and for bulk-loading scenario 6 (nothing there must survive a crash).
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
    LOG_LEVEL: 'warn',
  });
  const core = openCore(config, createLogger('warn', process.stderr));
  // The gateway zeroes deleted rows (secure_delete); scenario 3 measures what that costs.
  if (opts.secureDelete === false) core.db.pragma('secure_delete = OFF');
  if (!opts.durable) {
    core.db.pragma('synchronous = OFF');
    core.walSync.sync = () => Promise.resolve();
  }
  return {
    core,
    async close() {
      await core.deliverer.stop(Date.now() + 1000);
      await core.close();
      removeDir(dir);
    },
  };
}

export function validated(raw: readonly RawEvent[], now = Date.now()): KiboticsEvent[] {
  return raw.map((r) => {
    const v = validateEvent(r, now);
    if (!v.ok) throw new Error(`demo event refused: ${v.error.message}`);
    return v.event;
  });
}

/**
 * The exact points the gateway writes for these events (raw lines, active users, roll-up totals):
 * runs them through a pipeline and takes everything out of its spool undelivered.
 */
export async function pointsOf(raw: readonly RawEvent[]): Promise<string[]> {
  const bench = openBenchCore({ durable: false });
  try {
    const events = validated(raw);
    for (let i = 0; i < events.length; i += 1000) await bench.core.pipeline.submit(events.slice(i, i + 1000));
    const batch = bench.core.spool.claim(1e9);
    return [...batch.lines.map((l) => l.line), ...batch.rollups.map((r) => r.line)];
  } finally {
    await bench.close();
  }
}
