/** Runs a provisioned panel's queries as Grafana would: macros expanded, expressions evaluated. */
import type { Influxd, SeriesResult } from '@kibotics/test-kit/influxd';
import type { Dashboard, Panel } from '../../src/grafana.js';
import { evaluate, type Series } from './expressions.js';
import { expand, interval, type Range, type Values } from './grafana-macros.js';

export interface PanelResult {
  /** InfluxDB's series per refId (expressions: one series named by the refId). */
  byRef: Record<string, SeriesResult[]>;
  queries: string[];
  ms: number;
}

/** A series' (time → first value column) pairs. */
export const points = (s: SeriesResult): Series => new Map(s.values.map((row) => [row[0] as number, row[1] as number]));

export async function runPanel(
  influx: Influxd,
  db: string,
  dashboard: Dashboard,
  panel: Panel,
  range: Range,
  values: Values
): Promise<PanelResult> {
  const { intervalMs, interval: text } = interval(panel, range, '10s');
  const byRef: Record<string, SeriesResult[]> = {};
  const queries: string[] = [];
  const started = performance.now();
  for (const target of panel.targets ?? []) {
    if ('query' in target) {
      const q = expand(target.query, {
        range,
        intervalMs,
        interval: text,
        variables: dashboard.templating.list,
        values,
      });
      queries.push(q);
      byRef[target.refId] = await influx.query(q, db);
    } else {
      const refs = Object.fromEntries(
        Object.entries(byRef).map(([ref, series]) => [ref, series[0] ? points(series[0]) : new Map()])
      );
      const result = evaluate(target.expression, refs);
      byRef[target.refId] = result.size
        ? [{ name: target.refId, columns: ['time', 'value'], values: [...result] }]
        : [];
    }
  }
  return { byRef, queries, ms: performance.now() - started };
}
