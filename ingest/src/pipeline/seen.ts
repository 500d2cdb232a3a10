import type { Db } from '../store/database.js';
import type { Identity } from '../events/identity.js';

/** The identities of events already accepted: a second delivery of one changes nothing. */
export class SeenEvents {
  private readonly insert;
  private readonly prune;

  constructor(db: Db) {
    this.insert = db.prepare('INSERT OR IGNORE INTO seen (id, time) VALUES (?, ?)');
    this.prune = db.prepare('DELETE FROM seen WHERE time < ?');
  }

  /** Records the event; false when it was already there. */
  firstTime(identity: Identity, time: number): boolean {
    return this.insert.run(identity.key, time).changes === 1;
  }

  /** Forgets events older than `time` (their points are past InfluxDB's retention too). */
  forgetBefore(time: number): number {
    return this.prune.run(time).changes;
  }
}
