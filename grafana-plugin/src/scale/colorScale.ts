import {
  colorManipulator,
  Field,
  FieldColorModeId,
  FieldConfig,
  FieldType,
  getFieldColorModeForField,
  getScaleCalculator,
  GrafanaTheme2,
  ThresholdsMode,
} from '@grafana/data';

import { ScaleKind } from './kind';

export type { ScaleKind };

export interface LegendStop {
  value: number;
  color: string;
}

export interface ColorScale {
  min: number;
  max: number;
  /** True when the top of the scale is below the largest value (percentile cap, a max override). */
  capped: boolean;
  /** Colour of a cell value: the empty colour for null (no slot in the range) and for hidden cells. */
  colorOf(value: number | null): string;
  /** Whether a value is drawn as empty because of the "hide at or below" option. */
  isHidden(value: number | null): boolean;
  /** Colour of cells whose value is exactly zero: neutral, unlike the faintest non-zero colour. */
  zeroColor: string;
  /** For the legend: a gradient sampled low → high, or the threshold steps. */
  legend: { kind: 'gradient' | 'steps'; stops: LegendStop[] };
}

export interface ColorScaleInput {
  /** The value field's config: color mode, thresholds, min/max. */
  config: FieldConfig;
  theme: GrafanaTheme2;
  /** The non-null cell values: extremes and percentiles come from them; config.min/max win when set. */
  values: ArrayLike<number>;
  emptyColor: string;
  kind?: ScaleKind;
  /** Percentile (1–100) of the non-zero values that tops the scale when kind is `percentile`. */
  percentile?: number;
  reverse?: boolean;
  /** Cells at or below this value are drawn in the empty colour; undefined or null hides none. */
  hideAtOrBelow?: number | null;
}

const GRADIENT_STOPS = 9;
/** Opacity of the lowest non-zero value in an opacity ramp: low enough to recede, clearly not zero. */
const LOWEST_ALPHA = 0.25;

/** Faint to strong shades of one colour: quiet slots recede in both themes, busy ones stand out. */
export const DEFAULT_COLOR = { mode: FieldColorModeId.Shades, fixedColor: 'blue' };

/**
 * Cell values → colours with Grafana's own field colour machinery, so continuous schemes and
 * thresholds look as in core panels. Schemes that colour a whole series (fixed, shades, palettes)
 * become an opacity ramp of their colour, as in the core heatmap. The scale kind bends the position
 * of a value between min and max before Grafana picks the colour; thresholds stay absolute.
 */
export function createColorScale(input: ColorScaleInput): ColorScale {
  const { config, theme, values, emptyColor } = input;
  const kind = input.kind ?? 'linear';
  const [dataMin, dataMax] = extremes(values);
  const min = config.min ?? (Number.isFinite(dataMin) ? dataMin : 0);
  let max = config.max ?? (Number.isFinite(dataMax) ? dataMax : 1);
  if (kind === 'percentile' && config.max == null && values.length > 0) {
    // Of the non-zero cells: zeros are drawn apart, and a mostly quiet grid would cap at nothing.
    const nonZero = Array.from(values).filter((value) => value !== 0);
    max = Math.max(min, percentileOf(nonZero.length > 0 ? nonZero : values, input.percentile ?? 95));
  }
  const capped = Number.isFinite(dataMax) && dataMax > max;
  const position = positionFunction(kind, min, max, smallestPositive(values));
  const reverse = input.reverse ?? false;

  const field: Field = {
    name: 'Value',
    type: FieldType.number,
    config: { color: DEFAULT_COLOR, ...config, min, max },
    values: [],
    state: { range: { min, max, delta: max - min } },
  };
  const mode = getFieldColorModeForField(field);
  const scale = getScaleCalculator(field, theme);
  const byThresholds = mode.id === FieldColorModeId.Thresholds;
  // Grafana's calculator places a value by its share of [min, max]: hand it the bent share instead.
  const bent = (value: number) => {
    const share = position(value);
    return min + (reverse ? 1 - share : share) * (max - min);
  };
  const valueColor = byThresholds
    ? (value: number) => scale(value).color
    : mode.isContinuous || mode.isByValue
      ? (value: number) => scale(bent(value)).color
      : (value: number) => {
          const { color, percent } = scale(bent(value));
          return colorManipulator.alpha(color, LOWEST_ALPHA + (1 - LOWEST_ALPHA) * clamp01(percent));
        };

  const empty = theme.visualization.getColorByName(emptyColor);
  const zeroColor = theme.colors.border.weak;
  const hideAtOrBelow = input.hideAtOrBelow;
  const isHidden = (value: number | null) =>
    value !== null && hideAtOrBelow !== undefined && hideAtOrBelow !== null && value <= hideAtOrBelow;
  // Grafana's colour calculator parses and mixes colours (tinycolor) on every call; cells repeat values.
  const cache = new Map<number, string>();
  const cachedColor = (value: number) => {
    let color = cache.get(value);
    if (color === undefined) {
      color = valueColor(value);
      cache.set(value, color);
    }
    return color;
  };
  const colorOf = (value: number | null) =>
    value === null || isHidden(value) ? empty : value === 0 && !byThresholds ? zeroColor : cachedColor(value);

  const legend = byThresholds
    ? { kind: 'steps' as const, stops: thresholdStops(field, theme, min, max) }
    : { kind: 'gradient' as const, stops: gradientStops(valueColor, kind, min, max, smallestPositive(values)) };

  return { min, max, capped, colorOf, isHidden, zeroColor: byThresholds ? valueColor(0) : zeroColor, legend };
}

