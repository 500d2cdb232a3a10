/**
 * Dates as the prototypes' exports hold them:
 * - MongoDB prototype: `"date": "dd/mm/YYYY HH:MM:SS"` (strftime of the server's local time), or,
 *   from mongoexport of a real date, Extended JSON `{"$date": "2019-10-15T08:00:00Z"}`,
 *   `{"$date": {"$numberLong": "1571126400000"}}` or `{"$date": 1571126400000}`;
 * - Elasticsearch prototype: Python's `datetime.now()` serialised naive (`2020-01-31T10:15:00.123456`,
 *   local time), ISO with an offset, or epoch milliseconds.
 * Naive values are local time of the server: `naive` turns their wall ms into an instant.
 */
import { parseDmyTime, parseIsoDateTime, type ResolvedTime } from './localtime.js';

export type JsonTime = { time: number; note?: ResolvedTime['note'] } | { fail: 'no_time' | 'bad_date' };

/** Epoch milliseconds written as a string (16 characters at most, sign included). */
function digitsOnly(s: string): boolean {
  return s.length > 0 && s.length <= 16 && /^-?\d*$/.test(s);
}

export function jsonTime(value: unknown, naive: (wall: number) => ResolvedTime): JsonTime {
  if (value === undefined || value === null || value === '') return { fail: 'no_time' };
  if (typeof value === 'number') return Number.isFinite(value) ? { time: Math.round(value) } : { fail: 'bad_date' };
  if (typeof value === 'string') {
    const s = value.trim();
    const dmy = parseDmyTime(s);
    if (dmy !== undefined) return naive(dmy);
    if (digitsOnly(s)) return { time: Number(s) };
    const iso = parseIsoDateTime(s);
    if (iso === undefined) return { fail: 'bad_date' };
    return iso.offset === undefined ? naive(iso.wall) : { time: iso.wall - iso.offset };
  }
  if (typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if ('$date' in o) {
      const d = o.$date;
      if (typeof d === 'object' && d !== null && typeof (d as Record<string, unknown>).$numberLong === 'string') {
        const n = (d as Record<string, string>).$numberLong;
        return digitsOnly(n) ? { time: Number(n) } : { fail: 'bad_date' };
      }
      return jsonTime(d, naive);
    }
  }
  return { fail: 'bad_date' };
}

/** A JSON scalar as text (ids are sometimes numbers); anything else is absent. */
export function text(value: unknown): string | undefined {
  if (typeof value === 'string') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return undefined;
}

/** JSON.parse of one line into an object, or the skip reason. */
export function parseJsonObject(line: string): Record<string, unknown> | 'bad_json' | 'not_an_object' {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return 'bad_json';
  }
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'not_an_object';
  return v as Record<string, unknown>;
}
