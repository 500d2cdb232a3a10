import { colorManipulator, createTheme, FieldColorModeId, fieldColorModeRegistry, ThresholdsMode } from '@grafana/data';

import { createColorScale } from './colorScale';
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
      dataMin: 10,
      dataMax: 30,
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
      dataMin: 0,
      dataMax: 1,
      emptyColor: 'rgba(1, 2, 3, 0.5)',
    });
    const blue = light.visualization.getColorByName('blue');
    expect(hex(scale.colorOf(1))).toBe(hex(blue));
    expect(alphaOf(scale.colorOf(0))).toBeCloseTo(0.15);
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
      dataMin: 0,
      dataMax: 200,
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
      dataMin: 0,
      dataMax: 200,
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
      dataMin: 0,
      dataMax: 10,
      emptyColor: 'transparent',
    });
    expect(alphaOf(scale.colorOf(0))).toBeCloseTo(0.15);
    expect(alphaOf(scale.colorOf(10))).toBeCloseTo(1);
    expect(alphaOf(scale.colorOf(5))).toBeCloseTo(0.575);
  });

  it('lets min and max from the field config win over the data, and survives no data', () => {
    const scale = createColorScale({
      config: { min: 0, max: 100 },
      theme: dark,
      dataMin: 40,
      dataMax: 60,
      emptyColor: 'transparent',
    });
    expect([scale.min, scale.max]).toEqual([0, 100]);
    const empty = createColorScale({ config: {}, theme: dark, dataMin: NaN, dataMax: NaN, emptyColor: 'transparent' });
    expect([empty.min, empty.max]).toEqual([0, 1]);
    expect(empty.colorOf(0)).toMatch(/^(#|rgb)/);
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
