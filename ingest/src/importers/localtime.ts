/**
 * Naive local timestamps (what Kibotics' Django server wrote: Spanish wall-clock time, no offset)
 * → epoch milliseconds, in any IANA time zone, with no dependency.
 *
 * Offsets come from Intl.DateTimeFormat, which is slow (µs per call), so they are cached per UTC hour
 * and per local hour: a log line then costs a Map look-up and some arithmetic.
 *
 * DST decisions:
 * - a wall time inside the spring gap (Europe/Madrid 2020-03-29 02:00–02:59) does not exist: it is
 *   read with the offset in force before the change, i.e. shifted forward by the gap (02:30 → 03:30
 *   CEST), as Temporal's "compatible" disambiguation and most libraries do; the caller is told.
 * - a wall time inside the repeated autumn hour (2019-10-27 02:00–02:59) has two instants: the
 *   stateful LocalTimeResolver picks one from the order of lines in the file (see there).
 */

const MINUTE = 60_000;
const HOUR = 3_600_000;
const DAY = 86_400_000;

/** Wall-clock fields read as if they were UTC: the "wall ms" every function here speaks. */
export function wallMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, ms = 0): number {
  return Date.UTC(year, month - 1, day, hour, minute, second, ms);
}

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function daysInMonth(year: number, month: number): number {
  return month === 2 && isLeap(year) ? 29 : MONTH_DAYS[month - 1];
}

/** Two ASCII digits at i, or -1. Char codes, not a regex: this runs once per log line. */
function two(s: string, i: number): number {
  const a = s.charCodeAt(i) - 48;
  const b = s.charCodeAt(i + 1) - 48;
  if (a < 0 || a > 9 || b < 0 || b > 9) return -1;
  return a * 10 + b;
}

function four(s: string, i: number): number {
  const hi = two(s, i);
  const lo = two(s, i + 2);
  return hi < 0 || lo < 0 ? -1 : hi * 100 + lo;
}

/** Checks the calendar fields and returns wall ms, or undefined for an impossible date. */
export function checkedWallMs(y: number, mo: number, d: number, h: number, mi: number, s: number, ms = 0): number | undefined {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return undefined;
  return wallMs(y, mo, d, h, mi, s, ms);
}

/** `dd/mm/YYYY HH:MM:SS` (the Kibotics log date) → wall ms; undefined when it is not exactly that. */
export function parseDmyTime(s: string): number | undefined {
  if (s.length !== 19) return undefined;
  if (s.charCodeAt(2) !== 47 || s.charCodeAt(5) !== 47 || s.charCodeAt(10) !== 32) return undefined; // '/', '/', ' '
  if (s.charCodeAt(13) !== 58 || s.charCodeAt(16) !== 58) return undefined; // ':'
  const d = two(s, 0);
  const mo = two(s, 3);
  const y = four(s, 6);
  const h = two(s, 11);
  const mi = two(s, 14);
  const sec = two(s, 17);
  if (d < 0 || mo < 0 || y < 0 || h < 0 || mi < 0 || sec < 0) return undefined;
  return checkedWallMs(y, mo, d, h, mi, sec);
}

/** An ISO 8601 / RFC 3339 date-time as written by Elasticsearch, mongoexport or Python's isoformat(). */
export interface IsoDateTime {
  wall: number;
  /** The offset written in the string (ms east of UTC), or undefined for a naive local time. */
  offset?: number;
}

/**
 * `YYYY-MM-DD`, optionally `[T ]HH:MM[:SS[.fraction]]`, optionally `Z`, `±HH:MM`, `±HHMM` or `±HH`.
 * Hand-written so that Python's naive `2020-01-31T10:15:00.123456` is read as local time (Date.parse
 * would take it as the machine's zone) and `+0100` (no colon) is understood.
 */
