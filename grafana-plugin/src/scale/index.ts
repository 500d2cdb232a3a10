export { createColorScale, DEFAULT_COLOR, type ColorScale, type LegendStop } from './colorScale';
export { textColorOn } from './contrast';
