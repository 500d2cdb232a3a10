/**
 * Expands a panel's InfluxQL as Grafana does before sending it: $timeFilter, $__interval (Grafana's own
 * calculateInterval from @grafana/data, with the panel's min interval and max data points),
 * $__interval_ms, ${__from}/${__to}, $__range_ms, and the variables — one value, several as a
 * regex-escaped `(a|b)`, All as the variable's custom all value.
 */
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Panel, Variable } from '../../src/grafana.js';

export type { Variable };

const require = createRequire(import.meta.url);
// Not in the package's exports map, so reached by its file; it is the function Grafana's query runner calls.
const rangeutil = require(join(dirname(require.resolve('@grafana/data')), 'datetime/rangeutil.cjs')) as {
  calculateInterval(
    range: { from: { valueOf(): number }; to: { valueOf(): number } },
    resolution: number,
    lowLimit?: string
  ): { intervalMs: number; interval: string };
};

export interface Range {
  from: number;
  to: number;
}

/** The variable values a test chooses: one string, several, or 'All'. */
export type Values = Record<string, string | string[]>;

/** Grafana's regex escaping of one value (lodash escapeRegExp plus `/` for InfluxQL's delimiters). */
const escapeRegex = (value: string) => value.replace(/[\\^$.*+?()[\]{}|/]/g, '\\$&');

export function formatVariable(variable: Variable, value: string | string[]): string {
  if (value === 'All' || (Array.isArray(value) && value.length === 1 && value[0] === 'All')) {
    if (variable.allValue === undefined)
      throw new Error(`${variable.name}: All without a custom all value is not used here`);
    return variable.allValue;
  }
  const values = Array.isArray(value) ? value : [value];
  if (!variable.multi && !variable.includeAll) return values[0]!.replace(/\\/g, '\\\\').replace(/\//g, '\\/');
  const escaped = values.map(escapeRegex);
  return escaped.length === 1 ? escaped[0]! : `(${escaped.join('|')})`;
}

/** The panel's resolution: its maxDataPoints, else its width in pixels on a 1920-pixel-wide screen. */
export const resolutionOf = (panel: Panel) => panel.maxDataPoints ?? Math.round((panel.gridPos.w / 24) * 1920);

export function interval(
  panel: Pick<Panel, 'interval' | 'maxDataPoints' | 'gridPos'>,
  range: Range,
  datasourceMinInterval?: string
) {
  return rangeutil.calculateInterval(
    { from: range.from, to: range.to },
    resolutionOf(panel as Panel),
    panel.interval ?? datasourceMinInterval
  );
}

export function expand(
  query: string,
  ctx: { range: Range; intervalMs: number; interval: string; variables: Variable[]; values: Values }
): string {
  const byName = new Map(ctx.variables.map((v) => [v.name, v]));
  const builtins: Record<string, string> = {
    timeFilter: `time >= ${ctx.range.from}ms and time <= ${ctx.range.to}ms`,
    __interval: ctx.interval,
    __interval_ms: String(ctx.intervalMs),
    __from: String(ctx.range.from),
    __to: String(ctx.range.to),
    __range_ms: String(ctx.range.to - ctx.range.from),
    __range_s: String(Math.round((ctx.range.to - ctx.range.from) / 1000)),
  };
  return query.replace(/\$\{(\w+)\}|\$(\w+)/g, (whole, braced: string | undefined, bare: string | undefined) => {
    const name = (braced ?? bare)!;
    if (name in builtins) return builtins[name]!;
    const variable = byName.get(name);
    if (!variable) throw new Error(`undefined variable $${name} in ${query}`);
    const value = ctx.values[name];
    if (value === undefined) throw new Error(`no value chosen for $${name}`);
    return formatVariable(variable, value);
  });
}

/** Every `$name` / `${name}` a query uses, builtins excluded. */
export function variablesUsed(query: string): string[] {
  const out = new Set<string>();
  for (const m of query.matchAll(/\$\{(\w+)\}|\$(\w+)/g)) {
    const name = (m[1] ?? m[2])!;
    if (!name.startsWith('__') && name !== 'timeFilter' && !/^tag_/.test(name)) out.add(name);
  }
  return [...out];
}
