/**
 * The InfluxDB schema: a public contract (README "Schema"). Two families of measurements:
 *  - raw points, one per event, tagged by user: per-user drill-down and "latest …" tables;
 *  - roll-ups, running totals per 15-minute bucket without a user tag: whole-platform panels over
 *    months read thousands of points instead of millions. 15 minutes divides every real UTC offset
 *    (+05:30, +05:45), so any time zone folds them exactly into its own hours.
 */

export const ROLLUP_BUCKET_MS = 15 * 60_000;

export const RAW = {
  session_start: 'session_start',
  session_end: 'session_end',
  simulation_start: 'simulation_start',
  simulation_end: 'simulation_end',
  visit: 'visit',
  error: 'error',
} as const;

/** One point per user per UTC day with any activity: distinct users over months without scanning raw points. */
export const ACTIVE_USERS = 'active_users';

/** The gateway's own figures, every STATS_INTERVAL: its health in Grafana with no other service. */
export const GATEWAY_STATS = 'gateway';

export type FieldType = 'integer' | 'float';

export interface RollupSpec {
  measurement: string;
  /** Every field of the roll-up with its InfluxDB type (a type is fixed per shard: never change one). */
  fields: Record<string, FieldType>;
}

export const ROLLUPS = {
  sessions: {
    measurement: 'sessions_15m',
    fields: { starts: 'integer', ends: 'integer', paired: 'integer', duration_s: 'float' },
  },
  simulations: {
    measurement: 'simulations_15m',
    fields: { starts: 'integer', ends: 'integer', paired: 'integer', duration_s: 'float', minutes: 'float' },
  },
  /**
   * Per class: kept apart from the platform-wide roll-ups, whose size must not grow with the number
   * of classes (at 1,600 classes, a group tag made them as large as the raw points).
   */
  groups: {
    measurement: 'groups_15m',
    fields: { sessions: 'integer', simulations: 'integer', minutes: 'float' },
  },
  visits: {
    measurement: 'visits_15m',
    fields: { visits: 'integer' },
  },
  errors: {
    measurement: 'errors_15m',
    fields: { errors: 'integer' },
  },
} as const satisfies Record<string, RollupSpec>;

export type RollupName = keyof typeof ROLLUPS;
