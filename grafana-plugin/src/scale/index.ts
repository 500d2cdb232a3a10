export {
  createColorScale,
  DEFAULT_COLOR,
  percentileOf,
  positionFunction,
  type ColorScale,
  type LegendStop,
  type ScaleKind,
} from './colorScale';
export { textColorOn } from './contrast';
