import { DataLink, InterpolateFunction, LinkModel, ScopedVars, textUtil } from '@grafana/data';

import { ActivityCell, ActivityGrid, Weekday } from '../fold';
import { dayLabel, timeOfDay, weekdayName } from './labels';

/** Where a cell sits in the week: a weekday and a time-of-day slot, or a calendar day. */
export type CellPlace =
  | { kind: 'slot'; weekday: Weekday; minuteOfDay: number; minutes: number }
  | { kind: 'day'; weekday: Weekday; day: number };

export function cellPlace(grid: ActivityGrid, cell: ActivityCell): CellPlace {
  if (grid.layout === 'weekdayHour') {
    return {
      kind: 'slot',
      weekday: grid.rows[cell.row],
      minuteOfDay: grid.columns[cell.col],
      minutes: grid.slotMinutes,
    };
  }
  return { kind: 'day', weekday: grid.columns[cell.col], day: grid.rows[cell.row] + cell.col };
}

/** "martes 10:00–11:00" or "martes, 9 de enero de 2024". */
export function cellTitle(place: CellPlace, locale: string): string {
  if (place.kind === 'day') {
    return dayLabel(place.day, locale, 'full');
  }
  const end = place.minuteOfDay + place.minutes;
  return `${weekdayName(place.weekday, locale, 'long')} ${timeOfDay(place.minuteOfDay, locale)}–${timeOfDay(end % 1440, locale)}`;
}

/**
 * Variables a data link can use for the cell under the pointer: ${__cell.from} and ${__cell.to} (epoch ms
 * of the first and last occurrence in the range, for &from=…&to=…), ${__cell.weekday} (ISO, 1 = Monday),
 * ${__cell.hour}, ${__cell.minute}, ${__cell.day} (YYYY-MM-DD), and Grafana's usual ${__value.*}.
 */
export function cellScopedVars(place: CellPlace, cell: ActivityCell, text: string): ScopedVars {
  const when =
    place.kind === 'slot'
      ? { hour: Math.floor(place.minuteOfDay / 60), minute: place.minuteOfDay % 60 }
      : { day: new Date(place.day * 86_400_000).toISOString().slice(0, 10) };
  return {
    __cell: {
      text: 'cell',
      value: { from: cell.from, to: cell.to, weekday: place.weekday === 0 ? 7 : place.weekday, ...when },
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
