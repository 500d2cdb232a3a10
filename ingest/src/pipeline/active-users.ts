import type { Db } from '../store/database.js';
import type { EnrichedEvent } from '../enrich/enrich.js';
import { line, nanoseconds } from '../points/line-protocol.js';
import { ACTIVE_USERS } from '../points/schema.js';

const DAY_MS = 86_400_000;

/**
 * Marks each user active once per UTC day: the first event of a user on a day yields one
 * `active_days` point, so "active users" over any range counts users over at most users × days
 * points instead of every raw event (README "Schema"). The user is a field there, not a tag: see
 * ACTIVE_USERS for why, and how erasure reaches it.
 */
export class ActiveUsers {
  private readonly mark;
  private readonly prune;
  private readonly erase;

  constructor(db: Db) {
    this.mark = db.prepare('INSERT OR IGNORE INTO active_day (day, user) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM active_day WHERE day < ?');
    this.erase = db.prepare('DELETE FROM active_day WHERE user = ?');
  }

  /**
   * The point to write when this is the user's first event of its day, else undefined. At the event's
   * own time and offset (`nanos`, unique in its millisecond): two users whose first events share a
   * millisecond stay two points.
   */
  lineFor(event: EnrichedEvent, nanos: number): string | undefined {
    if (event.user === undefined || event.bot) return undefined;
    const day = Math.floor(event.time / DAY_MS) * DAY_MS;
    if (this.mark.run(day, event.user).changes === 0) return undefined;
    return line(ACTIVE_USERS, {}, { strings: { user: event.user, group: event.group } }, nanoseconds(event.time, nanos));
  }

  /** Erases a user's marks (the right to erasure); returns how many. */
  forgetUser(user: string): number {
    return this.erase.run(user).changes;
  }

  /** Forgets the days before `time`: a later event of such a day writes a second point of that user and day, which `count(distinct)` counts once. */
  forgetBefore(time: number): number {
    return this.prune.run(time).changes;
  }
}
