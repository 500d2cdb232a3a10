/** The dashboard variables, shared so that links between dashboards carry the same names. */
import { INFLUX_DATASOURCE, type Variable } from './grafana.js';
import { ACTIVE_USERS, GATEWAY_STATS, measurementRef, q, rollup, type InPolicy } from './influxql.js';

const ALL = { text: 'All', value: '$__all' };

/** A tag's values from a low-cardinality measurement; All means `.*` (no filter, a cheap regex). */
function tagValues(
  name: string,
  label: string,
  from: string | InPolicy,
  tag: string,
  where = '',
  extra: Partial<Variable> = {}
): Variable {
  return {
    name,
    label,
    type: 'query',
    datasource: INFLUX_DATASOURCE,
    query: `SHOW TAG VALUES FROM ${measurementRef(from)} WITH KEY = ${q(tag)}${where ? ` WHERE ${where}` : ''}`,
    multi: true,
    includeAll: true,
    allValue: '.*',
    current: { text: [ALL.text], value: [ALL.value] },
    options: [],
    refresh: 1,
    sort: 1,
    ...extra,
  };
}

/** One or more classes, no "All": the groups dashboard reads per-class data, the others the whole platform. */
export const groupVar = tagValues('group', 'Group', rollup('groups'), 'group', '', {
  description: 'Classes (groups) of the platform',
  includeAll: false,
  current: { text: [], value: [] },
});
export const exerciseVar = tagValues('exercise', 'Exercise', rollup('simulations'), 'exercise');
export const simulationTypeVar = tagValues(
  'simulation_type',
  'Simulation type',
  rollup('simulations'),
  'simulation_type'
);
export const statusVar = tagValues('status', 'HTTP status', rollup('errors'), 'status');
export const instanceVar = tagValues('instance', 'Gateway instance', GATEWAY_STATS, 'instance');

/**
 * A `true`/`false` tag: one of them, or All, written `(false|true)`: a regex matching the empty value
 * (`.*`) makes InfluxDB 1.x also look for series without the tag, which cost the per-class
 * exercises panel twice the time at 90 days (bench/README.md).
 */
export function booleanTag(name: string, label: string, initial: 'false' | 'All', description: string): Variable {
  const value = initial === 'All' ? '$__all' : initial;
  return {
    name,
    label,
    type: 'custom',
    query: 'false,true',
    multi: false,
    includeAll: true,
    allValue: '(false|true)',
    current: { text: initial, value },
    options: [
      { text: 'All', value: '$__all', selected: value === '$__all' },
      { text: 'false', value: 'false', selected: value === 'false' },
      { text: 'true', value: 'true', selected: false },
    ],
    description,
  };
}

/** Crawlers: excluded by default everywhere; "true" shows only them, All shows everyone. */
export const botVar = booleanTag(
  'bot',
  'Crawlers',
  'false',
  'false: people only (default); true: crawlers only; All: both'
);

/**
 * One user, for the per-user dashboard: no "All", because a per-user panel over every user would
 * read millions of raw points (the whole-platform dashboards answer that from the roll-ups).
 * Built from `active_days` in the dashboard's range, which erasure (`forget`) deletes: InfluxDB 1.x
 * keeps erased series in SHOW TAG VALUES until it restarts, so a forgotten child would stay listed.
 * Grafana takes the second column of a SELECT's rows as the values (the first is the time).
 */
export const userVar: Variable = {
  name: 'user',
  label: 'User',
  type: 'query',
  datasource: INFLUX_DATASOURCE,
  query: `SELECT DISTINCT("user") FROM ${q(ACTIVE_USERS)} WHERE $timeFilter`,
  multi: false,
  includeAll: false,
  current: { text: '', value: '' },
  options: [],
  refresh: 2,
  sort: 1,
};
