import type { Db } from '../store/database.js';

/**
 * Runs the work of every caller that arrives while a commit is pending in ONE SQLite transaction:
 * one fsync for a whole group of requests instead of one per event. Each caller's work runs in its
 * own savepoint, so one that fails is rolled back alone and the others still commit. Callers wait
 * for the commit that holds their work, so a resolved promise means "on disk".
 */
export class GroupCommit<T, R> {
  private queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly work: (item: T) => R,
    private readonly afterCommit: () => void = () => {},
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets every request already read from the network join this commit.
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    const outcomes: Array<{ ok: true; value: R } | { ok: false; error: unknown }> = [];
    const savepoint = this.db.transaction((item: T) => this.work(item)); // nested: a savepoint
    try {
      this.db.transaction(() => {
        for (const g of group) {
          try {
            outcomes.push({ ok: true, value: savepoint(g.item) });
          } catch (error) {
            outcomes.push({ ok: false, error });
          }
        }
      })();
    } catch (err) {
      // The commit itself failed (disk full, I/O error): nothing of this group is on disk.
      for (const g of group) g.reject(err);
      return;
    }
    group.forEach((g, i) => {
      const o = outcomes[i]!;
      if (o.ok) g.resolve(o.value);
      else g.reject(o.error);
    });
    this.afterCommit();
  }
}
