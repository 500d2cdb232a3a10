/**
 * The InfluxDB schema: a public contract (README "Schema"). Two families of measurements:
 *  - raw points, one per event, tagged by user: per-user drill-down and "latest …" tables;
 *  - roll-ups, running totals per 15-minute bucket without a user tag: whole-platform panels over
 *    months read thousands of points instead of millions. 15 minutes divides every real UTC offset
 *    (+05:30, +05:45), so any time zone folds them exactly into its own hours.
 */
import { EVENTS, EVENT_TYPES, type EventType, type FieldType } from './events.js';

export const ROLLUP_BUCKET_MS = 15 * 60_000;

/** The raw measurement of each event type (EVENTS' `raw`). */
export const RAW = Object.fromEntries(EVENT_TYPES.map((t) => [t, EVENTS[t].raw.measurement])) as {
  readonly [T in EventType]: (typeof EVENTS)[T]['raw']['measurement'];
};

/**
 * Active users, in ONE measurement so that one query counts distinct users across its series:
 *  - one point per user per UTC day with any activity, at the user's first event that day, no tag
 *    (string fields `user` and `group`);
 *  - the same point again, tagged `run=start`, where the user had no day point in the
 *    ACTIVE_RUN_GAP_DAYS days before it (or none ever): the start of a run of activity.
 * The users with a day point in [from, to] are those with a run start in it plus those with a day
 * point in its first ACTIVE_RUN_GAP_DAYS days: a user's run that began before `from` and reaches into
 * the range has a day point in those first days, its days being less than the gap apart. Over 90
 * days that reads a point per run (a few per user: holidays) and 8 days of day points, where day
 * points alone are one per user-day. The user is a field, not a tag: a `user` tag would make a series
 * per user, each costing a cursor per shard (seconds at 40,000 users). Erasure finds a user's points
 * by the field and deletes them by their exact times (InfluxClient.deleteWhereField).
 */
export const ACTIVE_USERS = 'active_days';
export const ACTIVE_RUN_TAG = 'run';
export const ACTIVE_RUN_START = 'start';
/** Above a week: a child active on the same weekday every week would start a run every week at 7. */
export const ACTIVE_RUN_GAP_DAYS = 8;

/**
 * One point per user per class per UTC day with any activity in that class, tagged `group`, field
 * `user`: a class's distinct users read that class's series only, where a filter on `active_days`'s
 * `group` field reads every user-day of the platform. Classes are few (a series each).
 */
export const GROUP_ACTIVE_USERS = 'group_active_days';

/** The measurements where the user is a `user` string field (erasure deletes their points by time). */
export const USER_FIELDED: readonly string[] = [ACTIVE_USERS, GROUP_ACTIVE_USERS];

/** The measurements whose points carry the user as a tag (erasure drops their series). */
export const USER_TAGGED: readonly string[] = EVENT_TYPES.filter((t) =>
  (EVENTS[t].raw.tags as readonly string[]).includes('user')
).map((t) => RAW[t]);

/**
 * One point per paired session, without user or class (tags: bot, reason, length): exact medians and
 * length distributions over any range from a handful of series, where the raw points' per-user
 * series make the same reads cost seconds. Kept with the roll-ups (anonymous, for good).
 */
export const SESSION_LENGTHS = 'session_lengths';

/**
 * The `length` tag's classes, as h:mm bounds that sort as text in their numeric order (the
 * dashboards group by the tag). Upper bounds in minutes; the last class is open.
 */
export const SESSION_LENGTH_CLASSES: ReadonlyArray<{ label: string; belowMinutes: number }> = [
  [0, 5],
  [5, 10],
  [10, 15],
  [15, 20],
  [20, 30],
  [30, 45],
  [45, 60],
  [60, 90],
  [90, 120],
  [120, 180],
  [180, Infinity],
].map(([from, to]) => ({ label: to === Infinity ? `${hm(from!)}+` : `${hm(from!)}–${hm(to!)}`, belowMinutes: to! }));

function hm(minutes: number): string {
  return `${Math.floor(minutes / 60)}:${String(minutes % 60).padStart(2, '0')}`;
}

export function sessionLengthClass(seconds: number): string {
  return SESSION_LENGTH_CLASSES.find((c) => seconds / 60 < c.belowMinutes)!.label;
}

/**
 * The grid of `session_lengths_15m`'s fields, in minutes: every minute up to an hour, every quarter
 * hour up to 4 hours. A session's length is known to the grid step (below the last point), which is
 * what a median read from counts can tell; more points cost the median a field read each.
 */
export const SESSION_LENGTH_GRID_MINUTES: readonly number[] = [
  ...Array.from({ length: 60 }, (_, i) => i + 1),
  ...Array.from({ length: 12 }, (_, i) => 75 + 15 * i),
];

/** The `session_lengths_15m` field counting a bucket's paired sessions shorter than `minutes`. */
export const sessionsBelow = (minutes: number) => `below_${minutes}`;

/** The gateway's own figures, every STATS_INTERVAL: its health in Grafana with no other service. */
export const GATEWAY_STATS = 'gateway';

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
  /** Per class and exercise: what a teacher's classes ran, over months, without reading their raw points. */
  groupExercises: {
    measurement: 'group_exercises_15m',
    fields: { ends: 'integer', paired: 'integer', duration_s: 'float' },
  },
  /**
   * Paired sessions ending in the bucket (`sessions`) and, for each point g of
   * SESSION_LENGTH_GRID_MINUTES, how many of them lasted less than g minutes (`below_g`): summed over
   * any range, the count below each grid point, so the range's median is found from ~70 sums instead
   * of a point per session (provisioning's medianSession). No user, no class: kept for good.
   */
  sessionLengths: {
    measurement: 'session_lengths_15m',
    fields: {
      sessions: 'integer',
      ...Object.fromEntries(SESSION_LENGTH_GRID_MINUTES.map((m) => [sessionsBelow(m), 'integer' as const])),
    } as Record<string, FieldType>,
  },
  visits: {
    measurement: 'visits_15m',
    fields: { visits: 'integer' },
  },
  /**
   * The same counts without the client breakdown (tags bot and anonymous only): the panels that only
   * count visits read a few series instead of one per os × browser × device × country.
   */
  visitTotals: {
    measurement: 'visit_totals_15m',
    fields: { visits: 'integer' },
  },
  errors: {
    measurement: 'errors_15m',
    fields: { errors: 'integer' },
  },
} as const satisfies Record<string, RollupSpec>;

export type RollupName = keyof typeof ROLLUPS;
