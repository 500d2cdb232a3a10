/**
 * The provisioned Grafana dashboards (provisioning/dashboards/**.json) turned into the InfluxQL
 * Grafana would send: $timeFilter, $__interval, ${__from}/${__to}/${__range_ms}, variables as "All"
 * (their allValue, else every value as a regex group, as Grafana does), plus each panel's "naive
 * twin": the same question asked of raw points (one per event, every dimension a tag, users too).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVE_USERS, GROUP_ACTIVE_USERS, ROLLUPS, ROLLUP_RP, SESSION_LENGTHS } from '@kibotics/schema';

export const PROVISIONING = join(import.meta.dirname, '../../provisioning/dashboards');

export interface PanelQuery {
  dashboard: string;
  panel: string;
  refId: string;
  /** The query as provisioned, macros unexpanded. */
  raw: string;
  maxDataPoints?: number;
  interval?: string;
  width: number;
}

interface Variable {
  name: string;
  type: string;
  query?: unknown;
  includeAll?: boolean;
  multi?: boolean;
  allValue?: string;
  options?: Array<{ value: string }>;
}

export interface Dashboard {
  file: string;
  uid: string;
  title: string;
  variables: Variable[];
  queries: PanelQuery[];
}

function jsonFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    return statSync(p).isDirectory() ? jsonFiles(p) : name.endsWith('.json') ? [p] : [];
  });
}

export function loadDashboards(dir = PROVISIONING): Dashboard[] {
  return jsonFiles(dir)
    .sort()
    .map((file) => {
      const d = JSON.parse(readFileSync(file, 'utf8'));
      const queries: PanelQuery[] = [];
      const walk = (panels: any[] = []) => {
        for (const p of panels) {
          walk(p.panels);
          for (const t of p.targets ?? []) {
            if (typeof t.query !== 'string' || t.query.trim() === '' || t.hide) continue;
            queries.push({
              dashboard: d.title ?? d.uid,
              panel: p.title ?? `panel ${p.id}`,
              refId: t.refId ?? 'A',
              raw: t.query,
              maxDataPoints: p.maxDataPoints,
              interval: p.interval,
              width: p.gridPos?.w ?? 12,
            });
          }
        }
      };
      walk(d.panels);
      return { file, uid: d.uid, title: d.title ?? d.uid, variables: d.templating?.list ?? [], queries };
    });
}

/** Grafana's nice intervals (rangeutil's roundInterval steps), for $__interval. */
const NICE = [
  ['10ms', 10],
  ['20ms', 20],
  ['50ms', 50],
  ['100ms', 100],
  ['200ms', 200],
  ['500ms', 500],
  ['1s', 1e3],
  ['2s', 2e3],
  ['5s', 5e3],
  ['10s', 1e4],
  ['15s', 15e3],
  ['20s', 2e4],
  ['30s', 3e4],
  ['1m', 6e4],
  ['2m', 12e4],
  ['5m', 3e5],
  ['10m', 6e5],
  ['15m', 9e5],
  ['20m', 12e5],
  ['30m', 18e5],
  ['1h', 36e5],
  ['2h', 72e5],
  ['3h', 108e5],
  ['6h', 216e5],
  ['12h', 432e5],
  ['1d', 864e5],
  ['1w', 6048e5],
] as const;
const DURATION = /^(\d+)(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = { ms: 1, s: 1e3, m: 6e4, h: 36e5, d: 864e5, w: 6048e5 };

/** $__interval: range / resolution (maxDataPoints, else the panel's width in px on a 1920 px screen), rounded up to a nice step, not below the min interval (the datasource's timeInterval is 10s). */
export function intervalOf(q: PanelQuery, rangeMs: number, minInterval = '10s'): string {
  const resolution = q.maxDataPoints ?? Math.round((q.width / 24) * 1920);
  const min = DURATION.exec(q.interval ?? minInterval);
  const minMs = min ? Number(min[1]) * UNIT_MS[min[2]!]! : 1e4;
  const want = Math.max(minMs, rangeMs / resolution);
  return (NICE.find(([, ms]) => ms >= want) ?? NICE.at(-1)!)[0];
}

export const escapeRegex = (v: string) => v.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

/** Every variable's value as Grafana formats "All" (or, without All, its first value) for InfluxQL. */
export async function variableValues(
  vars: Variable[],
  runQuery: (q: string) => Promise<string[]>
): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const v of vars) {
    if (v.includeAll && v.allValue !== undefined && v.allValue !== '') {
      out[v.name] = v.allValue;
      continue;
    }
    let values: string[];
    if (v.type === 'custom')
      values = String(v.query ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
    else if (v.type === 'query' && typeof v.query === 'string') values = await runQuery(v.query);
    else values = (v.options ?? []).map((o) => o.value);
    if (values.length === 0) throw new Error(`variable $${v.name} has no values`);
    out[v.name] = v.includeAll ? `(${values.map(escapeRegex).join('|')})` : escapeRegex(values[0]!);
  }
  return out;
}

export function expand(
  query: string,
  ctx: { from: number; to: number; interval: string; values: Record<string, string> }
): string {
  const builtins: Record<string, string> = {
    timeFilter: `time >= ${ctx.from}ms and time <= ${ctx.to}ms`,
    __interval: ctx.interval,
    __from: String(ctx.from),
    __to: String(ctx.to),
    __range_ms: String(ctx.to - ctx.from),
    __range_s: String(Math.round((ctx.to - ctx.from) / 1000)),
  };
  return query.replace(/\$\{(\w+)(?::\w+)?\}|\$(\w+)/g, (whole, braced?: string, bare?: string) => {
    const name = (braced ?? bare)!;
    if (name in builtins) return builtins[name]!;
    if (name in ctx.values) return ctx.values[name]!;
    throw new Error(`undefined variable $${name} in ${query}`);
  });
}