/** Share of [min, max] a value sits at after the scale's bend, clamped to [0, 1]. */
export function positionFunction(kind: ScaleKind, min: number, max: number, lowestPositive: number) {
  const linear = (value: number) => (max === min ? 1 : clamp01((value - min) / (max - min)));
  if (kind === 'sqrt') {
    const root = (x: number) => Math.sign(x) * Math.sqrt(Math.abs(x));
    const low = root(min);
    const high = root(max);
    return (value: number) => (high === low ? 1 : clamp01((root(value) - low) / (high - low)));
  }
  if (kind === 'log') {
    // A logarithm has no zero: the scale starts at the smallest positive value (or min, if positive).
    const low = Math.log(min > 0 ? min : Number.isFinite(lowestPositive) ? Math.min(lowestPositive, max) : 1);
    const high = Math.log(Math.max(max, Math.exp(low)));
    return (value: number) => (value <= 0 ? 0 : high === low ? 1 : clamp01((Math.log(value) - low) / (high - low)));
  }
  return linear;
}

/** Inverse of positionFunction for the legend: the value at a share of the scale. */
function valueAt(kind: ScaleKind, min: number, max: number, lowestPositive: number, share: number): number {
  if (kind === 'sqrt') {
    const root = (x: number) => Math.sign(x) * Math.sqrt(Math.abs(x));
    const r = root(min) + share * (root(max) - root(min));
    return Math.sign(r) * r * r;
  }
  if (kind === 'log') {
    const low = Math.log(min > 0 ? min : Number.isFinite(lowestPositive) ? Math.min(lowestPositive, max) : 1);
    const high = Math.log(Math.max(max, Math.exp(low)));
    return share === 0 ? min : Math.exp(low + share * (high - low));
  }
  return min + share * (max - min);
}

/** Nearest-rank percentile of the values. */
export function percentileOf(values: ArrayLike<number>, percentile: number): number {
  const sorted = Float64Array.from(values).sort();
  const rank = Math.ceil((Math.min(100, Math.max(1, percentile)) / 100) * sorted.length);
  return sorted[Math.max(0, rank - 1)];
}

function gradientStops(
  colorOf: (value: number) => string,
  kind: ScaleKind,
  min: number,
  max: number,
  lowestPositive: number
): LegendStop[] {
  return Array.from({ length: GRADIENT_STOPS }, (_, i) => {
    const value = valueAt(kind === 'percentile' ? 'linear' : kind, min, max, lowestPositive, i / (GRADIENT_STOPS - 1));
    return { value, color: colorOf(value) };
  });
}

function thresholdStops(field: Field, theme: GrafanaTheme2, min: number, max: number): LegendStop[] {
  const thresholds = field.config.thresholds;
  const toValue = (step: number) =>
    thresholds?.mode === ThresholdsMode.Percentage ? min + ((max - min) * step) / 100 : step;
  return (thresholds?.steps ?? []).map((step) => ({
    value: Number.isFinite(step.value) ? toValue(step.value) : min,
    color: theme.visualization.getColorByName(step.color),
  }));
}

function extremes(values: ArrayLike<number>): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    min = Math.min(min, values[i]);
    max = Math.max(max, values[i]);
  }
  return min > max ? [NaN, NaN] : [min, max];
}

function smallestPositive(values: ArrayLike<number>): number {
  let smallest = Infinity;
  for (let i = 0; i < values.length; i++) {
    if (values[i] > 0 && values[i] < smallest) {
      smallest = values[i];
    }
  }
  return smallest;
}

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
}
