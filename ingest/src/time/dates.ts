/**
 * The one strict reader of written dates, shared by the HTTP API and the importers: calendar fields
 * are checked (2024-02-30, 24:00:00, 2026-02-29 are refused), never rolled over as Date.parse does.
 * Char codes, not regexes: the importers call it once per log line.
 */
import { wallMs } from './zone.js';

const MINUTE = 60_000;
const HOUR = 3_600_000;

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

// The last day converted: a log's lines share their day, and Date.UTC was a tenth of a line's cost.
let lastDayKey = -1;
let lastDayMs = 0;

/** Checks the calendar fields and returns wall ms, or undefined for an impossible date. */
export function checkedWallMs(
  y: number,
  mo: number,
  d: number,
  h: number,
  mi: number,
  s: number,
  ms = 0
): number | undefined {
  if (y < 1 || mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo)) return undefined;
  if (h < 0 || h > 23 || mi < 0 || mi > 59 || s < 0 || s > 59) return undefined;
  const dayKey = (y * 16 + mo) * 32 + d;
  if (dayKey !== lastDayKey) {
    lastDayMs = wallMs(y, mo, d);
    lastDayKey = dayKey;
  }
  return lastDayMs + h * HOUR + mi * MINUTE + s * 1000 + ms;
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
