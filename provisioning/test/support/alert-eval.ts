/**
 * Evaluates a provisioned Grafana alert rule at a given instant, as Grafana's scheduler would: each
 * InfluxQL query over its relative time range, then reduce, math and threshold expressions. "No data"
 * propagates as in Grafana: a query without series is no data (pkg/expr/nodes.go), a Reduce of no data
 * is no data whatever its mode (pkg/expr/commands.go: the mode maps values of a series, and there is
 * none), math with a no-data operand is no data (pkg/expr/mathexp/exp.go, walkBinary), and a condition
 * of no data takes the rule's noDataState. Several series with the same labels are an Error state in
 * Grafana (eval.go: "has duplicate results with labels"). Reduce follows pkg/expr/mathexp/reduce.go (replaceNN maps
 * null and NaN to the value before summing). Only one series per query is modelled: several would make
 * several alert instances, which no rule here wants, so that is an error.
 */
import type { Influxd } from '@kibotics/test-kit/influxd';
import { evaluate, type Series } from './expressions.js';
import { expand } from './grafana-macros.js';
import { points } from './run-panel.js';

export type RuleState = 'firing' | 'normal';

export async function evaluateRule(
  influx: Influxd,
  db: string,
  rule: any,
  at: number
): Promise<{ state: RuleState; values: Record<string, number | 'no data'> }> {
  const results: Record<string, Series | undefined> = {};
  for (const d of rule.data) {
    const m = d.model;
    if (d.datasourceUid !== '__expr__') {
      const range = { from: at - d.relativeTimeRange.from * 1000, to: at - d.relativeTimeRange.to * 1000 };
      const series = await influx.query(
        expand(m.query, {
          range,
          intervalMs: m.intervalMs,
          interval: `${m.intervalMs / 1000}s`,
          variables: [],
          values: {},
        }),
        db
      );
      if (series.length > 1)
        throw new Error(
          `${rule.title} ${d.refId}: ${series.length} series would make ${series.length} alert instances`
        );
      results[d.refId] = series[0] ? points(series[0]) : undefined;
      continue;
    }
    const inputs =
      m.type === 'math'
        ? [...(m.expression as string).matchAll(/\$([A-Z])/g)].map((x) => x[1]!)
        : [m.expression as string];
    if (inputs.some((ref) => results[ref] === undefined)) {
      results[d.refId] = undefined;
      continue;
    }
    if (m.type === 'reduce') {
      if (m.reducer !== 'sum') throw new Error(`reducer ${m.reducer} is not modelled here`);
      const values = [...results[m.expression]!.values()].map((v) =>
        Number.isFinite(v) ? v : m.settings?.mode === 'replaceNN' ? m.settings.replaceWithValue : NaN
      );
      results[d.refId] = new Map([[0, values.reduce((a, b) => a + b, 0)]]);
    } else if (m.type === 'math') {
      results[d.refId] = evaluate(m.expression, Object.fromEntries(inputs.map((ref) => [ref, results[ref]!])));
    } else if (m.type === 'threshold') {
      const [condition] = m.conditions;
      // pkg/expr/threshold.go: gt and lt compare strictly.
      const [type, limit] = [condition.evaluator.type as string, condition.evaluator.params[0] as number];
      if (type !== 'gt' && type !== 'lt') throw new Error(`evaluator ${type} is not modelled here`);
      // A threshold is math `${X} > limit` there (pkg/expr/threshold.go), so NaN stays NaN; a condition
      // value that is not 0, NaN included, is Alerting (pkg/services/ngalert/eval/eval.go, buildResult).
      results[d.refId] = new Map(
        [...results[m.expression]!].map(([t, v]) => [
          t,
          Number.isNaN(v) ? NaN : Number(type === 'gt' ? v > limit : v < limit),
        ])
      );
    } else throw new Error(`expression ${m.type} is not modelled here`);
  }
  const values = Object.fromEntries(
    Object.entries(results).map(([ref, s]) => [ref, s ? [...s.values()][0]! : ('no data' as const)])
  );
  const condition = results[rule.condition];
  const state: RuleState =
    condition === undefined
      ? rule.noDataState === 'Alerting'
        ? 'firing'
        : rule.noDataState === 'OK'
          ? 'normal'
          : assertNever(rule.noDataState)
      : [...condition.values()].some((v) => v !== 0)
        ? 'firing'
        : 'normal';
  return { state, values };
}

function assertNever(noDataState: string): never {
  throw new Error(`noDataState ${noDataState} is not modelled here`);
}
