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

export interface LegendStop {
  value: number;
  color: string;
}

export interface ColorScale {
  min: number;
  max: number;
  /** Colour of a cell value; the empty colour for null (no slot in the range). */
  colorOf(value: number | null): string;
  /** For the legend: a gradient sampled low → high, or the threshold steps. */
  legend: { kind: 'gradient' | 'steps'; stops: LegendStop[] };
}

export interface ColorScaleInput {
  /** The value field's config: color mode, thresholds, min/max. */
  config: FieldConfig;
  theme: GrafanaTheme2;
  /** Extremes of the cell values; config.min/max win when set. NaN when there are no values. */
  dataMin: number;
  dataMax: number;
  emptyColor: string;
}

const GRADIENT_STOPS = 9;

/** Faint to strong shades of one colour: quiet slots recede in both themes, busy ones stand out. */
export const DEFAULT_COLOR = { mode: FieldColorModeId.Shades, fixedColor: 'blue' };

/**
 * Cell values → colours with Grafana's own field colour machinery, so continuous schemes and
 * thresholds look as in core panels. Schemes that colour a whole series (fixed, shades, palettes)
 * become an opacity ramp of their colour, as in the core heatmap.
 */
export function createColorScale({ config, theme, dataMin, dataMax, emptyColor }: ColorScaleInput): ColorScale {
  const min = config.min ?? (Number.isFinite(dataMin) ? dataMin : 0);
  const max = config.max ?? (Number.isFinite(dataMax) ? dataMax : 1);
  const field: Field = {
    name: 'Value',
    type: FieldType.number,
    config: { color: DEFAULT_COLOR, ...config, min, max },
    values: [],
    state: { range: { min, max, delta: max - min } },
  };
  const mode = getFieldColorModeForField(field);
  const scale = getScaleCalculator(field, theme);
  const valueColor =
    mode.isContinuous || mode.isByValue
      ? (value: number) => scale(value).color
      : (value: number) => {
          const { color, percent } = scale(value);
          return colorManipulator.alpha(color, 0.15 + 0.85 * clamp01(percent));
        };

  const colorOf = (value: number | null) =>
    value === null ? theme.visualization.getColorByName(emptyColor) : valueColor(value);

  const legend =
    mode.id === FieldColorModeId.Thresholds
      ? { kind: 'steps' as const, stops: thresholdStops(field, theme, min, max) }
      : { kind: 'gradient' as const, stops: gradientStops(valueColor, min, max) };

  return { min, max, colorOf, legend };
}

function gradientStops(colorOf: (value: number) => string, min: number, max: number): LegendStop[] {
  return Array.from({ length: GRADIENT_STOPS }, (_, i) => {
    const value = min + ((max - min) * i) / (GRADIENT_STOPS - 1);
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

function clamp01(x: number): number {
  return Math.min(1, Math.max(0, Number.isFinite(x) ? x : 0));
}
