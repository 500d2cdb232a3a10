/**
 * The provisioned Grafana dashboards (provisioning/dashboards/**.json) turned into the InfluxQL
 * Grafana would send: $timeFilter, $__interval, ${__from}/${__to}/${__range_ms}, variables as "All"
 * (their allValue, else every value as a regex group, as Grafana does), plus each panel's "naive
 * twin": the same question asked of raw points (one per event, every dimension a tag, users too).
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ACTIVE_USERS, GROUP_ACTIVE_USERS, ROLLUPS, ROLLUP_RP, SESSION_LENGTHS } from '@kibotics/schema';
// Grafana's macro expansion, as provisioning's tests check it against Grafana's own code.
import { expand, interval, type Range, type Values, type Variable } from 'kibotics-provisioning/grafana-macros';

export { expand };

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

/** The datasource's min interval (provisioning's datasource: `timeInterval`). */
const DATASOURCE_MIN_INTERVAL = '10s';

/**
 * What Grafana's query runner fills in for a panel's query: the range, $__interval from the panel
 * (Grafana's own calculateInterval), the board's variables with the values chosen. Without a panel
 * (a variable's query), $__interval is 1m; without a board, no variable.
 */
export function macroContext(board: Dashboard | undefined, q: PanelQuery | undefined, range: Range, values: Values) {
  const { interval: text, intervalMs } = q
    ? interval(
        { interval: q.interval, maxDataPoints: q.maxDataPoints, gridPos: { x: 0, y: 0, w: q.width, h: 0 } },
        range,
        DATASOURCE_MIN_INTERVAL
      )
    : { interval: '1m', intervalMs: 60_000 };
  return { range, interval: text, intervalMs, variables: board?.variables ?? [], values };
}

/** Every variable's value: "All" where it has an allValue, else all its values (without All, its first), for expand. */
export async function variableValues(vars: Variable[], runQuery: (q: string) => Promise<string[]>): Promise<Values> {
  const out: Values = {};
  for (const v of vars) {
    if (v.includeAll && v.allValue !== undefined && v.allValue !== '') {
      out[v.name] = 'All';
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
    out[v.name] = v.includeAll ? values : values[0]!;
  }
  return out;
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
  if (rollup === ROLLUPS.visits.measurement || rollup === ROLLUPS.visitTotals.measurement) raw = 'visit';
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
