/** The panel kinds the dashboards use, with the options that make each readable at a glance. */
import { ACTIVITY_PANEL, influx, type PanelSpec } from './grafana.js';
import { PLATFORM_TIME_ZONE } from './influxql.js';

type Targets = NonNullable<PanelSpec['targets']>;
interface Size {
  w: number;
  h: number;
  description?: string;
  unit?: string;
}

/**
 * InfluxQL sums over no points return no series, so Grafana would show "No data" where there were
 * none: counts of things that may not happen (errors) show this instead.
 */
export const NONE = '0';

/** What every panel starts with. */
const base = (type: string, title: string, targets: Targets | undefined, o: Size) => ({
  type,
  title,
  description: o.description,
  w: o.w,
  h: o.h,
  targets,
});

const legend = (placement: 'bottom' | 'right' = 'bottom') => ({
  showLegend: true,
  displayMode: 'list',
  placement,
  calcs: [],
});

export function timeseries(
  title: string,
  targets: Targets,
  o: Size & { bars?: boolean; stack?: boolean; interval?: string; overrides?: unknown[]; noValue?: string }
): PanelSpec {
  return {
    ...base('timeseries', title, targets, o),
    interval: o.interval,
    defaults: {
      unit: o.unit ?? 'short',
      noValue: o.noValue,
      min: 0,
      custom: {
        drawStyle: o.bars ? 'bars' : 'line',
        lineWidth: 1,
        fillOpacity: o.bars ? 80 : 10,
        showPoints: 'never',
        spanNulls: false,
        stacking: { mode: o.stack ? 'normal' : 'none', group: 'A' },
      },
    },
    overrides: o.overrides,
    options: { legend: legend(), tooltip: { mode: 'multi', sort: 'desc' } },
  };
}

/** Figures reduced to one value each (e.g. this period and the one before). */
export function stat(
  title: string,
  targets: Targets,
  o: Size & { calc?: string; decimals?: number; overrides?: unknown[]; fields?: string; noValue?: string }
): PanelSpec {
  return {
    ...base('stat', title, targets, o),
    defaults: {
      unit: o.unit ?? 'short',
      decimals: o.decimals,
      noValue: o.noValue,
      color: { mode: 'thresholds' },
      thresholds: { mode: 'absolute', steps: [{ color: 'blue', value: null }] },
    },
    overrides: o.overrides,
    options: {
      reduceOptions: { calcs: [o.calc ?? 'lastNotNull'], fields: o.fields ?? '', values: false },
      colorMode: 'value',
      graphMode: 'none',
      textMode: 'value_and_name',
      justifyMode: 'auto',
      orientation: 'horizontal',
      wideLayout: true,
      showPercentChange: false,
    },
  };
}

/** Shares of a whole: one series per tag value, summed over the range. */
export function pie(title: string, targets: Targets, o: Size & { noValue?: string }): PanelSpec {
  return {
    ...base('piechart', title, targets, o),
    defaults: { unit: o.unit ?? 'short', noValue: o.noValue },
    options: {
      reduceOptions: { calcs: ['sum'], fields: '', values: false },
      pieType: 'donut',
      displayLabels: ['name'],
      legend: { showLegend: true, displayMode: 'table', placement: 'right', values: ['value', 'percent'] },
      tooltip: { mode: 'single', sort: 'none' },
    },
  };
}

export function table(
  title: string,
  targets: Targets,
  o: Size & { sortBy?: string; desc?: boolean; overrides?: unknown[]; transformations?: unknown[] }
): PanelSpec {
  return {
    ...base('table', title, targets, o),
    defaults: { unit: o.unit, custom: { align: 'auto', cellOptions: { type: 'auto' } } },
    overrides: o.overrides,
    options: {
      showHeader: true,
      cellHeight: 'sm',
      ...(o.sortBy ? { sortBy: [{ displayName: o.sortBy, desc: o.desc ?? true }] } : {}),
    },
    transformations: o.transformations,
  };
}