export function parseIsoDateTime(s: string): IsoDateTime | undefined {
  const n = s.length;
  if (n < 10 || s.charCodeAt(4) !== 45 || s.charCodeAt(7) !== 45) return undefined; // '-'
  const y = four(s, 0);
  const mo = two(s, 5);
  const d = two(s, 8);
  if (y < 0 || mo < 0 || d < 0) return undefined;
  let h = 0;
  let mi = 0;
  let sec = 0;
  let ms = 0;
  let i = 10;
  if (i < n) {
    const sep = s.charCodeAt(i);
    if (sep !== 84 && sep !== 116 && sep !== 32) return undefined; // 'T', 't', ' '
    if (i + 6 > n || s.charCodeAt(i + 3) !== 58) return undefined;
    h = two(s, i + 1);
    mi = two(s, i + 4);
    if (h < 0 || mi < 0) return undefined;
    i += 6;
    if (i < n && s.charCodeAt(i) === 58) {
      sec = two(s, i + 1);
      if (sec < 0) return undefined;
      i += 3;
      if (i < n && (s.charCodeAt(i) === 46 || s.charCodeAt(i) === 44)) {
        // fraction: keep milliseconds, ignore further digits (Python writes microseconds)
        i++;
        let digits = 0;
        while (i < n) {
          const c = s.charCodeAt(i) - 48;
          if (c < 0 || c > 9) break;
          if (digits < 3) ms = ms * 10 + c;
          digits++;
          i++;
        }
        if (digits === 0) return undefined;
        for (let k = digits; k < 3; k++) ms *= 10;
      }
    }
  }
  const wall = checkedWallMs(y, mo, d, h, mi, sec, ms);
  if (wall === undefined) return undefined;
  if (i === n) return { wall };
  const z = s.charCodeAt(i);
  if ((z === 90 || z === 122) && i + 1 === n) return { wall, offset: 0 }; // 'Z', 'z'
  if (z !== 43 && z !== 45) return undefined; // '+', '-'
  const oh = two(s, i + 1);
  if (oh < 0 || oh > 23) return undefined;
  let om = 0;
  let j = i + 3;
  if (j < n) {
    if (s.charCodeAt(j) === 58) j++;
    om = two(s, j);
    if (om < 0 || om > 59) return undefined;
    j += 2;
  }
  if (j !== n) return undefined;
  const offset = (oh * HOUR + om * MINUTE) * (z === 45 ? -1 : 1);
  return { wall, offset };
}

/** How a wall time maps to instants in a zone. */
export type LocalInstants =
  | { kind: 'unique'; time: number }
  /** The wall time does not exist; `time` is it read with the offset before the change (shifted forward). */
  | { kind: 'gap'; time: number }
  /** The wall time happened twice; first < second. */
  | { kind: 'ambiguous'; first: number; second: number };

// Per local hour: how wall times in it map to instants (offsets in ms), or MIXED when a transition
// falls inside the hour itself (zones whose changes are not on the hour): then compute per call.
const UNIQUE = 0;
const GAP = 1;
const AMBIGUOUS = 2;
const MIXED = 3;
interface HourRule {
  kind: number;
  a: number;
  b: number;
}

const CACHE_LIMIT = 200_000; // ~23 years of hours per map; cleared when full, never unbounded

/** Offsets of one IANA zone, cached. Get one with zoneClock(). */
export class ZoneClock {
  private readonly fmt: Intl.DateTimeFormat;
  private readonly utcHours = new Map<number, number>();
  private readonly localHours = new Map<number, HourRule>();

  constructor(readonly zone: string) {
    // Throws RangeError for an unknown zone: a bad --timezone must fail before any line is read.
    this.fmt = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
  }

  /** The zone's offset from UTC (ms, east positive) at an instant. */
  offsetAt(utc: number): number {
    const key = Math.floor(utc / HOUR);
    let off = this.utcHours.get(key);
    if (off === undefined) {
      const start = key * HOUR;
      const a = this.exactOffset(start);
      const b = this.exactOffset(start + HOUR - 1000);
      off = a === b ? a : NaN; // NaN: a change inside this hour
      if (this.utcHours.size >= CACHE_LIMIT) this.utcHours.clear();
      this.utcHours.set(key, off);
    }
    return Number.isNaN(off) ? this.exactOffset(utc) : off;
  }

  private exactOffset(utc: number): number {
    const t = utc - (((utc % 1000) + 1000) % 1000); // whole seconds: the formatter has no milliseconds
    let y = 0;
    let mo = 0;
    let d = 0;
    let h = 0;
    let mi = 0;
    let s = 0;
    for (const p of this.fmt.formatToParts(t)) {
      switch (p.type) {
        case 'year':
          y = Number(p.value);
          break;
        case 'month':
          mo = Number(p.value);
          break;
        case 'day':
          d = Number(p.value);
          break;
        case 'hour':
          h = Number(p.value);
          break;
        case 'minute':
          mi = Number(p.value);
          break;
        case 'second':
          s = Number(p.value);
          break;
      }
    }
    return wallMs(y, mo, d, h, mi, s) - t;
  }

