import { hostname } from 'node:os';
import type { DeliveryStatus } from '../deliver/deliverer.js';
import { line, nanoseconds } from '../points/line-protocol.js';
import { GATEWAY_STATS } from '@kibotics/schema';
import type { Spool } from '../spool/spool.js';
import type { GatewayMetrics } from './metrics.js';
import { isDiskFull } from '../store/disk-space.js';

/**
 * Every `intervalMs`, one `gateway` point with the gateway's own figures, spooled like any other
 * point: Grafana shows the gateway's health from InfluxDB alone, and the figures of an outage
 * arrive once it is over. Counters are totals since the process started (use non_negative_difference).
 */
export class StatsWriter {
  private timer?: NodeJS.Timeout;
  private last = { writeCount: 0, writeSeconds: 0 };

  constructor(
    private readonly metrics: GatewayMetrics,
    private readonly spool: Spool,
    private readonly delivery: () => DeliveryStatus,
    private readonly intervalMs: number,
    private readonly instance = hostname(),
    private readonly now: () => number = Date.now
  ) {}

  start(): void {
    if (this.intervalMs <= 0) return;
    // On a full disk a figure is skipped; the next one carries the totals.
    this.timer = setInterval(
      () =>
        void this.write().catch((err: unknown) => {
          if (!isDiskFull(err)) throw err;
        }),
      this.intervalMs
    );
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  async write(): Promise<void> {
    const totals = await this.metrics.totals();
    const stats = this.spool.stats();
    const now = this.now();
    const writes = totals.write_count! - this.last.writeCount;
    const seconds = totals.write_seconds! - this.last.writeSeconds;
    this.last = { writeCount: totals.write_count!, writeSeconds: totals.write_seconds! };
    const { write_count: _c, write_seconds: _s, ...counters } = totals;
    const floats: Record<string, number> = {
      spool_oldest_age_s: stats.oldestEnqueuedAt === undefined ? 0 : (now - stats.oldestEnqueuedAt) / 1000,
    };
    if (writes > 0) floats.write_ms_mean = (seconds / writes) * 1000;
    this.spool.append(
      [
        line(
          GATEWAY_STATS,
          { instance: this.instance },
          {
            ints: {
              ...counters,
              spool_lines: stats.lines,
              spool_rollups: stats.rollups,
              dead_letters: stats.deadLetters,
              influx_reachable: this.delivery().reachable === false ? 0 : 1,
              rss_bytes: process.memoryUsage.rss(),
            },
            floats,
          },
          nanoseconds(now)
        ),
      ],
      now
    );
  }
}
