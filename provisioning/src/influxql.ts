/**
 * Typed InfluxQL for the dashboards and alert rules. Measurement and field names come from the
 * schema package `@kibotics/schema` (the public contract), so a renamed field fails to compile here instead of
 * showing an empty panel. Identifiers are always double-quoted: `user` and `group` are InfluxQL keywords.
 */
import {
  ACTIVE_RUN_GAP_DAYS,
  ACTIVE_RUN_START,
  ACTIVE_RUN_TAG,
  ACTIVE_USERS,
  GATEWAY_STATS,
  GROUP_ACTIVE_USERS,
  RAW,
  ROLLUPS,
  ROLLUP_RP,
  SESSION_LENGTH_GRID_MINUTES,
  SESSION_LENGTHS,
  sessionsBelow,
} from '@kibotics/schema';

export { ACTIVE_USERS, GATEWAY_STATS, GROUP_ACTIVE_USERS, RAW, ROLLUPS, ROLLUP_RP };

/** The platform's own zone: days and weeks are Kibotics' (Spanish) days, also in InfluxDB's `tz()`. */
export const PLATFORM_TIME_ZONE = 'Europe/Madrid';

type Rollups = typeof ROLLUPS;
export type RollupName = keyof Rollups;
export type RollupField<R extends RollupName> = keyof Rollups[R]['fields'] & string;
export type RawMeasurement = (typeof RAW)[keyof typeof RAW];

/** Measurements whose points carry a user: reading them over months is what roll-ups exist to avoid. */
export const RAW_MEASUREMENTS: readonly string[] = Object.values(RAW);
export const ROLLUP_MEASUREMENTS: readonly string[] = Object.values(ROLLUPS).map((r) => r.measurement);

