import { open } from 'node:fs/promises';
import type { Db } from './database.js';

/**
 * Makes commits durable without blocking the event loop. The connection commits with
 * synchronous=NORMAL (the commit is in the WAL file, in the OS's cache, when it returns), and
 * `sync()` then flushes the WAL file to the disk on libuv's thread pool: what synchronous=FULL does
 * inside every commit, but here requests keep being read and validated while the disk works, and
 * every commit made meanwhile shares the next flush.
 *
 * A caller may acknowledge its commit once `sync()` resolves: a flush that began after the commit
 * has completed.
 */
export class WalSync {
  private readonly walPath: string;
  /** The flush on the disk now. */
  private running?: Promise<void>;
  /** The flush that starts when the running one ends: it covers every commit made since that one began. */
  private queued?: Promise<void>;

  constructor(db: Db) {
    this.walPath = `${db.name}-wal`;
  }

  sync(): Promise<void> {
    if (!this.running) return (this.running = this.flush());
    // The running flush may have begun before the caller's commit: wait for the next one.
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued(),
    );
    return this.queued;
  }

  private startQueued(): Promise<void> {
    this.queued = undefined;
    return (this.running = this.flush());
  }

  private async flush(): Promise<void> {
    try {
      // Opened by path each time, so a WAL file SQLite deleted and made again is the one flushed.
      const file = await open(this.walPath, 'r+').catch((err: NodeJS.ErrnoException) => {
        // No WAL file: SQLite checkpointed it into the database file, which it synced then.
        if (err.code === 'ENOENT') return undefined;
        throw err;
      });
      if (!file) return;
      try {
        await file.datasync();
      } finally {
        await file.close();
      }
    } finally {
      this.running = undefined;
    }
  }
}
