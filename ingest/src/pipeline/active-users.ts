import type { Db } from '../store/database.js';
import type { EnrichedEvent } from '../enrich/enrich.js';
import { line, nanoseconds } from '../points/line-protocol.js';
import {
  ACTIVE_RUN_GAP_DAYS,
  ACTIVE_RUN_START,
  ACTIVE_RUN_TAG,
  ACTIVE_USERS,
  GROUP_ACTIVE_USERS,
} from '@kibotics/schema';

const DAY_MS = 86_400_000;
const GAP_MS = ACTIVE_RUN_GAP_DAYS * DAY_MS;
/** Day marks (platform and class) are kept this long: past it, a late event of that day writes its points again, counted once. */
const KEEP_DAYS_MS = 2 * DAY_MS;

/**
 * Marks each user's first event of each UTC day, platform-wide and per class, and writes a point
 * there; a day point with no day point of the user in the gap before it is written again as a run
 * start (README "Schema"; ACTIVE_USERS and GROUP_ACTIVE_USERS in @kibotics/schema). A mark keeps the
 * earliest time seen: an older event of the same day (late, out of order) writes again, so a day's
 * earliest event always has its point. Where the days before are not known for sure (a late event,
 * marks pruned), the day point is written as a run start too: one more is counted once, one missing
 * would lose the user from the ranges starting in that run.
 */
export class ActiveUsers {
  private readonly mark;
  private readonly lastDay;
  private readonly setLastDay;
  private readonly prune;
  private readonly pruneLast;
  private readonly erase;
  private readonly eraseLast;

  constructor(db: Db) {
    // changes = 1 when the mark is new or moved earlier, 0 when an earlier event already made it.
    this.mark = db.prepare(
      `INSERT INTO active_mark (day, user, grp, first) VALUES (?, ?, ?, ?)
       ON CONFLICT (day, user, grp) DO UPDATE SET first = excluded.first WHERE excluded.first < active_mark.first`
    );
    this.lastDay = db.prepare('SELECT last FROM active_last WHERE user = ?').pluck();
    this.setLastDay = db.prepare(
      'INSERT INTO active_last (user, last) VALUES (?, ?) ON CONFLICT (user) DO UPDATE SET last = max(last, excluded.last)'
    );
    this.prune = db.prepare('DELETE FROM active_mark WHERE day < ?');
    this.pruneLast = db.prepare('DELETE FROM active_last WHERE last < ?');
    this.erase = db.prepare('DELETE FROM active_mark WHERE user = ?');
    this.eraseLast = db.prepare('DELETE FROM active_last WHERE user = ?');
  }

  private marked(day: number, user: string, time: number, group = ''): boolean {
    return this.mark.run(day, user, group, time).changes > 0;
  }

  /**
   * The points to write for this event: none when an earlier event of the user already marked its
   * day (and class), the most common case, found with one statement. At the event's own time and
   * offset (`nanos`, unique in its millisecond): two users whose first events share a millisecond
   * stay two points.
   */
  linesFor(event: EnrichedEvent, nanos: number): string[] {
    const user = event.user;
    if (user === undefined || event.bot) return [];
    const time = nanoseconds(event.time, nanos);
    const day = Math.floor(event.time / DAY_MS) * DAY_MS;
    const lines: string[] = [];
    if (event.group !== undefined && event.group !== '') {
      // The class's day mark is never earlier than the platform's: unmoved, nothing else moves.
      if (!this.marked(day, user, event.time, event.group)) return lines;
      lines.push(line(GROUP_ACTIVE_USERS, { group: event.group }, { strings: { user } }, time));
    }
    if (!this.marked(day, user, event.time)) return lines;
    lines.push(line(ACTIVE_USERS, {}, { strings: { user, group: event.group } }, time));
    if (startsRun(this.lastDay.get(user) as number | undefined, event.time)) lines.push(runStartLine(user, time));
    this.setLastDay.run(user, event.time);
    return lines;
  }

  /** Erases a user's marks (the right to erasure); returns how many. */
  forgetUser(user: string): number {
    return this.erase.run(user).changes + this.eraseLast.run(user).changes;
  }

  /** Forgets the marks that only late events could still need (`now`: the gateway's clock); returns how many. */
  forgetBefore(now: number): number {
    return this.prune.run(now - KEEP_DAYS_MS).changes + this.pruneLast.run(now - KEEP_DAYS_MS - GAP_MS).changes;
  }
}

/**
 * Whether a day point at `time` starts a run, given the user's latest day point before it as far as
 * known (`last`): only a point after that one knows the days before it; any other is one, to be sure.
 */
export function startsRun(last: number | undefined, time: number): boolean {
  return last === undefined || time <= last || time - last >= GAP_MS;
}

/** The run-start point of a user's day point (at its time in ns). */
export function runStartLine(user: string, timeNs: string): string {
  return line(ACTIVE_USERS, { [ACTIVE_RUN_TAG]: ACTIVE_RUN_START }, { strings: { user } }, timeNs);
}
