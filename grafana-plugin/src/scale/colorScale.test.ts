import { colorManipulator, createTheme, FieldColorModeId, fieldColorModeRegistry, ThresholdsMode } from '@grafana/data';

import { createColorScale, percentileOf } from './colorScale';
import { textColorOn } from './contrast';

const dark = createTheme({ colors: { mode: 'dark' } });
const light = createTheme({ colors: { mode: 'light' } });
const hex = (color: string) => colorManipulator.asHexString(color).toLowerCase().slice(0, 7);
const alphaOf = (color: string) => colorManipulator.decomposeColor(color).values[3] ?? 1;

describe('createColorScale', () => {
  it('follows a continuous scheme of the theme from min to max', () => {
    const scheme = fieldColorModeRegistry.get(FieldColorModeId.ContinuousBlPu).getColors!(dark);
    const scale = createColorScale({
      config: { color: { mode: FieldColorModeId.ContinuousBlPu } },
      theme: dark,
      values: [10, 30],
      emptyColor: 'transparent',
    });
    expect(hex(scale.colorOf(10))).toBe(hex(dark.visualization.getColorByName(scheme[0])));
    expect(hex(scale.colorOf(30))).toBe(hex(dark.visualization.getColorByName(scheme[scheme.length - 1])));
    expect(hex(scale.colorOf(20))).not.toBe(hex(scale.colorOf(10)));
    expect(scale.legend.kind).toBe('gradient');
    expect(scale.legend.stops.map((stop) => stop.value)).toEqual([10, 12.5, 15, 17.5, 20, 22.5, 25, 27.5, 30]);
  });

  it('defaults to shades of blue and gives null the empty colour', () => {
    const scale = createColorScale({
      config: {},
      theme: light,
      values: [0, 1],
      emptyColor: 'rgba(1, 2, 3, 0.5)',
    });
    const blue = light.visualization.getColorByName('blue');
    expect(hex(scale.colorOf(1))).toBe(hex(blue));
    expect(alphaOf(scale.colorOf(0.001))).toBeCloseTo(0.25, 2);
    expect(scale.colorOf(null)).toBe('rgba(1, 2, 3, 0.5)');
  });

  it('colours by absolute and percentage thresholds, with steps for the legend', () => {
    const steps = [
      { value: -Infinity, color: 'green' },
      { value: 80, color: 'red' },
    ];
    const absolute = createColorScale({
      config: { color: { mode: FieldColorModeId.Thresholds }, thresholds: { mode: ThresholdsMode.Absolute, steps } },
      theme: dark,
      values: [0, 200],
      emptyColor: 'transparent',
    });
    expect(absolute.colorOf(79)).toBe(dark.visualization.getColorByName('green'));
    expect(absolute.colorOf(80)).toBe(dark.visualization.getColorByName('red'));
    expect(absolute.legend).toEqual({
      kind: 'steps',
      stops: [
        { value: 0, color: dark.visualization.getColorByName('green') },
        { value: 80, color: dark.visualization.getColorByName('red') },
      ],
    });

    const percentage = createColorScale({
      config: { color: { mode: FieldColorModeId.Thresholds }, thresholds: { mode: ThresholdsMode.Percentage, steps } },
      theme: dark,
      values: [0, 200],
      emptyColor: 'transparent',
    });
    expect(percentage.colorOf(150)).toBe(dark.visualization.getColorByName('green'));
    expect(percentage.colorOf(170)).toBe(dark.visualization.getColorByName('red'));
    expect(percentage.legend.stops[1].value).toBe(160);
  });

  it('turns shades of a fixed colour into an opacity ramp of that colour', () => {
    const scale = createColorScale({
      config: { color: { mode: FieldColorModeId.Shades, fixedColor: 'blue' } },
      theme: dark,
      values: [0, 10],
      emptyColor: 'transparent',
    });
    expect(alphaOf(scale.colorOf(10))).toBeCloseTo(1);
    expect(alphaOf(scale.colorOf(5))).toBeCloseTo(0.625);
  });

  it('lets min and max from the field config win over the data, and survives no data', () => {
    const scale = createColorScale({
      config: { min: 0, max: 100 },
      theme: dark,
      values: [40, 60],
      emptyColor: 'transparent',
    });
    expect([scale.min, scale.max]).toEqual([0, 100]);
    const empty = createColorScale({ config: {}, theme: dark, values: [], emptyColor: 'transparent' });
    expect([empty.min, empty.max]).toEqual([0, 1]);
    expect(empty.colorOf(0.5)).toMatch(/^(#|rgb)/);
  });
});

describe('outlier-resistant scales', () => {
  // One busy hour (1000) among quiet ones (1–20).
  const values = [1, 2, 5, 10, 20, 1000];
  const shade = (kind: 'linear' | 'sqrt' | 'log' | 'percentile', extra = {}) =>
    createColorScale({ config: {}, theme: light, values, emptyColor: 'transparent', kind, ...extra });

  it('linear washes the quiet cells into the palest shade; sqrt, log and a percentile cap tell them apart', () => {
    const spread = (kind: 'linear' | 'sqrt' | 'log' | 'percentile', extra = {}) => {
      const scale = shade(kind, extra);
      return alphaOf(scale.colorOf(20)) - alphaOf(scale.colorOf(1));
    };
    expect(spread('linear')).toBeLessThan(0.02);
    expect(spread('sqrt')).toBeGreaterThan(0.08);
    expect(spread('log')).toBeGreaterThan(0.3);
    expect(spread('percentile', { percentile: 80 })).toBeGreaterThan(0.7);
  });

  it('caps at a nearest-rank percentile, says it is capped, and lets a Max override win', () => {
    const capped = shade('percentile', { percentile: 80 });
    expect(capped.max).toBe(20);
    expect(capped.capped).toBe(true);
    expect(alphaOf(capped.colorOf(1000))).toBeCloseTo(1);
    const overridden = createColorScale({
      config: { max: 500 },
      theme: light,
      values,
      emptyColor: 'transparent',
      kind: 'percentile',
    });
    expect(overridden.max).toBe(500);
    expect(shade('linear').capped).toBe(false);
  });

  it('places legend stops at equal shares of the bent scale, so their values grow unevenly', () => {
    const log = shade('log').legend.stops.map((stop) => stop.value);
    expect(log[0]).toBe(1);
    expect(log[8]).toBeCloseTo(1000);
    expect(log[4]).toBeCloseTo(Math.sqrt(1000)); // halfway on a log scale from 1 to 1000
  });

  it('reverses: the strongest colour goes to the lowest value', () => {
    const reversed = shade('linear', { reverse: true });
    expect(alphaOf(reversed.colorOf(1))).toBeCloseTo(1, 1);
    expect(alphaOf(reversed.colorOf(1000))).toBeCloseTo(0.25, 2);
  });

  it('draws zero in a neutral colour unlike the faintest value, and hides cells at or below a value', () => {
    const scale = createColorScale({
      config: {},
      theme: dark,
      values: [0, 1, 100],
      emptyColor: 'transparent',
      hideAtOrBelow: 1,
    });
    expect(scale.zeroColor).toBe(dark.colors.border.weak);
    expect(hex(scale.colorOf(2))).toBe(hex(dark.visualization.getColorByName('blue')));
    expect(scale.isHidden(1)).toBe(true);
    expect(scale.isHidden(0)).toBe(true);
    expect(scale.isHidden(2)).toBe(false);
    expect(scale.colorOf(1)).toBe(scale.colorOf(null));
    const shown = createColorScale({ config: {}, theme: dark, values: [0, 1, 100], emptyColor: 'transparent' });
    expect(shown.colorOf(0)).toBe(dark.colors.border.weak);
    expect(shown.colorOf(0)).not.toBe(shown.colorOf(1));
  });
});

describe('percentileOf', () => {
  it('takes the nearest rank', () => {
    expect(percentileOf([5, 1, 3, 2, 4], 50)).toBe(3);
    expect(percentileOf([5, 1, 3, 2, 4], 100)).toBe(5);
    expect(percentileOf([5, 1, 3, 2, 4], 1)).toBe(1);
  });
});

describe('textColorOn', () => {
  it('writes white on dark cells and black on light ones', () => {
    expect(textColorOn('#1f1f7a', light)).toBe('#ffffff');
    expect(textColorOn('#f2f28c', dark)).toBe('#000000');
    // A faint cell reads against the panel background below it.
    expect(textColorOn('rgba(255, 255, 255, 0.05)', dark)).toBe('#ffffff');
  });
});
