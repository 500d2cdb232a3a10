import type { Db } from '../store/database.js';
import { RollupStore, type RollupBucket } from './rollups.js';

export interface DeadLetter {
  id: number;
  line: string;
  /** Where it was going: raw points or roll-ups. */
  destination: string;
  status: number | null;
  error: string;
  failed_at: number;
}

/**
 * The operator's view of the lines InfluxDB refused: list them, send them again (after fixing the
 * cause, e.g. a field-type conflict), or purge them. Replaying puts them back at the end of the
 * spool; a line refused again comes back here. Replays never double-count: a point written twice
 * with the same series and time is stored once, and a roll-up bucket goes with its current totals.
 */
export class DeadLetters {
  constructor(private readonly db: Db) {}

  list(limit = 100): DeadLetter[] {
    return this.db
      .prepare('SELECT id, line, destination, status, error, failed_at FROM dead_letter ORDER BY id LIMIT ?')
      .all(limit) as DeadLetter[];
  }

  count(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM dead_letter').get() as { n: number }).n;
  }

  /**
   * Moves the given dead letters (all when `ids` is undefined) back into the spool; returns how many.
   * A roll-up bucket's point is not sent as it was refused: its bucket is marked changed, so the
   * bucket's current totals go (the refused line may hold older ones, which would overwrite newer).
   */
  replay(ids?: readonly number[], now = Date.now()): number {
    return this.db.transaction(() => {
      const chosen = this.select(ids);
      const insert = this.db.prepare('INSERT INTO spool (line, enqueued_at, destination, user) VALUES (?, ?, ?, ?)');
      const rollups = new RollupStore(this.db);
      for (const d of chosen) {
        if (d.rollup !== null && rollups.resend(JSON.parse(d.rollup) as RollupBucket, now)) continue;
        insert.run(d.line, now, d.destination, d.user);
      }
      this.remove(chosen);
      return chosen.length;
    })();
  }

  /** Deletes the given dead letters (all when `ids` is undefined); returns how many. */
  purge(ids?: readonly number[]): number {
    return this.db.transaction(() => {
      const chosen = this.select(ids);
      this.remove(chosen);
      return chosen.length;
    })();
  }

  private select(
    ids?: readonly number[]
  ): Array<{ id: number; line: string; destination: string; rollup: string | null; user: string | null }> {
    const all = this.db
      .prepare('SELECT id, line, destination, rollup, user FROM dead_letter ORDER BY id')
      .all() as Array<{
      id: number;
      line: string;
      destination: string;
      rollup: string | null;
      user: string | null;
    }>;
    if (ids === undefined) return all;
    const wanted = new Set(ids);
    return all.filter((d) => wanted.has(d.id));
  }

  private remove(letters: Array<{ id: number }>): void {
    const del = this.db.prepare('DELETE FROM dead_letter WHERE id = ?');
    for (const d of letters) del.run(d.id);
  }
}
