/**
 * Rows weekday × columns time of day (the weeks folded together), rows calendar week × columns
 * weekday, or rows calendar day × columns time of day (unfolded, as the archived hourly heatmap).
 */
export type Layout = 'weekdayHour' | 'weekWeekday' | 'dayHour';

/**
 * What a cell shows, over the cell's occurrences (zero for an occurrence without points): a slot's
 * occurrences are its days in the range; a week × weekday cell's are the hours of its day, so there
 * `mean` is per hour and `max` the busiest hour. `count` counts data points.
 */
export type Calculation = 'total' | 'mean' | 'median' | 'min' | 'max' | 'count';

/** Weekday as in Date.getUTCDay(): 0 = Sunday … 6 = Saturday. */
export type Weekday = 0 | 1 | 2 | 3 | 4 | 5 | 6;

export interface TimeRangeMs {
  from: number;
  to: number;
}

/** One time series ready to fold: times in epoch ms, values may hold nulls. */
export interface Series {
  name: string;
  labels: Record<string, string>;
  times: ArrayLike<number>;
  values: ArrayLike<number | null | undefined>;
}

export interface GridShape {
  layout: Layout;
  /** Minutes per column in the weekday × hour and day × hour layouts: 60, 30 or 15. */
  slotMinutes: 60 | 30 | 15;
  /** Hours of the day that are counted: [hourFrom, hourTo), 0 ≤ hourFrom < hourTo ≤ 24. */
  hourFrom: number;
  hourTo: number;
  firstDay: Weekday;
}

export interface FoldOptions extends GridShape {
  calculation: Calculation;
  percentOfTotal: boolean;
}

export interface ActivityCell {
  row: number;
  col: number;
  /** What is drawn: the calculation (or its share of all cells in percent); null = no slot in the range. */
  value: number | null;
  /** Raw sum of the points that fell into the cell. */
  sum: number;
  /** Data points (non-null) that fell into the cell. */
  count: number;
  /** Occurrences of the slot inside the range (hours of the day in week × weekday); a repeated autumn hour counts twice. */
  occurrences: number;
  /** Distinct local days the cell covers: weeks, for a weekday × hour cell. */
  days: number;
  /** UTC bounds [from, to) of the first and last occurrence in the range (NaN without occurrences). */
  from: number;
  to: number;
}

interface GridBase {
  timeZone: string;
  range: TimeRangeMs;
  cells: ActivityCell[];
  /** Extremes of the non-null cell values, NaN when there are none. */
  min: number;
  max: number;
  /** Data points folded into cells; zero means "no data" rather than "no activity". */
  points: number;
}

export interface WeekdayHourGrid extends GridBase {
  layout: 'weekdayHour';
  slotMinutes: number;
  rows: Weekday[];
  /** Minute of the day each column starts at. */
  columns: number[];
}

export interface WeekWeekdayGrid extends GridBase {
  layout: 'weekWeekday';
  /** Local day number (days since 1970-01-01 in the zone) of each week's first day. */
  rows: number[];
  columns: Weekday[];
}

export interface DayHourGrid extends GridBase {
  layout: 'dayHour';
  slotMinutes: number;
  /** Local day number of each row. */
  rows: number[];
  /** Minute of the day each column starts at. */
  columns: number[];
}

export type ActivityGrid = WeekdayHourGrid | WeekWeekdayGrid | DayHourGrid;
