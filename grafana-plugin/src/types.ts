// Only import-free type files here: other workspaces compile this file to check dashboards.
import type { Calculation, Layout, Weekday } from './fold/types';
import type { ScaleKind } from './scale/kind';

export type { Calculation, Layout, ScaleKind, Weekday };

/** `auto`: the dashboard's week start, else the Grafana user's, else the viewer's locale's. */
export type FirstDay = 'auto' | Weekday;

/**
 * Panel options, set in module.ts. This is the type dashboards are checked against: provisioning
 * imports it as `import type { ActivityOptions } from 'kibotics-activity-panel'`.
 */
export interface ActivityOptions {
  layout: Layout;
  calculation: Calculation;
  percentOfTotal: boolean;
  /** Column width in minutes for the weekday × hour and day × hour layouts. */
  slotMinutes: 60 | 30 | 15;
  hourFrom: number;
  hourTo: number;
  firstDay: FirstDay;
  /** IANA zone, "utc" or "browser"; empty: the dashboard's time zone. */
  timeZone: string;
  /** Number field to fold; empty: the first number field of each frame. */
  valueField: string;
  /** Label that picks one series; empty: all series are summed. */
  seriesLabel: string;
  seriesLabelValue: string;
  /** How values spread over the colours. */
  colorScale: ScaleKind;
  /** Percentile that tops the colour scale when colorScale is `percentile` (50–100). */
  colorPercentile: number;
  /** Strong colours for low values instead of high ones. */
  reverseColors: boolean;
  /** Cells at or below this value are drawn empty; unset (null) hides none. */
  hideAtOrBelow?: number | null;
  showValues: boolean;
  showLegend: boolean;
  /** Outline the cell of the current weekday and hour (of today in the calendar layouts). */
  highlightNow: boolean;
  /** Colour of cells with no slot in the range (the missing spring hour, days outside the range). */
  emptyColor: string;
}
