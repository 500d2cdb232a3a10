import type { Db } from '../store/database.js';
import type { Identity } from '../events/identity.js';

/** How long an `id` alone recognises a repeat, whatever the repeat's time (README "POST /v1/events"). */
export const ID_MEMORY_MS = 7 * 86_400_000;
const NANOS_PER_MS = 1_000_000;
/** Expired id keys deleted per commit at most: forgetting a week of keys never stalls one commit. */
const FORGET_PER_COMMIT = 1000;

/**
 * The events already accepted, and the point each was given. Every accepted event owns a slot
 * (its millisecond, a sub-millisecond offset): the offset is what InfluxDB tells points of one series
 * and millisecond apart by, so no two accepted events share one, and a repeat finds its slot again.
 *
 * The slots of one millisecond form an open-addressing table: an event's search starts at
 * `identity.start` and walks to the next free offset; meeting its own key on the way means it was
 * accepted before. Slots are never freed (they protect the roll-ups from a re-import counting twice),
 * so every walk that once passed a slot still passes it. Keyed by time first, the slots of live
 * traffic land side by side on disk.
 *
 * An event with an `id` is also found by the id alone for at least ID_MEMORY_MS (a retry without
 * `time`, or with another one), in generations of ID_MEMORY_MS: the current and the previous one are
 * read, older ones are deleted a little at each commit.
 */
export class SeenEvents {
  private readonly claim;
  private readonly holder;
  private readonly legacy;
  private readonly idFind;
  private readonly idInsert;
  private readonly idForget;
  private readonly hasLegacy: boolean;

  constructor(
    db: Db,
    private readonly idMemoryMs = ID_MEMORY_MS
  ) {
    this.claim = db.prepare('INSERT OR IGNORE INTO seen_slot (time, nanos, key) VALUES (?, ?, ?)');
    this.holder = db.prepare<[number, number]>('SELECT key FROM seen_slot WHERE time = ? AND nanos = ?').pluck();
    this.legacy = db.prepare<[number, Buffer]>('SELECT 1 FROM seen WHERE time = ? AND id = ?').pluck();
    this.idFind = db
      .prepare<[number, number, Buffer]>('SELECT 1 FROM seen_id WHERE generation IN (?, ?) AND key = ?')
      .pluck();
    this.idInsert = db.prepare('INSERT OR IGNORE INTO seen_id (generation, key) VALUES (?, ?)');
    this.idForget = db.prepare(
      `DELETE FROM seen_id WHERE (generation, key) IN (SELECT generation, key FROM seen_id WHERE generation < ? LIMIT ${FORGET_PER_COMMIT})`
    );
    // Keys of events accepted before slots existed: still read, so those events stay repeats.
    this.hasLegacy = db.prepare('SELECT 1 FROM seen LIMIT 1').get() !== undefined;
  }

  /**
   * Records the event and returns its sub-millisecond offset (0–999,999), unique in its millisecond;
   * undefined when it was accepted before. Call inside the transaction that spools its points.
   */
  accept(identity: Identity, time: number, now: number): number | undefined {
    const { key } = identity;
    const generation = Math.floor(now / this.idMemoryMs);
    if (identity.byId && this.idFind.get(generation, generation - 1, key) !== undefined) return undefined;
    if (this.hasLegacy && key.length > 0 && this.legacy.get(time, key) !== undefined) return undefined;
    let nanos = identity.start;
    for (let probes = 0; probes < NANOS_PER_MS; probes++) {
      if (this.claim.run(time, nanos, key).changes === 1) {
        if (identity.byId) this.idInsert.run(generation, key);
        return nanos;
      }
      if (key.length > 0 && key.equals(this.holder.get(time, nanos) as Buffer)) return undefined;
      nanos = (nanos + 1) % NANOS_PER_MS;
    }
    throw new Error(`more than ${NANOS_PER_MS} events in the millisecond ${time}`);
  }

  /** Deletes a bounded number of id keys older than the previous generation; call once per commit. */
  forgetOldIds(now: number): void {
    this.idForget.run(Math.floor(now / this.idMemoryMs) - 1);
  }
}
