import type { Db } from '../store/database.js';
import type { Identity } from '../events/identity.js';

/**
 * The identities of events already accepted: a second delivery of one changes nothing. They are
 * kept for good: a re-import of old logs must not count their events into the roll-ups again. An
 * event is known by its time and identity together (a retry carries both unchanged); keyed by time
 * first, the keys of live traffic land side by side on disk.
 */
export class SeenEvents {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO seen (time, id) VALUES (?, ?)');
  }

  /** Records the event; false when it was already there. */
  firstTime(identity: Identity, time: number): boolean {
    return this.insert.run(time, identity.key).changes === 1;
  }
}
