/**
 * Local civil time ↔ UTC for one IANA time zone, with only Intl (no date library).
 * A "local date" is a day number: days since 1970-01-01 in the proleptic Gregorian calendar,
 * which keeps date arithmetic integer and free of DST.
 */

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

export class TimeZone {
  private readonly format: Intl.DateTimeFormat;
  private readonly offsetCache = new Map<number, number>();

  constructor(readonly name: string) {
    this.format = new Intl.DateTimeFormat('en-US', {
      timeZone: name, // throws RangeError on an unknown zone: good, fail fast
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** Offset of local time from UTC at instant `ms`, in ms (+1 h for CET, +2 h for CEST). */
  offsetAt(ms: number): number {
    // Offsets change at most on whole quarter hours: cache per quarter hour.
    const key = Math.floor(ms / (15 * MINUTE));
    const cached = this.offsetCache.get(key);
    if (cached !== undefined) return cached;
    const p = this.parts(key * 15 * MINUTE);
    const local = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
    const offset = local - key * 15 * MINUTE;
    if (this.offsetCache.size > 100_000) this.offsetCache.clear();
    this.offsetCache.set(key, offset);
    return offset;
  }

  private parts(ms: number): { year: number; month: number; day: number; hour: number; minute: number; second: number } {
    const out = { year: 0, month: 0, day: 0, hour: 0, minute: 0, second: 0 };
    for (const part of this.format.formatToParts(new Date(ms))) {
      if (part.type in out) (out as Record<string, number>)[part.type] = Number(part.value);
    }
    return out;
  }

  /**
   * The UTC instant of a local wall-clock time on local day `dayNum`, `minutes` after local midnight.
   * Ambiguous times (the repeated autumn hour) resolve to the first occurrence; times skipped in
   * spring resolve forward by the gap (02:30 → 03:30), as a wall clock would show them.
   */
  toUtc(dayNum: number, minutes: number): number {
    const wall = dayNum * DAY + minutes * MINUTE;
    // Luxon's fix-offset iteration, starting from the offset a day earlier (the pre-transition one).
    const o1 = this.offsetAt(wall - DAY);
    let guess = wall - o1;
    const o2 = this.offsetAt(guess);
    if (o1 === o2) return guess;
    guess -= o2 - o1;
    const o3 = this.offsetAt(guess);
    if (o2 === o3) return guess;
    return wall - Math.min(o2, o3);
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
