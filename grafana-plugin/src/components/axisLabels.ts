import { ActivityGrid } from '../fold';
import { dayLabel, LabelWidth, weekdayName } from './labels';

export interface AxisLabels {
  /** One entry per row / column; '' where a label is skipped to avoid overlap. */
  rows: string[];
  columns: string[];
}

/** Weekday names and hours, week start dates and weekday names, or dates and hours, at a label width. */
export function axisLabels(
  grid: ActivityGrid,
  locale: string,
  width: LabelWidth,
  rowStep = 1,
  columnStep = 1
): AxisLabels {
  const every = (step: number, label: (i: number) => string) => (_: unknown, i: number) =>
    i % step === 0 ? label(i) : '';
  // Column labels of week × weekday and dates stay short: long ones never fit above a cell.
  const compact = width === 'long' ? 'short' : width;
  const hours = (columns: number[]) => columns.map(every(columnStep, (i) => String(columns[i] / 60)));
  switch (grid.layout) {
    case 'weekdayHour':
      return {
        rows: grid.rows.map(every(rowStep, (i) => weekdayName(grid.rows[i], locale, width))),
        columns: hours(grid.columns),
      };
    case 'dayHour':
      return {
        rows: grid.rows.map(every(rowStep, (i) => dayLabel(grid.rows[i], locale, compact))),
        columns: hours(grid.columns),
      };
    case 'weekWeekday':
      return {
        rows: grid.rows.map(every(rowStep, (i) => dayLabel(grid.rows[i], locale, compact))),
        columns: grid.columns.map(every(columnStep, (i) => weekdayName(grid.columns[i], locale, compact))),
      };
  }
}

/** Longest row label at each width and longest column label, in characters, to size the axes. */
export function labelLengths(grid: ActivityGrid, locale: string) {
  const longest = (labels: string[]) => labels.reduce((max, label) => Math.max(max, label.length), 0);
  const widths: LabelWidth[] = ['long', 'short', 'narrow'];
  const rowLabelChars = Object.fromEntries(
    widths.map((width) => [width, longest(axisLabels(grid, locale, width).rows)])
  ) as Record<LabelWidth, number>;
  return { rowLabelChars, columnLabelChars: longest(axisLabels(grid, locale, 'short').columns) };
}
