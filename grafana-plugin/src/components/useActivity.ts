import { useMemo } from 'react';
import {
  DataFrame,
  DataLink,
  FieldConfig,
  FieldType,
  formattedValueToString,
  getDisplayProcessor,
  getValueFormats,
  PanelProps,
} from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

import { ActivityGrid, foldSeries, FoldOptions, resolveTimeZone, seriesFromFrames } from '../fold';
import { ColorScale, createColorScale } from '../scale';
import { ActivityOptions } from '../types';
import { calculationName, effectiveCalculation } from './cellInfo';
import { autoFirstDay, regionLocale } from './labels';

export interface PanelActivity {
  grid: ActivityGrid;
  scale: ColorScale;
  /** Formats cell values (in percent when percentOfTotal is on). */
  format: (value: number | null) => string;
  /** Formats raw sums, in the field's own unit. */
  formatSum: (value: number) => string;
  links: DataLink[];
  /** What the cells show: "mean per week", "busiest hour, % of all cells". */
  what: string;
  /** What is counted, when the values carry no unit: the field's display name ("starts"), or ''. */
  noun: string;
  /** Legend title: what the cells show and what is counted or its unit ("mean per week, starts"). */
  legendTitle: string;
}

/** Panel props → the folded grid, its colour scale and value formatting; or why there is none. */
export function useActivity(props: PanelProps<ActivityOptions>): { activity?: PanelActivity; error?: string } {
  const { data, options, fieldConfig, timeRange, timeZone } = props;
  const theme = useTheme2();
  const from = timeRange.from.valueOf();
  const to = timeRange.to.valueOf();

  const folded = useMemo(() => {
    let zone: string;
    try {
      zone = resolveTimeZone(options.timeZone || timeZone);
    } catch {
      return { error: `Unknown time zone "${options.timeZone || timeZone}"` };
    }
    const series = seriesFromFrames(data.series, {
      valueField: options.valueField,
      label: options.seriesLabel,
      labelValue: options.seriesLabelValue,
    });
    return { grid: foldSeries(series, foldOptions(options), { from, to }, zone) };
  }, [data.series, options, from, to, timeZone]);

  const activity = useMemo(() => {
    if (!folded.grid) {
      return undefined;
    }
    const fieldOwn: FieldConfig = { ...fieldConfig.defaults, ...firstValueConfig(data.series) };
    const config: FieldConfig = options.percentOfTotal ? { ...fieldOwn, unit: 'percent' } : fieldOwn;
    const values = folded.grid.cells.flatMap((cell) => (cell.value === null ? [] : [cell.value]));
    const scale = createColorScale({
      config,
      theme,
      values,
      emptyColor: options.emptyColor,
      kind: options.colorScale,
      percentile: options.colorPercentile,
      reverse: options.reverseColors,
      hideAtOrBelow: options.hideAtOrBelow,
    });
    const formatter = (unitConfig: FieldConfig) => {
      const display = getDisplayProcessor({ field: { type: FieldType.number, config: unitConfig }, theme });
      // The display processor also works out a colour per call; cells (and their names) repeat values.
      const texts = new Map<number, string>();
      return (value: number) => {
        let text = texts.get(value);
        if (text === undefined) {
          text = formattedValueToString(display(value));
          texts.set(value, text);
        }
        return text;
      };
    };
    const formatValue = formatter(config);
    const format = (value: number | null) => (value === null ? '–' : formatValue(value));
    const calculation = effectiveCalculation(options.calculation, folded.grid.layout);
    const what = `${calculationName(calculation, folded.grid.layout)}${options.percentOfTotal ? ', % of all cells' : ''}`;
    const unit = unitName(config.unit);
    const noun = fieldOwn.displayName ?? '';
    const legendTitle = [what, noun || unit].filter(Boolean).join(', ');
    return {
      grid: folded.grid,
      scale,
      format,
      formatSum: formatter(fieldOwn),
      links: config.links ?? [],
      what,
      noun: unit ? '' : noun,
      legendTitle,
    };
  }, [folded, fieldConfig, options, theme, data.series]);

  return { activity, error: folded.error };
}

export function foldOptions(options: ActivityOptions): FoldOptions {
  const hourFrom = clamp(Math.floor(options.hourFrom ?? 0), 0, 23);
  const firstDay =
    options.firstDay === undefined || options.firstDay === 'auto' ? autoFirstDay(regionLocale()) : options.firstDay;
  return {
    layout: options.layout,
    calculation: effectiveCalculation(options.calculation, options.layout),
    percentOfTotal: options.percentOfTotal,
    slotMinutes: options.layout === 'weekWeekday' ? 60 : options.slotMinutes,
    hourFrom,
    hourTo: clamp(Math.floor(options.hourTo ?? 24), hourFrom + 1, 24),
    firstDay,
  };
}

/** "minutes (m)" for the unit id "m"; '' when there is no unit or it is a plain number format. */
function unitName(unit: string | undefined): string {
  if (!unit || unit === 'none' || unit === 'short' || unit === 'percent') {
    return '';
  }
  if (unit.startsWith('suffix:')) {
    return unit.slice('suffix:'.length).trim();
  }
  for (const category of getValueFormats()) {
    const found = category.submenu?.find((item) => item.value === unit);
    if (found) {
      return found.text;
    }
  }
  return unit;
}

/** Grafana has already applied defaults and overrides to each field's config: use the first value field's. */
function firstValueConfig(frames: DataFrame[]): FieldConfig {
  for (const frame of frames) {
    const field = frame.fields.find((f) => f.type === FieldType.number);
    if (field) {
      return field.config;
    }
  }
  return {};
}

function clamp(x: number, low: number, high: number): number {
  return Math.min(high, Math.max(low, Number.isFinite(x) ? x : low));
}
