import { Calculation, Layout, Weekday } from './fold';

/** Panel options, set in module.ts. */
export interface ActivityOptions {
  layout: Layout;
  calculation: Calculation;
  percentOfTotal: boolean;
  /** Column width in minutes for the weekday × hour layout. */
  slotMinutes: 60 | 30 | 15;
  hourFrom: number;
  hourTo: number;
  firstDay: Weekday;
  /** IANA zone, "utc" or "browser"; empty: the dashboard's time zone. */
  timeZone: string;
  /** Number field to fold; empty: the first number field of each frame. */
  valueField: string;
  /** Label that picks one series; empty: all series are summed. */
  seriesLabel: string;
  seriesLabelValue: string;
  showValues: boolean;
  showLegend: boolean;
  /** Colour of cells with no slot in the range (the missing spring hour, days outside the range). */
  emptyColor: string;
}
