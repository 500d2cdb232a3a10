import { DAY, HOUR, MINUTE } from '@kibotics/schema/zone';
import { offsetReader, offsetTimeline } from './zone';
import { GridShape, TimeRangeMs, Weekday } from './types';

/**
 * Every zone in use today is offset from UTC by a multiple of 15 minutes, so each UTC quarter hour
 * lies inside one local quarter hour. Walking the range quarter by quarter once gives, for each
 * quarter, the cell and the slot occurrence it belongs to; folding a point is then an array lookup.
 */
export const QUARTER = 15 * MINUTE;

const NO_CELL = -1;

export interface SlotTable {
  /** UTC start of quarter 0: the range's start rounded down to a quarter hour. */
  base: number;
  rows: number[];
  columns: number[];
  /** Occurrence index of each quarter, NO_CELL when outside the hours counted. */
  occurrenceOfQuarter: Int32Array;
  /** Cell (row-major) of each occurrence. */
  cellOfOccurrence: Int32Array;
  /** UTC bounds of each occurrence. */
  occurrenceFrom: Float64Array;
  occurrenceTo: Float64Array;
  /** 1 when an occurrence is its cell's first on that local day (0 for a repeated autumn hour). */
  occurrenceIsNewDay: Uint8Array;
}

/** Local calendar day number → weekday (1970-01-01 was a Thursday). */
export function weekdayOfDay(day: number): Weekday {
  return ((((day + 4) % 7) + 7) % 7) as Weekday;
}

/** Position of a weekday in a week that starts on firstDay. */
function weekdayPosition(weekday: number, firstDay: Weekday): number {
  return (weekday - firstDay + 7) % 7;
}

/** Local day number of the first day of the week that holds `day`. */
function weekStart(day: number, firstDay: Weekday): number {
  return day - weekdayPosition(weekdayOfDay(day), firstDay);
}

export function buildSlotTable(shape: GridShape, range: TimeRangeMs, zone: string): SlotTable {
  const base = Math.floor(range.from / QUARTER) * QUARTER;
  const quarters = Math.max(0, Math.ceil((range.to - base) / QUARTER));
  const offsetAt = offsetReader(offsetTimeline(zone, base, base + quarters * QUARTER));
  const minuteFrom = shape.hourFrom * 60;
  const minuteTo = shape.hourTo * 60;
  const subDaySlots = shape.layout !== 'weekWeekday';

  const firstDay = Math.floor((base + offsetAt(base)) / DAY);
  const firstWeek = weekStart(firstDay, shape.firstDay);
  const lastInstant = base + Math.max(0, quarters - 1) * QUARTER;
  const lastDay = Math.floor((lastInstant + offsetAt(lastInstant)) / DAY);
  const lastWeek = weekStart(lastDay, shape.firstDay);

  let rows: number[];
  let columns: number[] = [];
  if (subDaySlots) {
    for (let minute = minuteFrom; minute < minuteTo; minute += shape.slotMinutes) {
      columns.push(minute);
    }
    rows =
      shape.layout === 'dayHour'
        ? Array.from({ length: quarters === 0 ? 0 : lastDay - firstDay + 1 }, (_, i) => firstDay + i)
        : Array.from({ length: 7 }, (_, i) => (shape.firstDay + i) % 7);
  } else {
    rows = [];
    for (let week = firstWeek; week <= lastWeek; week += 7) {
      rows.push(week);
    }
    columns = Array.from({ length: 7 }, (_, i) => (shape.firstDay + i) % 7);
  }

  const cellOf = (localDay: number, minuteOfDay: number): number => {
    if (minuteOfDay < minuteFrom || minuteOfDay >= minuteTo) {
      return NO_CELL;
    }
    const column = Math.floor((minuteOfDay - minuteFrom) / shape.slotMinutes);
    if (shape.layout === 'dayHour') {
      return (localDay - firstDay) * columns.length + column;
    }
    const position = weekdayPosition(weekdayOfDay(localDay), shape.firstDay);
    if (subDaySlots) {
      return position * columns.length + column;
    }
    return (((localDay - firstWeek) / 7) | 0) * 7 + position;
  };

  const occurrenceOfQuarter = new Int32Array(quarters).fill(NO_CELL);
  const cells: number[] = [];
  const froms: number[] = [];
  const newDays: number[] = [];
  const lastDayOfCell = new Float64Array(rows.length * columns.length).fill(NaN);
  let previousCell = NO_CELL;
  let previousLocal = -Infinity;
  let previousHour = NaN;

  for (let q = 0; q < quarters; q++) {
    const t = base + q * QUARTER;
    const local = t + offsetAt(t);
    const localDay = Math.floor(local / DAY);
    const cell = cellOf(localDay, Math.floor((local - localDay * DAY) / MINUTE));
    // Local time going back (autumn) repeats a slot: each pass is an occurrence of its own.
    const repeated = local <= previousLocal;
    // A day's occurrences are its local hours, so that its mean, median, min and max are per hour.
    const hour = Math.floor(local / HOUR);
    const newHour = !subDaySlots && hour !== previousHour;
    if (cell !== NO_CELL) {
      if (cell !== previousCell || repeated || newHour) {
        cells.push(cell);
        froms.push(t);
        newDays.push(lastDayOfCell[cell] === localDay ? 0 : 1);
        lastDayOfCell[cell] = localDay;
      }
      occurrenceOfQuarter[q] = cells.length - 1;
    }
    previousCell = cell;
    previousLocal = local;
    previousHour = hour;
  }

  const occurrenceTo = new Float64Array(cells.length);
  for (let q = 0; q < quarters; q++) {
    const occurrence = occurrenceOfQuarter[q];
    if (occurrence !== NO_CELL) {
      occurrenceTo[occurrence] = base + (q + 1) * QUARTER;
    }
  }

  return {
    base,
    rows,
    columns,
    occurrenceOfQuarter,
    cellOfOccurrence: Int32Array.from(cells),
    occurrenceFrom: Float64Array.from(froms),
    occurrenceTo,
    occurrenceIsNewDay: Uint8Array.from(newDays),
  };
}
