/**
 * One IANA time zone's offsets, from Intl alone (no date library), cached per UTC hour and per local
 * hour: the importers read naive local timestamps with it, the demo lays timetables out with it.
 * Times are epoch ms; a "wall" time is the local wall-clock fields read as if they were UTC.
 */

import { DAY, HOUR, checkZone, wallMs, zoneOffsetAt } from '@kibotics/schema/zone';

export { wallMs };

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
  private readonly utcHours = new Map<number, number>();
  private readonly localHours = new Map<number, HourRule>();

  constructor(readonly zone: string) {
    // Throws RangeError for an unknown zone: a bad --timezone must fail before any line is read.
    checkZone(zone);
  }

  /** The zone's offset from UTC (ms, east positive) at an instant. */
  offsetAt(utc: number): number {
    const key = Math.floor(utc / HOUR);
    let off = this.utcHours.get(key);
    if (off === undefined) {
      const start = key * HOUR;
      const a = zoneOffsetAt(this.zone, start);
      const b = zoneOffsetAt(this.zone, start + HOUR - 1000);
      off = a === b ? a : NaN; // NaN: a change inside this hour
      if (this.utcHours.size >= CACHE_LIMIT) this.utcHours.clear();
      this.utcHours.set(key, off);
    }
    return Number.isNaN(off) ? zoneOffsetAt(this.zone, utc) : off;
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
