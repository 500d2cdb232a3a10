import { colorManipulator, GrafanaTheme2 } from '@grafana/data';

/** Black or white, whichever reads better on a cell colour drawn over the panel background. */
export function textColorOn(background: string, theme: GrafanaTheme2): string {
  const canvas = theme.colors.background.primary;
  const dark = '#000000';
  const light = '#ffffff';
  return colorManipulator.getContrastRatio(dark, background, canvas) >=
    colorManipulator.getContrastRatio(light, background, canvas)
    ? dark
    : light;
}
