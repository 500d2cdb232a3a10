export { cellIndexAt, foldSeries } from './fold';
export { seriesFromFrames, seriesLabels, type SeriesSelection } from './series';
export { weekdayOfDay } from './slots';
export { resolveTimeZone, DAY, MINUTE } from './zone';
export * from './types';
