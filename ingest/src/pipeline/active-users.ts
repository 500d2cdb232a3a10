import { createHash } from 'node:crypto';
import type { Db } from '../store/database.js';
import type { EnrichedEvent } from '../enrich/enrich.js';
import { line, nanoseconds } from '../points/line-protocol.js';
import { ACTIVE_USERS } from '../points/schema.js';

const DAY_MS = 86_400_000;

/**
 * Marks each user active once per UTC day: the first event of a user on a day yields one
 * `active_users` point, so "active users" over any range is a count of distinct values over at most
 * users × days points instead of every raw event. The point's time is the day's start plus a
 * per-user offset under one second, so the users of one day never overwrite each other.
 */
export class ActiveUsers {
  private readonly mark;
  private readonly prune;

  constructor(db: Db) {
    this.mark = db.prepare('INSERT OR IGNORE INTO active_day (day, user) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM active_day WHERE day < ?');
  }

  /** The point to write when this is the user's first event of its day, else undefined. */
  lineFor(event: EnrichedEvent): string | undefined {
    if (event.user === undefined || event.bot) return undefined;
    const day = Math.floor(event.time / DAY_MS) * DAY_MS;
    if (this.mark.run(day, event.user).changes === 0) return undefined;
    const offsetNs = createHash('sha256').update(event.user).digest().readUInt32BE(0) % 1_000_000_000;
    const ms = day + Math.floor(offsetNs / 1_000_000);
    return line(ACTIVE_USERS, { group: event.group }, { strings: { user: event.user } }, nanoseconds(ms, offsetNs % 1_000_000));
  }

  /** Forgets the days before `time` (their points are written; only re-imports of them would repeat a point, harmlessly). */
  forgetBefore(time: number): number {
    return this.prune.run(time).changes;
  }
}