/** Roll-ups live in the `rollups` retention policy (README "Schema"); an unqualified name reads the default one. */
export const ROLLUP_MEASUREMENTS: readonly string[] = [
  ...Object.values(ROLLUPS).map((r) => r.measurement),
  SESSION_LENGTHS,
];
const anyOf = (names: readonly string[]) => names.join('|');

export function qualifyRollups(q: string): string {
  return q.replace(new RegExp(`(?<!\\.)"(${anyOf(ROLLUP_MEASUREMENTS)})"`, 'g'), `"${ROLLUP_RP}"."$1"`);
}

/**
 * The naive twin of a roll-up or active-users query: the same aggregation over raw points. Counts of
 * starts/ends/visits/errors become count("count") of the raw measurement, durations sum the raw
 * duration_s; minutes (spread over the buckets a simulation ran in) become duration_s/60 at the end.
 * `session_lengths_15m`'s median from counts becomes the median of the raw ends' `duration_s`;
 * `session_lengths` (a point per paired session) becomes `session_end`, except grouped by its
 * `length` class, which raw points lack. A query mixing starts and ends has no single raw twin: undefined.
 */
export function naiveTwin(q: string): string | undefined {
  const m = new RegExp(
    `FROM\\s+(?:\\(SELECT "user" FROM\\s+)?(?:"${ROLLUP_RP}"\\.)?"(${anyOf([...ROLLUP_MEASUREMENTS, ACTIVE_USERS, GROUP_ACTIVE_USERS])})"`
  ).exec(q);
  if (!m) return undefined;
  const rollup = m[1]!;
  // Per-class totals mix sessions and simulations in one point: no single raw measurement answers them.
  if (rollup === ROLLUPS.groups.measurement) return undefined;
  // Distinct users, asked of the logins: one row per user from the inner query, counted by the outer
  // one, over the period (and classes) of the panel's outer WHERE (the day/week/month subqueries' union has one).
  if (rollup === 'active_days' || rollup === 'group_active_days') {
    const where = /\bWHERE\s+((?:(?!\bWHERE\b)[^)])*)$/s.exec(q)?.[1] ?? '$timeFilter';
    return `SELECT count("n") FROM (SELECT count("count") AS "n" FROM "session_start" WHERE ${where} GROUP BY "user") WHERE ${where}`;
  }
  // The median from counts below a grid of lengths: the median of the raw ends' durations, the same filters.
  if (rollup === ROLLUPS.sessionLengths.measurement) {
    const where = /\bWHERE\s+(.*)$/s.exec(q)?.[1] ?? '$timeFilter';
    return `SELECT median("duration_s") AS "median" FROM "session_end" WHERE ${where}`;
  }
  if (rollup === 'session_lengths')
    return /GROUP BY[^)]*"length"/.test(q) ? undefined : q.replace(m[0], 'FROM "session_end"');
  const fields = new Set([...q.matchAll(/\b(?:sum|count|mean|max|min|last)\("(\w+)"\)/g)].map((f) => f[1]!));
  const base = { sessions_15m: 'session', simulations_15m: 'simulation', group_exercises_15m: 'simulation' }[
    rollup as 'sessions_15m'
  ];
  let raw: string;
  if (rollup === 'visits_15m') raw = 'visit';
  else if (rollup === 'errors_15m') raw = 'error';
  else {
    const starts = fields.has('starts');
    const ends = ['ends', 'paired', 'duration_s', 'minutes'].some((f) => fields.has(f));
    if (starts && ends) return undefined;
    raw = `${base}_${starts ? 'start' : 'end'}`;
  }
  return q
    .replace(m[0], `FROM "${raw}"`)
    .replace(/sum\("(starts|ends|visits|errors)"\)/g, 'count("count")')
    .replace(/sum\("paired"\)/g, 'count("duration_s")')
    .replace(/sum\("minutes"\)/g, '(sum("duration_s") / 60)')
    .replace(/sum\("n"\)/g, 'count("count")');
}

/**
 * When provisioning/dashboards holds no dashboard (it was being written when this suite was), a
 * representative set of whole-platform panels over the README schema, written as a dashboard would.
 */
export function builtinDashboards(): Dashboard[] {
  const q = (panel: string, raw: string): PanelQuery => ({
    dashboard: 'built-in (no provisioned dashboards)',
    panel,
    refId: 'A',
    raw,
    width: 12,
    maxDataPoints: 100_000,
  });
  return [
    {
      file: '(built in)',
      uid: 'bench-builtin',
      title: 'built-in',
      variables: [],
      queries: [
        q(
          'Sessions per day',
          `SELECT sum("starts") FROM "rollups"."sessions_15m" WHERE $timeFilter GROUP BY time(1d) fill(0) tz('Europe/Madrid')`
        ),
        q(
          'Sessions by weekday × hour',
          `SELECT sum("starts") FROM "rollups"."sessions_15m" WHERE $timeFilter GROUP BY time(15m) fill(none)`
        ),
        q(
          'Minutes per exercise',
          `SELECT sum("minutes") FROM "rollups"."simulations_15m" WHERE $timeFilter GROUP BY "exercise"`
        ),
        q('Active users', `SELECT count(distinct("user")) FROM "active_days" WHERE $timeFilter`),
        q('Visits by browser', `SELECT sum("visits") FROM "rollups"."visits_15m" WHERE $timeFilter GROUP BY "browser"`),
      ],
    },
  ];
}
