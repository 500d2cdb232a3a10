import { getLocale, getLocaleData } from '@grafana/data';

import { DAY, Weekday } from '../fold';

export type LabelWidth = 'long' | 'short' | 'narrow';

interface BootUser {
  language?: string;
  regionalFormat?: string;
}

/**
 * The viewer's locale: the Grafana user's language, else the browser's (es → "lunes"). Read from the
 * boot data Grafana puts on the page, as @grafana/ui's getWeekStart does, rather than through
 * @grafana/runtime's `config`, whose type changes between Grafana releases.
 */
export function userLocale(): string {
  return firstSupported([bootUser()?.language, navigator.language]);
}

/**
 * The viewer's regional locale, for the week start: Grafana's regional format preference, else the
 * browser's (a Spanish browser starts weeks on Monday even when Grafana's language is left at en-US).
 */
export function regionLocale(): string {
  return firstSupported([bootUser()?.regionalFormat, navigator.language, bootUser()?.language]);
}

function bootUser(): BootUser | undefined {
  return (window as { grafanaBootData?: { user?: BootUser } }).grafanaBootData?.user;
}

function firstSupported(candidates: Array<string | undefined>): string {
  for (const candidate of candidates) {
    try {
      if (candidate && Intl.DateTimeFormat.supportedLocalesOf(candidate).length > 0) {
        return candidate;
      }
    } catch {
      // An invalid tag: try the next one.
    }
  }
  return 'en';
}

/**
 * The first day of the week when the panel option says "auto": the dashboard's week start, else the
 * Grafana user's preference (Grafana applies either with @grafana/data's setWeekStart, which
 * re-registers moment's locale as "<language>-weekStart"; @grafana/scenes' SceneTimeRange does it for
 * the dashboard's `weekStart`), else the viewer's locale (es: Monday, en-US: Sunday), else Monday.
 */
export function autoFirstDay(locale: string): Weekday {
  if (getLocale().endsWith('-weekStart')) {
    return (getLocaleData().firstDayOfWeek() % 7) as Weekday;
  }
  try {
    const tagged = new Intl.Locale(locale) as Intl.Locale & {
      getWeekInfo?: () => { firstDay: number };
      weekInfo?: { firstDay: number };
    };
    const firstDay = tagged.getWeekInfo?.().firstDay ?? tagged.weekInfo?.firstDay;
    if (firstDay !== undefined) {
      return (firstDay % 7) as Weekday;
    }
  } catch {
    // No week data for this locale in this browser.
  }
  return 1;
}

// 2024-01-07 was a Sunday: day 0 + weekday gives a date with that weekday, formatted in UTC.
const SUNDAY = Date.UTC(2024, 0, 7);

/**
 * A weekday's name. `narrow` is the shortest prefix of the short names that tells all seven apart
 * ("Mo Tu We Th Fr Sa Su", "lu ma mi ju vi sá do"): the locale's one-letter names repeat (M T W T F S S).
 */
export function weekdayName(weekday: Weekday, locale: string, width: LabelWidth): string {
  if (width === 'narrow') {
    return distinctWeekdayPrefixes(locale)[weekday];
  }
  return formatter(
    `weekday|${locale}|${width}`,
    () => new Intl.DateTimeFormat(locale, { weekday: width, timeZone: 'UTC' })
  ).format(SUNDAY + weekday * DAY);
}

// Building an Intl.DateTimeFormat costs far more than formatting with one, and every cell's
// accessible name formats a weekday, a day and times: build each formatter once.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(key: string, build: () => Intl.DateTimeFormat): Intl.DateTimeFormat {
  let cached = formatters.get(key);
  if (!cached) {
    cached = build();
    formatters.set(key, cached);
  }
  return cached;
}

const prefixCache = new Map<string, string[]>();

function distinctWeekdayPrefixes(locale: string): string[] {
  const cached = prefixCache.get(locale);
  if (cached) {
    return cached;
  }
  const short = Array.from({ length: 7 }, (_, weekday) =>
    weekdayName(weekday as Weekday, locale, 'short').replace(/\.$/, '')
  );
  let length = 1;
  while (length < 4 && new Set(short.map((name) => [...name].slice(0, length).join(''))).size < 7) {
    length++;
  }
  const prefixes = short.map((name) => [...name].slice(0, length).join(''));
  prefixCache.set(locale, prefixes);
  return prefixes;
}

/** "10:00" or "10:00 AM" as the locale writes it. */
export function timeOfDay(minuteOfDay: number, locale: string): string {
  return formatter(
    `time|${locale}`,
    () => new Intl.DateTimeFormat(locale, { hour: 'numeric', minute: '2-digit', timeZone: 'UTC' })
  ).format(minuteOfDay * 60_000);
}

/** A local calendar day (days since 1970-01-01 in the panel's zone) as the locale writes it. */
export function dayLabel(day: number, locale: string, width: LabelWidth | 'full'): string {
  const format: Intl.DateTimeFormatOptions =
    width === 'full'
      ? { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }
      : width === 'narrow'
        ? { day: 'numeric', month: 'numeric' }
        : { day: 'numeric', month: 'short' };
  return formatter(
    `day|${locale}|${width}`,
    () => new Intl.DateTimeFormat(locale, { ...format, timeZone: 'UTC' })
  ).format(day * DAY);
}
