import { closeSync, existsSync, fsyncSync, openSync, statfsSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type { Db } from './database.js';

/** Whether an error means the file system holding DATA_DIR has no room left. */
export function isDiskFull(err: unknown): boolean {
  const code = (err as { code?: unknown } | undefined)?.code;
  return code === 'SQLITE_FULL' || code === 'ENOSPC' || code === 'EDQUOT';
}

/** New events are refused: DATA_DIR's file system is full (HTTP 507 + Retry-After). */
export class DiskFullError extends Error {
  constructor() {
    super('the disk holding DATA_DIR is full; nothing from this request was stored, try again later');
  }
}

/** The space kept aside in DATA_DIR so that delivery can still delete what it delivered once the disk is full. */
export const RESERVE_BYTES = 4 * 1_048_576;
const RESERVE_FILE = 'space-reserve';

/**
 * Keeps the gateway alive on a full disk. A file of RESERVE_BYTES stands in DATA_DIR while all is
 * well. When a write finds the disk full, the gateway refuses new events (`full`) and gives the
 * reserve up, so that SQLite can checkpoint its WAL and the deliverer can remove what InfluxDB took
 * (a delete needs room in the WAL too). It accepts again by itself once the reserve can be put back
 * and room is left beside it: on the file system, or inside the database where delivered lines were.
 */
export class DiskSpace {
  /** Since when new events are refused; undefined while there is room. */
  fullSince?: number;
  private readonly reservePath: string;
  private timer?: NodeJS.Timeout;

  constructor(
    private readonly dataDir: string,
    private readonly db: () => Db | undefined,
    private readonly onChange: (full: boolean) => void = () => undefined,
    private readonly checkEveryMs = 2000,
    private readonly now: () => number = Date.now
  ) {
    this.reservePath = join(dataDir, RESERVE_FILE);
  }

  get full(): boolean {
    return this.fullSince !== undefined;
  }

  /** Puts the reserve in place at start-up; refuses events until there is room for it and beside it. */
  reserve(): void {
    if (!this.room()) this.filled();
  }

  /** Gives the reserve up (before opening a database on a full disk, for instance); true if there was one. */
  release(): boolean {
    if (!existsSync(this.reservePath)) return false;
    unlinkSync(this.reservePath);
    return true;
  }

  /** A write found the disk full: refuse new events, free the reserve, and watch for room. */
  filled(): void {
    if (this.fullSince === undefined) {
      this.fullSince = this.now();
      this.onChange(true);
    }
    this.release();
    this.checkpoint();
    this.timer ??= setInterval(() => this.check(), this.checkEveryMs);
    this.timer.unref();
  }

  /** While full: accept again once the reserve is back and room is left beside it. */
  check(): void {
    if (this.fullSince === undefined || !this.room()) return;
    this.fullSince = undefined;
    clearInterval(this.timer);
    this.timer = undefined;
    this.onChange(false);
  }

  /** Puts the reserve back if it can; whether there is room beside it, on the file system or in the database's free pages. */
  private room(): boolean {
    this.checkpoint();
    if (!existsSync(this.reservePath)) {
      if (freeBytes(this.dataDir) < RESERVE_BYTES + 1_048_576) return false;
      try {
        writeReserve(this.reservePath);
      } catch (err) {
        if (isDiskFull(err)) return false;
        throw err;
      }
    }
    return freeBytes(this.dataDir) + this.freePages() >= RESERVE_BYTES;
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }

  /** Moves the WAL into the database and empties it, giving its room back (fails harmlessly while that needs room too). */
  private checkpoint(): void {
    try {
      this.db()?.pragma('wal_checkpoint(TRUNCATE)');
    } catch (err) {
      if (!isDiskFull(err)) throw err;
    }
  }

  /** Bytes of the database's free pages: room SQLite reuses before the file grows. */
  private freePages(): number {
    const db = this.db();
    if (!db) return 0;
    return (
      (db.pragma('freelist_count', { simple: true }) as number) * (db.pragma('page_size', { simple: true }) as number)
    );
  }
}

function freeBytes(dir: string): number {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
}

function writeReserve(path: string): void {
  const fd = openSync(path, 'w');
  let written = 0;
  try {
    const chunk = Buffer.alloc(65_536);
    // Written, not just sized: a sparse file would reserve nothing.
    while (written < RESERVE_BYTES) written += writeSync(fd, chunk);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
    if (written < RESERVE_BYTES) unlinkSync(path);
  }
}
