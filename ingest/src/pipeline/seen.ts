import type { Db } from '../store/database.js';
import type { Identity } from '../events/identity.js';

/**
 * The identities of events already accepted: a second delivery of one changes nothing. They are
 * kept for good: a re-import of old logs must not count their events into the roll-ups again.
 */
export class SeenEvents {
  private readonly insert;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO seen (id, time) VALUES (?, ?)');
  }

  /** Records the event; false when it was already there. */
  firstTime(identity: Identity, time: number): boolean {
    return this.insert.run(identity.key, time).changes === 1;
  }
}
