import { open, type FileHandle } from 'node:fs/promises';
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
  private file?: FileHandle;

  constructor(db: Db) {
    this.walPath = `${db.name}-wal`;
  }

  sync(): Promise<void> {
    if (!this.running) return (this.running = this.flush());
    // The running flush may have begun before the caller's commit: wait for the next one.
    this.queued ??= this.running.then(
      () => this.startQueued(),
      () => this.startQueued()
    );
    return this.queued;
  }

  private startQueued(): Promise<void> {
    this.queued = undefined;
    return (this.running = this.flush());
  }

  private async flush(): Promise<void> {
    try {
      const file = await this.walFile();
      await file?.datasync();
    } finally {
      this.running = undefined;
    }
  }

  /**
   * The WAL file, opened once: SQLite deletes it only when the database's last connection closes,
   * and ours stays open as long as commits are made through it, so the handle always names the file
   * SQLite writes. (Opening it for each flush would cost two more trips to the thread pool.)
   */
  private async walFile(): Promise<FileHandle | undefined> {
    if (this.file) return this.file;
    try {
      this.file = await open(this.walPath, 'r+');
      return this.file;
    } catch (err) {
      // No WAL file: what was committed is in the database file, which SQLite syncs when it checkpoints.
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw err;
    }
  }

  /** Closes the handle (the database is closing). */
  async close(): Promise<void> {
    await this.file?.close();
    this.file = undefined;
  }
}
