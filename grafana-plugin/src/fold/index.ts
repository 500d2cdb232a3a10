export { cellIndexAt, foldSeries } from './fold';
export { seriesFromFrames, seriesLabels, type SeriesSelection } from './series';
export { weekdayOfDay } from './slots';
export { resolveTimeZone } from './zone';
export { DAY, MINUTE } from '@kibotics/schema/zone';
export * from './types';
