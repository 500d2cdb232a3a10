/**
 * Local civil time ↔ UTC for one IANA time zone, with only Intl (no date library).
 * A "local date" is a day number: days since 1970-01-01 in the proleptic Gregorian calendar,
 * which keeps date arithmetic integer and free of DST.
 */

import { zoneClock, type ZoneClock } from '../time/zone.js';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

export interface LocalDate {
  year: number;
  month: number; // 1–12
  day: number; // 1–31
  /** 0 = Monday … 6 = Sunday (ISO order, as schools think of the week). */
  weekday: number;
}

export function dayNumber(year: number, month: number, day: number): number {
  return Math.floor(Date.UTC(year, month - 1, day) / DAY);
}

export function fromDayNumber(n: number): LocalDate {
  const d = new Date(n * DAY);
  return {
    year: d.getUTCFullYear(),
    month: d.getUTCMonth() + 1,
    day: d.getUTCDate(),
    weekday: (d.getUTCDay() + 6) % 7,
  };
}

/** A zone's local days and wall times for the demo's timetables (offsets from the shared ZoneClock). */
export class TimeZone {
  private readonly clock: ZoneClock;

  constructor(readonly name: string) {
    this.clock = zoneClock(name); // throws RangeError on an unknown zone: good, fail fast
  }

  /** Offset of local time from UTC at instant `ms`, in ms (+1 h for CET, +2 h for CEST). */
  offsetAt(ms: number): number {
    return this.clock.offsetAt(ms);
  }

  /**
   * The UTC instant of a local wall-clock time on local day `dayNum`, `minutes` after local midnight.
   * Ambiguous times (the repeated autumn hour) resolve to the first occurrence; times skipped in
   * spring resolve forward by the gap (02:30 → 03:30), as a wall clock would show them.
   */
  toUtc(dayNum: number, minutes: number): number {
    const r = this.clock.instants(dayNum * DAY + minutes * MINUTE);
    return r.kind === 'ambiguous' ? r.first : r.time;
  }

  /** Local day number of instant `ms`. */
  dayOf(ms: number): number {
    return Math.floor((ms + this.offsetAt(ms)) / DAY);
  }

  /** Start (local midnight) of local day `dayNum`, as a UTC instant. */
  startOfDay(dayNum: number): number {
    return this.toUtc(dayNum, 0);
  }

  /** Local weekday (0 = Monday) and hour of instant `ms`. */
  weekdayHour(ms: number): { weekday: number; hour: number } {
    const local = ms + this.offsetAt(ms);
    const dayNum = Math.floor(local / DAY);
    return { weekday: (((dayNum + 3) % 7) + 7) % 7, hour: Math.floor((local - dayNum * DAY) / HOUR) };
  }
}
