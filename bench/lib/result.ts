/** One line of the table: a figure, the baseline measured in the same run, their ratio and the goal. */
export interface Row {
  scenario: string;
  /** What was measured, e.g. "events/s end to end". */
  figure: string;
  value: number;
  unit: string;
  baseline: string;
  baselineValue: number;
  baselineUnit: string;
  /** value / baselineValue, or the reverse when `ratioIs` says so (always "bigger is better" unless stated). */
  ratio: number;
  ratioIs: string;
  goal: string;
  /** undefined: no goal for this figure (context only). */
  met?: boolean;
  /** Each run's figure and baseline (the table shows the medians). */
  runs?: number[];
  baselineRuns?: number[];
  /** How the figure was made, and figures that explain it. */
  note?: string;
  /** When a goal is not met: why, and what would meet it (from the scenario's own diagnostics and profiles). */
  why?: string;
}

export interface ScenarioContext {
  influxd: import('./influx.js').Influxd;
  long: boolean;
  full: boolean;
  /** Shared between scenarios: scenario 1 leaves InfluxDB's direct write rate for scenario 5. */
  shared: Record<string, number>;
  log(msg: string): void;
}

export type Scenario = (ctx: ScenarioContext) => Promise<Row[]>;

export const fmt = (n: number, digits = 0) =>
  !Number.isFinite(n)
    ? String(n)
    : n.toLocaleString('en', { maximumFractionDigits: digits, minimumFractionDigits: digits });
