import { buildSlotTable, QUARTER, SlotTable } from './slots';
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
  return options.layout === 'weekdayHour'
    ? {
        ...base,
        layout: 'weekdayHour',
        slotMinutes: options.slotMinutes,
        rows: table.rows as Weekday[],
        columns: table.columns,
      }
    : { ...base, layout: 'weekWeekday', rows: table.rows, columns: table.columns as Weekday[] };
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
  // Busiest single occurrence per cell; occurrences without points count as zero activity.
  const busiest = new Float64Array(cells.length).fill(-Infinity);

  for (let occurrence = 0; occurrence < table.cellOfOccurrence.length; occurrence++) {
    const index = table.cellOfOccurrence[occurrence];
    const cell = cells[index];
    cell.sum += occurrenceSum[occurrence];
    cell.count += occurrenceCount[occurrence];
    cell.occurrences++;
    cell.days += table.occurrenceIsNewDay[occurrence];
    busiest[index] = Math.max(busiest[index], occurrenceSum[occurrence]);
    if (Number.isNaN(cell.from)) {
      cell.from = table.occurrenceFrom[occurrence];
    }
    cell.to = table.occurrenceTo[occurrence];
  }

  cells.forEach((cell, index) => {
    cell.value = cell.occurrences === 0 ? null : calculate(cell, busiest[index], calculation);
  });
  return cells;
}

function calculate(cell: ActivityCell, busiest: number, calculation: Calculation): number {
  switch (calculation) {
    case 'total':
      return cell.sum;
    case 'mean':
      return cell.sum / cell.occurrences;
    case 'max':
      return busiest;
    case 'count':
      return cell.count;
  }
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