  /** The instants at which the wall clock of this zone showed `wall`. */
  instants(wall: number): LocalInstants {
    const key = Math.floor(wall / HOUR);
    let rule = this.localHours.get(key);
    if (rule === undefined) {
      const start = key * HOUR;
      const r1 = this.classify(start);
      const r2 = this.classify(start + HOUR - 1000);
      rule = r1.kind === r2.kind && r1.a === r2.a && r1.b === r2.b ? r1 : { kind: MIXED, a: 0, b: 0 };
      if (this.localHours.size >= CACHE_LIMIT) this.localHours.clear();
      this.localHours.set(key, rule);
    }
    if (rule.kind === MIXED) rule = this.classify(wall);
    if (rule.kind === UNIQUE) return { kind: 'unique', time: wall - rule.a };
    if (rule.kind === GAP) return { kind: 'gap', time: wall - rule.a };
    return { kind: 'ambiguous', first: wall - rule.a, second: wall - rule.b };
  }

  // Offsets a day either side bracket any single change; each is a candidate if it reproduces itself.
  private classify(wall: number): HourRule {
    const before = this.offsetAt(wall - DAY);
    const after = this.offsetAt(wall + DAY);
    const okBefore = this.offsetAt(wall - before) === before;
    if (before === after) {
      if (okBefore) return { kind: UNIQUE, a: before, b: before };
      // Two changes within two days (never seen in practice): ask the zone directly.
      const o = this.offsetAt(wall - this.offsetAt(wall));
      return { kind: UNIQUE, a: o, b: o };
    }
    const okAfter = this.offsetAt(wall - after) === after;
    if (okBefore && okAfter) {
      const [a, b] = before > after ? [before, after] : [after, before]; // larger offset = earlier instant
      return { kind: AMBIGUOUS, a, b };
    }
    if (okBefore) return { kind: UNIQUE, a: before, b: before };
    if (okAfter) return { kind: UNIQUE, a: after, b: after };
    return { kind: GAP, a: before, b: before };
  }
}

const clocks = new Map<string, ZoneClock>();

/** One cached ZoneClock per zone name. Throws RangeError for a zone Intl does not know. */
export function zoneClock(zone: string): ZoneClock {
  let c = clocks.get(zone);
  if (c === undefined) {
    c = new ZoneClock(zone);
    clocks.set(zone, c);
  }
  return c;
}

/** What the resolver had to decide, so the import summary can show it. */
export type TimeNote = 'dst_gap_shifted' | 'dst_repeat_first' | 'dst_repeat_second';

export interface ResolvedTime {
  time: number;
  note?: TimeNote;
}

/**
 * Turns the wall times of ONE file, in file order, into instants.
 *
 * A log file is written in time order, so the repeated autumn hour is resolved from the previous
 * line: take the first occurrence unless that would put this line more than `slackMs` before the
 * previous one, in which case the clock has been turned back and the second occurrence is meant.
 * (The slack tolerates the few seconds of disorder concurrent workers cause; it must stay well
 * under the hour of ambiguity, so a file running 02:59 → 02:00 → 02:30 comes out monotonic.)
 * The result depends only on the file's content, so importing it twice gives the same times.
 */
export class LocalTimeResolver {
  private prev: number | undefined;

  constructor(
    readonly clock: ZoneClock,
    readonly slackMs = 10 * MINUTE,
  ) {}

  /** The time of the last line resolved (for lines that carry none, like Kibotics' error lines). */
  get last(): number | undefined {
    return this.prev;
  }

  resolve(wall: number): ResolvedTime {
    const r = this.clock.instants(wall);
    let out: ResolvedTime;
    if (r.kind === 'unique') out = { time: r.time };
    else if (r.kind === 'gap') out = { time: r.time, note: 'dst_gap_shifted' };
    else if (this.prev !== undefined && r.first < this.prev - this.slackMs) out = { time: r.second, note: 'dst_repeat_second' };
    else out = { time: r.first, note: 'dst_repeat_first' };
    this.prev = out.time;
    return out;
  }
}

/**
 * Stateless choice for sources whose lines are not in time order (Elasticsearch dumps): the first
 * occurrence, or the first one not before `notBefore` (an end is never before its start).
 */
export function resolveUnordered(clock: ZoneClock, wall: number, notBefore?: number): ResolvedTime {
  const r = clock.instants(wall);
  if (r.kind === 'unique') return { time: r.time };
  if (r.kind === 'gap') return { time: r.time, note: 'dst_gap_shifted' };
  if (notBefore !== undefined && r.first < notBefore && r.second >= notBefore) return { time: r.second, note: 'dst_repeat_second' };
  return { time: r.first, note: 'dst_repeat_first' };
}
