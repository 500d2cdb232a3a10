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

import { type ZoneClock } from '../time/zone.js';

export { wallMs, zoneClock, ZoneClock, type LocalInstants } from '../time/zone.js';
export { checkedWallMs, daysInMonth, parseDmyTime, parseIsoDateTime, type IsoDateTime } from '../time/dates.js';

const MINUTE = 60_000;

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
    readonly slackMs = 10 * MINUTE
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
    else if (this.prev !== undefined && r.first < this.prev - this.slackMs)
      out = { time: r.second, note: 'dst_repeat_second' };
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
  if (notBefore !== undefined && r.first < notBefore && r.second >= notBefore)
    return { time: r.second, note: 'dst_repeat_second' };
  return { time: r.first, note: 'dst_repeat_first' };
}