export const q = (identifier: string) => `"${identifier.replace(/"/g, '\\"')}"`;
const literal = (value: string) => `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;

/** A measurement in a retention policy other than the database's default one. */
export interface InPolicy {
  rp: string;
  measurement: string;
}

/** `"m"` or `"rp"."m"`. */
export const measurementRef = (from: string | InPolicy) =>
  typeof from === 'string' ? q(from) : `${q(from.rp)}.${q(from.measurement)}`;

/** A roll-up: kept forever in its own retention policy, while raw points expire. */
export function rollup<R extends RollupName>(name: R): InPolicy {
  return { rp: ROLLUP_RP, measurement: ROLLUPS[name].measurement };
}

/** One point per paired session, anonymous, kept with the roll-ups: exact medians and length classes over any range. */
export const sessionLengths: InPolicy = { rp: ROLLUP_RP, measurement: SESSION_LENGTHS };

/** `sum("field")` of a roll-up field, checked against the schema. */
export function sumOf<R extends RollupName>(_name: R, field: RollupField<R>, alias?: string): string {
  return `sum(${q(field)})${alias ? ` AS ${q(alias)}` : ''}`;
}

/** A WHERE condition. */
export type Cond = string;

export const timeFilter: Cond = '$timeFilter';
/** The period just before the dashboard's range, of the same length: "against the previous period". */
export const previousPeriod: Cond = 'time >= ${__from}ms - ${__range_ms}ms AND time < ${__from}ms';
/**
 * The last 24 hours of the range (all of it when shorter), for tables of the latest raw points: on
 * InfluxDB 1.x their cost is set by the series of the shards the range touches, so a fixed window
 * keeps them fast however long the range and however many users (a day's shard, not every week's).
 */
export const lastDayOfRange: Cond = 'time >= ${__to}ms - 1d';
/** A tag filtered by a dashboard variable: one value, several (`/^(a|b)$/`) or All (`.*`). */
export const tagVar = (tag: string, variable = tag): Cond => `${q(tag)} =~ /^$${variable}$/`;
export const tagIs = (tag: string, value: string): Cond => `${q(tag)} = ${literal(value)}`;

export interface SelectSpec {
  select: string | string[];
  /**
   * A measurement of the default retention policy, one of another policy, or a subquery (InfluxQL).
   * A subquery needs its time condition in the outer WHERE too: InfluxDB 1.x maps shards from the
   * outer query's range, so without it every shard of the database is opened and the cost grows with
   * the retention, not the range (bench/README.md, finding 6).
   */
  from: string | InPolicy | { subquery: string };
  where?: Cond[];
  /** `time(...)` and tags, unquoted tag names are quoted. */
  groupByTime?: string;
  groupByTags?: string[];
  fill?: 'none' | '0' | 'null' | 'previous';
  /** Buckets of a day or more follow the platform's days rather than UTC's. */
  tz?: boolean;
  orderDesc?: boolean;
  limit?: number;
}

export function influxql(spec: SelectSpec): string {
  const select = Array.isArray(spec.select) ? spec.select.join(', ') : spec.select;
  const from =
    typeof spec.from === 'object' && 'subquery' in spec.from ? `(${spec.from.subquery})` : measurementRef(spec.from);
  const parts = [`SELECT ${select} FROM ${from}`];
  if (spec.where?.length) parts.push(`WHERE ${spec.where.join(' AND ')}`);
  const groups = [...(spec.groupByTime ? [`time(${spec.groupByTime})`] : []), ...(spec.groupByTags ?? []).map(q)];
  if (groups.length) parts.push(`GROUP BY ${groups.join(', ')}`);
  if (spec.fill) parts.push(`fill(${spec.fill})`);
  if (spec.orderDesc) parts.push('ORDER BY time DESC');
  if (spec.limit !== undefined) parts.push(`LIMIT ${spec.limit}`);
  if (spec.tz) parts.push(`tz(${literal(PLATFORM_TIME_ZONE)})`);
  return parts.join(' ');
}

/**
 * Filters shared by the whole-platform panels: crawlers excluded unless asked for. No group: the
 * platform roll-ups hold no classes (so they stay small however many classes there are); the
 * groups dashboard reads the per-class roll-up.
 */
export const platformFilters = (...more: Cond[]): Cond[] => [timeFilter, tagVar('bot'), ...more];

/** Where each period a panel compares starts (InfluxQL time expressions, as in its condition). */
const PERIOD_START = new Map<Cond, string>([
  [timeFilter, '${__from}ms'],
  [previousPeriod, '${__from}ms - ${__range_ms}ms'],
]);

/**
 * Distinct active users of the platform in a period, exactly those with a day point in it: the users
 * of `active_days`'s run starts in the period and of its day points in the period's first
 * ACTIVE_RUN_GAP_DAYS days (README "Schema", ACTIVE_USERS: why that is all of them). Over 90 days it
 * reads a point per run of activity and 8 days of day points instead of a point per user-day. Both
 * subqueries read one measurement, so InfluxDB counts their users as one set.
 */
export function activeUsers(period: Cond): string {
  const start = PERIOD_START.get(period);
  if (start === undefined) throw new Error(`activeUsers: no start known for the period ${period}`);
  const users = (run: string, ...more: Cond[]) =>
    `(${influxql({ select: q('user'), from: ACTIVE_USERS, where: [`${q(ACTIVE_RUN_TAG)} = ${literal(run)}`, period, ...more] })})`;
  const sources = [users(ACTIVE_RUN_START), users('', `time < ${start} + ${ACTIVE_RUN_GAP_DAYS}d`)];
  return `SELECT count(distinct("user")) AS "active users" FROM ${sources.join(', ')} WHERE ${period}`;
}

/** Distinct active users of the chosen classes in a period: `group_active_days`, a series per class, reads only theirs. */
export function classActiveUsers(period: Cond, classes: Cond): string {
  return influxql({
    select: 'count(distinct("user")) AS "active users"',
    from: GROUP_ACTIVE_USERS,
    where: [period, classes],
  });
}

/** Errors of a period, from the roll-up. */
export const errorsIn = (period: Cond) =>
  influxql({ select: sumOf('errors', 'errors'), from: rollup('errors'), where: [period] });
/** Page views of a period, people and crawlers alike (a crawler's request can fail as well). */
export const visitsIn = (period: Cond) =>
  influxql({ select: sumOf('visitTotals', 'visits'), from: rollup('visitTotals'), where: [period] });

/**
 * The median paired session of a range from `session_lengths_15m`'s counts, in seconds: with N the
 * range's paired sessions and c(g) those shorter than g minutes, the lower median M (the ⌈N/2⌉-th
 * shortest) is at least g exactly when 2·c(g) < N, and for 0 ≤ c ≤ N the indicator of that is
 * 1 − floor((2c + 1) / (N + 1)) (InfluxQL has floor, no comparison). Summing the grid's steps whose
 * indicator is 1 gives M rounded down to the grid (the last point when M is beyond it), in one
 * row of sums: ~70 field reads instead of a point per session.
 */
export function medianSession(where: Cond[]): string {
  const grid = SESSION_LENGTH_GRID_MINUTES;
  let previous = 0;
  const steps = grid.map((minutes) => {
    const step = (minutes - previous) * 60;
    previous = minutes;
    return `${step} * floor((2 * sum(${q(sessionsBelow(minutes))}) + 1) / (sum("sessions") + 1))`;
  });
  return influxql({
    select: `${grid.at(-1)! * 60} - ${steps.join(' - ')} AS "median"`,
    from: rollup('sessionLengths'),
    where,
  });
}
