import type { Db } from '../store/database.js';

/**
 * Runs the work of every caller that arrives while a commit is pending in ONE SQLite transaction:
 * one fsync for a whole group of requests instead of one per event. Callers wait for the commit
 * that holds their work, so a resolved promise means "on disk".
 */
export class GroupCommit<T, R> {
  private queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private scheduled = false;

  constructor(
    private readonly db: Db,
    private readonly work: (items: T[]) => R[],
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
    let results: R[];
    try {
      results = this.db.transaction(() => this.work(group.map((g) => g.item)))();
    } catch (err) {
      for (const g of group) g.reject(err);
      return;
    }
    group.forEach((g, i) => g.resolve(results[i]!));
    this.afterCommit();
  }
}
