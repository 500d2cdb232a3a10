import { useMemo } from 'react';
import {
  DataFrame,
  DataLink,
  FieldConfig,
  FieldType,
  formattedValueToString,
  getDisplayProcessor,
  PanelProps,
} from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

import { ActivityGrid, foldSeries, FoldOptions, resolveTimeZone, seriesFromFrames } from '../fold';
import { ColorScale, createColorScale } from '../scale';
import { ActivityOptions } from '../types';

export interface PanelActivity {
  grid: ActivityGrid;
  scale: ColorScale;
  /** Formats cell values (in percent when percentOfTotal is on). */
  format: (value: number | null) => string;
  /** Formats raw sums, in the field's own unit. */
  formatSum: (value: number) => string;
  links: DataLink[];
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
    const scale = createColorScale({
      config,
      theme,
      dataMin: folded.grid.min,
      dataMax: folded.grid.max,
      emptyColor: options.emptyColor,
    });
    const formatter = (unitConfig: FieldConfig) => {
      const display = getDisplayProcessor({ field: { type: FieldType.number, config: unitConfig }, theme });
      return (value: number) => formattedValueToString(display(value));
    };
    const formatValue = formatter(config);
    const format = (value: number | null) => (value === null ? '–' : formatValue(value));
    return { grid: folded.grid, scale, format, formatSum: formatter(fieldOwn), links: config.links ?? [] };
  }, [folded, fieldConfig, options.percentOfTotal, options.emptyColor, theme, data.series]);

  return { activity, error: folded.error };
}

export function foldOptions(options: ActivityOptions): FoldOptions {
  const hourFrom = clamp(Math.floor(options.hourFrom ?? 0), 0, 23);
  return {
    layout: options.layout,
    calculation: options.calculation,
    percentOfTotal: options.percentOfTotal,
    slotMinutes: options.layout === 'weekdayHour' ? options.slotMinutes : 60,
    hourFrom,
    hourTo: clamp(Math.floor(options.hourTo ?? 24), hourFrom + 1, 24),
    firstDay: options.firstDay,
  };
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
