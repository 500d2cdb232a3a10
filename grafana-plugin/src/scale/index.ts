export { createColorScale, type ColorScale, type LegendStop } from './colorScale';
export { textColorOn } from './contrast';