/** Bars of a table query: one bar per row, labelled by `x` (a tag), horizontal unless said otherwise. */
export function barchart(
  title: string,
  targets: Targets,
  o: Size & { x: string; vertical?: boolean; transformations?: unknown[] }
): PanelSpec {
  return {
    ...base('barchart', title, targets, o),
    defaults: { unit: o.unit ?? 'short', custom: { fillOpacity: 80, lineWidth: 1 } },
    options: {
      xField: o.x,
      orientation: o.vertical ? 'vertical' : 'horizontal',
      showValue: 'auto',
      stacking: 'none',
      groupWidth: 0.8,
      barWidth: 0.9,
      legend: { ...legend(), showLegend: targets.length > 1 },
      tooltip: { mode: 'single', sort: 'none' },
    },
    transformations: o.transformations,
  };
}

/**
 * Our heat map panel. Its queries must bucket by 15 minutes (`GROUP BY time(15m)`): every real time
 * zone is a whole number of quarter hours from UTC, so the panel folds them exactly into local hours.
 */
export function activity(
  title: string,
  query: string,
  o: Size & { layout: 'weekdayHour' | 'weekWeekday'; calculation?: 'mean' | 'total' | 'max' }
): PanelSpec {
  return {
    ...base(ACTIVITY_PANEL, title, [influx(query)], o),
    // Whatever the range, the panel needs the 15-minute buckets: no $__interval here.
    maxDataPoints: 100_000,
    defaults: { unit: o.unit ?? 'short' },
    // Only what differs from the plugin's defaults (Grafana fills in the rest): Monday first, the dashboard's zone.
    options: { layout: o.layout, calculation: o.calculation ?? (o.layout === 'weekdayHour' ? 'mean' : 'total') },
  };
}

/** Countries on a world map: a table query with a `country` column (ISO code) and a value column. */
export function countryMap(title: string, query: string, o: Size & { value: string }): PanelSpec {
  return {
    ...base('geomap', title, [influx(query, { table: true })], o),
    defaults: { unit: o.unit ?? 'short', color: { mode: 'continuous-BlPu' } },
    options: {
      view: { id: 'zero', lat: 0, lon: 0, zoom: 1, allLayers: true },
      controls: { showZoom: true, mouseWheelZoom: false, showAttribution: true },
      basemap: { type: 'default', name: 'Basemap' },
      layers: [
        {
          type: 'markers',
          name: title,
          tooltip: true,
          location: { mode: 'lookup', lookup: 'country', gazetteer: 'public/gazetteer/countries.json' },
          config: {
            showLegend: true,
            style: {
              size: { field: o.value, min: 4, max: 30, fixed: 5 },
              color: { field: o.value, fixed: 'dark-green' },
              opacity: 0.6,
              symbol: { mode: 'fixed', fixed: 'img/icons/marker/circle.svg' },
            },
          },
        },
      ],
      tooltip: { mode: 'details' },
    },
  };
}

/**
 * Folds a time series into one bar per weekday or hour of the platform's zone (not the viewer's):
 * Grafana formats each bucket's time, groups by that label and sums (InfluxQL has no weekday or
 * hour function). formatTime reads `timezone` (@grafana/data's formatTime.ts); without it, the viewer's zone.
 */
export function foldedBars(
  title: string,
  query: string,
  by: 'weekday' | 'hour',
  o: Size & { value: string }
): PanelSpec {
  const format = by === 'weekday' ? 'E ddd' : 'HH';
  return {
    ...barchart(title, [influx(query, { alias: o.value })], {
      ...o,
      x: 'Time',
      vertical: true,
      transformations: [
        { id: 'formatTime', options: { timeField: 'Time', outputFormat: format, timezone: PLATFORM_TIME_ZONE } },
        {
          id: 'groupBy',
          options: {
            fields: {
              Time: { operation: 'groupby', aggregations: [] },
              [o.value]: { operation: 'aggregate', aggregations: ['sum'] },
            },
          },
        },
        { id: 'sortBy', options: { sort: [{ field: 'Time', desc: false }] } },
      ],
    }),
    // Every 15-minute bucket of the range, whatever its length: the folding needs them all.
    maxDataPoints: 100_000,
  };
}

/** Names the series of a query (an expression's result has no alias of its own). */
export const nameRefId = (refId: string, name: string) => ({
  matcher: { id: 'byFrameRefID', options: refId },
  properties: [{ id: 'displayName', value: name }],
});

/** Drops the time column of a table query grouped by tag (InfluxDB gives every row the range's start). */
export const dropTime = {
  id: 'organize',
  options: { excludeByName: { Time: true }, indexByName: {}, renameByName: {} },
};
