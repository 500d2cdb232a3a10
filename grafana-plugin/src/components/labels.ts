import { config } from '@grafana/runtime';

import { DAY, Weekday } from '../fold';

export type LabelWidth = 'long' | 'short' | 'narrow';

/** The Grafana user's language, else the browser's: weekday names follow it (es → "lunes"). */
export function userLocale(): string {
  const candidates = [config.bootData?.user?.language, navigator.language, 'en'];
  for (const candidate of candidates) {
    if (candidate && Intl.DateTimeFormat.supportedLocalesOf(candidate).length > 0) {
      return candidate;
    }
  }
  return 'en';
}

// 2024-01-07 was a Sunday: day 0 + weekday gives a date with that weekday, formatted in UTC.
const SUNDAY = Date.UTC(2024, 0, 7);

export function weekdayName(weekday: Weekday, locale: string, width: LabelWidth): string {
  return new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' }).format(SUNDAY + weekday * DAY);
}

/** "10:00" or "10:00 AM" as the locale writes it. */
export function timeOfDay(minuteOfDay: number, locale: string): string {
  return new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' }).format(
    minuteOfDay * 60_000
  );
}

/** A local calendar day (days since 1970-01-01 in the panel's zone) as the locale writes it. */
export function dayLabel(day: number, locale: string, width: LabelWidth | 'full'): string {
  const format: Intl.DateTimeFormatOptions =
    width === 'full'
      ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
      : width === 'narrow'
        ? { day: 'numeric', month: 'numeric' }
        : { day: 'numeric', month: 'short' };
  return new Intl.DateTimeFormat(locale, { ...format, timeZone: 'UTC' }).format(day * DAY);
}
