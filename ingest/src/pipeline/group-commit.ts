import type { Db } from '../store/database.js';

export interface CommitHooks {
  /** Runs last inside the transaction, after every caller's work: writes what the group shares (its failure fails the group). */
  beforeCommit?: () => void;
  /** Resolves once the commit just made is on the disk (WalSync.sync); without it, a commit counts as durable when it returns. */
  durable?: () => Promise<void>;
  /** Runs once the group is on disk. */
  afterCommit?: () => void;
  /** Runs when the group's transaction or its flush failed: nothing of it is on disk. */
  afterFailure?: () => void;
}

type Outcome<R> = { ok: true; value: R } | { ok: false; error: unknown };

/**
 * Runs the work of every caller that arrives while a commit is pending in ONE SQLite transaction,
 * made durable by one flush for the whole group. Each caller's work runs in its own savepoint, so
 * one that fails is rolled back alone and the others still commit. Callers wait until the commit
 * holding their work is on the disk, so a resolved promise means "on disk". While one group's flush
 * runs, the next group is already being collected and committed.
 */
export class GroupCommit<T, R> {
  private queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly work: (item: T) => R,
    private readonly hooks: CommitHooks = {}
  ) {}

  submit(item: T): Promise<R> {
    return new Promise((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // setImmediate lets every request already read from the network join this commit.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    this.scheduled = false;
    const group = this.queue;
    this.queue = [];
    if (group.length === 0) return;
    const outcomes: Outcome<R>[] = [];
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
        this.hooks.beforeCommit?.();
      })();
      await this.hooks.durable?.();
    } catch (err) {
      // The commit or its flush failed (disk full, I/O error): nothing of this group is acknowledged.
      this.hooks.afterFailure?.();
      for (const g of group) g.reject(err);
      return;
    }
    group.forEach((g, i) => {
      const o = outcomes[i]!;
      if (o.ok) g.resolve(o.value);
      else g.reject(o.error);
    });
    this.hooks.afterCommit?.();
  }
}
