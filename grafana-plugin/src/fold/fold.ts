import { buildSlotTable, QUARTER, SlotTable, weekdayOfDay } from './slots';
import { DAY, MINUTE, zoneOffsetAt } from '@kibotics/schema/zone';
import { ActivityCell, ActivityGrid, Calculation, FoldOptions, Series, TimeRangeMs, Weekday } from './types';

/**
 * Folds series into a weekday × hour or week × weekday grid in `zone` (an IANA name, see
 * resolveTimeZone). Several series are summed. Points outside the range, rounded out to quarter
 * hours, and null values are left out.
 */
export function foldSeries(series: Series[], options: FoldOptions, range: TimeRangeMs, zone: string): ActivityGrid {
  const table = buildSlotTable(options, range, zone);
  const occurrences = table.cellOfOccurrence.length;
  const occurrenceSum = new Float64Array(occurrences);
  const occurrenceCount = new Uint32Array(occurrences);
  const quarters = table.occurrenceOfQuarter.length;
  let points = 0;

  for (const { times, values } of series) {
    for (let i = 0; i < times.length; i++) {
      const value = values[i];
      if (value === null || value === undefined || Number.isNaN(value)) {
        continue;
      }
      const quarter = Math.floor((times[i] - table.base) / QUARTER);
      if (quarter < 0 || quarter >= quarters) {
        continue;
      }
      const occurrence = table.occurrenceOfQuarter[quarter];
      if (occurrence >= 0) {
        occurrenceSum[occurrence] += value;
        occurrenceCount[occurrence]++;
        points++;
      }
    }
  }

  const cells = collectCells(table, occurrenceSum, occurrenceCount, options.calculation);
  if (options.percentOfTotal) {
    toPercentOfTotal(cells);
  }
  const [min, max] = extremes(cells);
  const base = { timeZone: zone, range, cells, min, max, points };
  switch (options.layout) {
    case 'weekdayHour':
      return {
        ...base,
        layout: 'weekdayHour',
        slotMinutes: options.slotMinutes,
        rows: table.rows as Weekday[],
        columns: table.columns,
      };
    case 'dayHour':
      return { ...base, layout: 'dayHour', slotMinutes: options.slotMinutes, rows: table.rows, columns: table.columns };
    case 'weekWeekday':
      return { ...base, layout: 'weekWeekday', rows: table.rows, columns: table.columns as Weekday[] };
  }
}

function collectCells(
  table: SlotTable,
  occurrenceSum: Float64Array,
  occurrenceCount: Uint32Array,
  calculation: Calculation
): ActivityCell[] {
  const width = table.columns.length;
  const cells: ActivityCell[] = Array.from({ length: table.rows.length * width }, (_, index) => ({
    row: Math.floor(index / width),
    col: index % width,
    value: null,
    sum: 0,
    count: 0,
    occurrences: 0,
    days: 0,
    from: NaN,
    to: NaN,
  }));
  // Sums of each cell's occurrences, for max, min and median; occurrences without points count as zero.
  const sums: number[][] = Array.from({ length: cells.length }, () => []);

  for (let occurrence = 0; occurrence < table.cellOfOccurrence.length; occurrence++) {
    const index = table.cellOfOccurrence[occurrence];
    const cell = cells[index];
    cell.sum += occurrenceSum[occurrence];
    cell.count += occurrenceCount[occurrence];
    cell.occurrences++;
    cell.days += table.occurrenceIsNewDay[occurrence];
    sums[index].push(occurrenceSum[occurrence]);
    if (Number.isNaN(cell.from)) {
      cell.from = table.occurrenceFrom[occurrence];
    }
    cell.to = table.occurrenceTo[occurrence];
  }

  cells.forEach((cell, index) => {
    cell.value = cell.occurrences === 0 ? null : calculate(cell, sums[index], calculation);
  });
  return cells;
}

function calculate(cell: ActivityCell, sums: number[], calculation: Calculation): number {
  switch (calculation) {
    case 'total':
      return cell.sum;
    case 'mean':
      return cell.sum / cell.occurrences;
    case 'max':
      return Math.max(...sums);
    case 'min':
      return Math.min(...sums);
    case 'median':
      return median(sums);
    case 'count':
      return cell.count;
  }
}

function median(values: number[]): number {
  const sorted = Float64Array.from(values).sort();
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

function toPercentOfTotal(cells: ActivityCell[]): void {
  const total = cells.reduce((sum, cell) => sum + (cell.value ?? 0), 0);
  for (const cell of cells) {
    if (cell.value !== null) {
      cell.value = total === 0 ? 0 : (cell.value / total) * 100;
    }
  }
}

function extremes(cells: ActivityCell[]): [number, number] {
  let min = Infinity;
  let max = -Infinity;
  for (const { value } of cells) {
    if (value !== null) {
      min = Math.min(min, value);
      max = Math.max(max, value);
    }
  }
  return min > max ? [NaN, NaN] : [min, max];
}

/**
 * Index of the cell an instant falls in (the current weekday and hour, for the "now" outline), or
 * undefined when the grid has no cell for it (hours not counted, a day outside the range).
 */
export function cellIndexAt(grid: ActivityGrid, t: number): number | undefined {
  const local = t + zoneOffsetAt(grid.timeZone, t);
  const day = Math.floor(local / DAY);
  const minute = Math.floor((local - day * DAY) / MINUTE);
  const width = grid.columns.length;
  const columnOf = (slotMinutes: number) => {
    const first = grid.columns[0];
    const col = Math.floor((minute - first) / slotMinutes);
    return minute >= first && col < width ? col : undefined;
  };
  let row: number;
  let col: number | undefined;
  switch (grid.layout) {
    case 'weekdayHour':
      row = grid.rows.indexOf(weekdayOfDay(day));
      col = columnOf(grid.slotMinutes);
      break;
    case 'dayHour':
      row = grid.rows.indexOf(day);
      col = columnOf(grid.slotMinutes);
      break;
    case 'weekWeekday':
      row = grid.rows.findIndex((weekStart) => day >= weekStart && day < weekStart + 7);
      col = row < 0 ? undefined : day - grid.rows[row];
      break;
  }
  return row < 0 || col === undefined ? undefined : row * width + col;
}
