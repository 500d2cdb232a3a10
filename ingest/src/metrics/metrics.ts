import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { DeliveryObserver } from '../deliver/deliverer.js';
import type { Spool } from '../spool/spool.js';

/**
 * The gateway's own numbers, for GET /metrics (Prometheus text format). Label values come from
 * fixed sets only: nothing a client sends can mint a new series.
 */
export class GatewayMetrics {
  readonly registry = new Registry();
  readonly received = new Counter({
    name: 'kibotics_events_received_total',
    help: 'Events received in requests, valid or not',
    registers: [this.registry],
  });
  readonly accepted = new Counter({
    name: 'kibotics_events_accepted_total',
    help: 'Events newly stored (202): repeats of accepted events are not counted here',
    registers: [this.registry],
  });
  readonly duplicates = new Counter({
    name: 'kibotics_events_duplicate_total',
    help: 'Events that repeated one accepted before (nothing stored)',
    registers: [this.registry],
  });
  readonly rejected = new Counter({
    name: 'kibotics_events_rejected_total',
    help: 'Events refused, by the field at fault',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });
  readonly refusedRequests = new Counter({
    name: 'kibotics_requests_refused_total',
    help: 'Requests refused whole, by HTTP status (400, 401, 413, 429, 503, 507): their events are not counted as received',
    labelNames: ['status'] as const,
    registers: [this.registry],
  });
  readonly delivered = new Counter({
    name: 'kibotics_points_delivered_total',
    help: 'Lines written to InfluxDB (raw points and roll-up updates)',
    registers: [this.registry],
  });
  readonly retries = new Counter({
    name: 'kibotics_write_retries_total',
    help: 'Failed writes to InfluxDB that will be tried again',
    registers: [this.registry],
  });
  readonly deadLettered = new Counter({
    name: 'kibotics_points_dead_lettered_total',
    help: 'Lines InfluxDB refused, moved to the dead letters',
    registers: [this.registry],
  });
  readonly expired = new Counter({
    name: 'kibotics_points_expired_total',
    help: 'Points InfluxDB dropped as older than its retention policy (not stored; the rest of their write was)',
    registers: [this.registry],
  });
  readonly openStartsPruned = new Counter({
    name: 'kibotics_open_starts_pruned_total',
    help: 'Open starts forgotten as too old to pair (PAIR_MAX_HOURS): their ends, if they come, have no duration',
    registers: [this.registry],
  });
  readonly writeSeconds = new Histogram({
    name: 'kibotics_influx_write_duration_seconds',
    help: 'Successful writes to InfluxDB',
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  constructor(spool: Spool, now: () => number = Date.now) {
    collectDefaultMetrics({ register: this.registry, prefix: 'kibotics_gateway_' });
    let stats = spool.stats();
    const refresh = () => {
      stats = spool.stats();
    };
    new Gauge({
      name: 'kibotics_spool_lines',
      help: 'Raw lines waiting for delivery',
      registers: [this.registry],
      collect() {
        refresh(); // the first gauge of a scrape refreshes the spool figures for all three
        this.set(stats.lines);
      },
    });
    new Gauge({
      name: 'kibotics_spool_rollups',
      help: 'Roll-up buckets whose totals InfluxDB has not seen yet',
      registers: [this.registry],
      collect() {
        this.set(stats.rollups);
      },
    });
    new Gauge({
      name: 'kibotics_spool_oldest_age_seconds',
      help: 'Age of the oldest undelivered line',
      registers: [this.registry],
      collect() {
        this.set(stats.oldestEnqueuedAt === undefined ? 0 : (now() - stats.oldestEnqueuedAt) / 1000);
      },
    });
    new Gauge({
      name: 'kibotics_dead_letters',
      help: 'Lines in the dead letters now',
      registers: [this.registry],
      collect() {
        this.set(stats.deadLetters);
      },
    });
  }

  /** The counters' values now, summed over labels (for the gateway's own points in InfluxDB). */
  async totals(): Promise<Record<string, number>> {
    const sum = async (
      m: { get(): Promise<{ values: Array<{ value: number; metricName?: string }> }> },
      name?: string
    ) =>
      (await m.get()).values
        .filter((v) => name === undefined || v.metricName === name)
        .reduce((a, v) => a + v.value, 0);
    return {
      received: await sum(this.received),
      accepted: await sum(this.accepted),
      duplicates: await sum(this.duplicates),
      rejected: await sum(this.rejected),
      refused: await sum(this.refusedRequests),
      delivered: await sum(this.delivered),
      retries: await sum(this.retries),
      dead_lettered: await sum(this.deadLettered),
      write_count: await sum(this.writeSeconds, 'kibotics_influx_write_duration_seconds_count'),
      write_seconds: await sum(this.writeSeconds, 'kibotics_influx_write_duration_seconds_sum'),
    };
  }

  /** Hooks for the deliverer. */
  observer(): DeliveryObserver {
    return {
      written: (lines, ms) => {
        this.delivered.inc(lines);
        this.writeSeconds.observe(ms / 1000);
      },
      retrying: () => this.retries.inc(),
      deadLettered: () => this.deadLettered.inc(),
      expired: (err) => this.expired.inc(err.dropped),
    };
  }
}
