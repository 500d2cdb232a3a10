import { DataLink, InterpolateFunction, LinkModel, ScopedVars, textUtil } from '@grafana/data';

import { ActivityCell, ActivityGrid, Calculation, Layout, Weekday, weekdayOfDay } from '../fold';
import { dayLabel, timeOfDay, weekdayName } from './labels';

/** Where a cell sits: a weekday's time-of-day slot (of one calendar day when unfolded), or a calendar day. */
export type CellPlace =
  | { kind: 'slot'; weekday: Weekday; minuteOfDay: number; minutes: number; day?: number }
  | { kind: 'day'; weekday: Weekday; day: number };

export function cellPlace(grid: ActivityGrid, cell: ActivityCell): CellPlace {
  switch (grid.layout) {
    case 'weekdayHour':
      return {
        kind: 'slot',
        weekday: grid.rows[cell.row],
        minuteOfDay: grid.columns[cell.col],
        minutes: grid.slotMinutes,
      };
    case 'dayHour': {
      const day = grid.rows[cell.row];
      return {
        kind: 'slot',
        weekday: weekdayOfDay(day),
        minuteOfDay: grid.columns[cell.col],
        minutes: grid.slotMinutes,
        day,
      };
    }
    case 'weekWeekday':
      return { kind: 'day', weekday: grid.columns[cell.col], day: grid.rows[cell.row] + cell.col };
  }
}

/** "martes 10:00–11:00", "martes, 9 de enero de 2024" or "martes, 9 de enero de 2024 10:00–11:00". */
export function cellTitle(place: CellPlace, locale: string): string {
  if (place.kind === 'day') {
    return dayLabel(place.day, locale, 'full');
  }
  const end = place.minuteOfDay + place.minutes;
  const when =
    place.day === undefined ? weekdayName(place.weekday, locale, 'long') : dayLabel(place.day, locale, 'full');
  return `${when} ${timeOfDay(place.minuteOfDay, locale)}–${timeOfDay(end % 1440, locale)}`;
}

/** What a cell of this layout shows under a calculation, for the legend and the tooltip. */
export function calculationName(calculation: Calculation, layout: Layout): string {
  if (layout === 'dayHour') {
    return calculation === 'count' ? 'data points' : 'total';
  }
  const per = layout === 'weekdayHour' ? 'week' : 'hour';
  const names: Record<Calculation, string> = {
    total: layout === 'weekdayHour' ? 'total' : 'total per day',
    mean: `mean per ${per}`,
    median: `median ${per}`,
    min: `quietest ${per}`,
    max: `busiest ${per}`,
    count: 'data points',
  };
  return names[calculation];
}

/** The calculation actually applied: in day × hour every cell is one slot, so only total and count differ. */
export function effectiveCalculation(calculation: Calculation, layout: Layout): Calculation {
  return layout === 'dayHour' && calculation !== 'count' ? 'total' : calculation;
}

/**
 * A cell's accessible name: "martes 13:00–14:00: 478 starts, mean of 17 weeks".
 * `noun` names what is counted when the value text carries no unit of its own.
 */
export function cellDescription(
  place: CellPlace,
  cell: ActivityCell,
  valueText: string,
  calculation: Calculation,
  layout: Layout,
  locale: string,
  noun: string
): string {
  const title = cellTitle(place, locale);
  if (cell.occurrences === 0) {
    return `${title}: not in the time range`;
  }
  const value = noun ? `${valueText} ${noun}` : valueText;
  if (layout === 'dayHour' || calculation === 'count') {
    return `${title}: ${value}${calculation === 'count' ? ' data points' : ''}`;
  }
  const word: Record<Calculation, string> = {
    total: 'total',
    mean: 'mean',
    median: 'median',
    min: 'lowest',
    max: 'highest',
    count: 'count',
  };
  const over =
    layout === 'weekdayHour'
      ? `${cell.days} ${cell.days === 1 ? 'week' : 'weeks'}`
      : `${cell.occurrences} ${cell.occurrences === 1 ? 'hour' : 'hours'}`;
  return `${title}: ${value}, ${word[calculation]} of ${over}`;
}

/**
 * Variables a data link can use for the cell under the pointer: ${__cell.from} and ${__cell.to} (epoch ms
 * of the first and last occurrence in the range, for &from=…&to=…), ${__cell.weekday} (ISO, 1 = Monday),
 * ${__cell.hour}, ${__cell.minute}, ${__cell.day} (YYYY-MM-DD), and Grafana's usual ${__value.*}.
 */
export function cellScopedVars(place: CellPlace, cell: ActivityCell, text: string): ScopedVars {
  const time =
    place.kind === 'slot' ? { hour: Math.floor(place.minuteOfDay / 60), minute: place.minuteOfDay % 60 } : {};
  const day = place.day === undefined ? {} : { day: new Date(place.day * 86_400_000).toISOString().slice(0, 10) };
  return {
    __cell: {
      text: 'cell',
      value: { from: cell.from, to: cell.to, weekday: place.weekday === 0 ? 7 : place.weekday, ...time, ...day },
    },
    __value: { text: 'value', value: { raw: cell.value, numeric: cell.value, text } },
  };
}

/** Field config data links → links for one cell, interpolated the way Grafana interpolates panel links. */
export function cellLinks(
  links: DataLink[],
  scopedVars: ScopedVars,
  replaceVariables: InterpolateFunction
): LinkModel[] {
  return links.map((link) => ({
    href: textUtil.sanitizeUrl(replaceVariables(link.url, scopedVars)),
    title: replaceVariables(link.title || link.url, scopedVars),
    target: link.targetBlank ? '_blank' : '_self',
    origin: link,
  }));
}
