import { randomUUID } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, openSync, readFileSync, renameSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import type Database from 'better-sqlite3';

type Db = Database.Database;

export const DB_FILE = 'gateway.sqlite';
/** Beside the database: which store this DATA_DIR holds, its generation, and whether it was closed cleanly. */
export const MARKER_FILE = 'gateway.state.json';

interface Marker {
  store: string;
  generation: number;
  /** True from start until a clean close: an unclean stop leaves the WAL file behind, always. */
  open: boolean;
}

/** The store in DATA_DIR cannot be trusted: the gateway will not accept events on it. */
export class StoreDamaged extends Error {
  constructor(
    readonly dataDir: string,
    readonly problem: string
  ) {
    super(
      `${join(dataDir, DB_FILE)} is damaged: ${problem}. Events acknowledged before may be lost; nothing is accepted on this store. ` +
        `To recover: run \`kibotics-analytics salvage\` with the same DATA_DIR (it keeps the damaged files aside, reads what can still be read into a new store and delivers it), then start the gateway again.`
    );
  }
}

/**
 * What the files say before SQLite opens them: a store this DATA_DIR held (its marker) whose
 * database is gone or empty, or whose WAL is gone after an unclean stop (SQLite would silently
 * open the older state without it).
 */
export function checkFiles(dataDir: string): void {
  const marker = readMarker(dataDir);
  if (!marker) return; // a new DATA_DIR (or one from before markers: nothing to compare with)
  const dbPath = join(dataDir, DB_FILE);
  if (!existsSync(dbPath))
    throw new StoreDamaged(dataDir, 'the database file is missing while DATA_DIR held a store (its marker is there)');
  if (statSync(dbPath).size === 0)
    throw new StoreDamaged(dataDir, 'the database file is empty while DATA_DIR held a store');
  if (marker.open && !existsSync(`${dbPath}-wal`)) {
    throw new StoreDamaged(
      dataDir,
      'its write-ahead log (gateway.sqlite-wal) is missing after an unclean stop, so the latest commits are gone'
    );
  }
}

/** The pages are sound: SQLite's `quick_check`, in time proportionate to the file. */
export function checkPages(db: Db, dataDir: string): void {
  const problems = (db.pragma('quick_check(5)') as Array<{ quick_check: string }>)
    .map((r) => r.quick_check)
    .filter((r) => r !== 'ok');
  if (problems.length > 0)
    throw new StoreDamaged(dataDir, `SQLite's quick_check found damaged pages (${problems.join('; ').slice(0, 300)})`);
}

/** SQLite's own word that it cannot read the file becomes StoreDamaged; other errors pass. */
export function unreadable(err: unknown, dataDir: string): unknown {
  const code = (err as { code?: string }).code;
  if (code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB')
    return new StoreDamaged(dataDir, `SQLite cannot read it (${(err as Error).message})`);
  return err;
}

/** The database is the one, and as recent as, the marker says; then a new generation is recorded in both. */
export function checkAndMark(db: Db, dataDir: string): void {
  const marker = readMarker(dataDir);
  const stored = readMeta(db);
  if (marker) {
    if (stored.store !== marker.store)
      throw new StoreDamaged(
        dataDir,
        'the database is not the store DATA_DIR held (emptied, or replaced by another file)'
      );
    // One ahead: the gateway stopped between recording its generation and rewriting the marker.
    if (stored.generation !== marker.generation && stored.generation !== marker.generation + 1) {
      throw new StoreDamaged(
        dataDir,
        `the database is older than its last use (generation ${stored.generation}, expected ${marker.generation}): its WAL was lost, or an old copy was restored`
      );
    }
  }
  const next = {
    store: stored.store ?? randomUUID(),
    generation: Math.max(stored.generation, marker?.generation ?? 0) + 1,
  };
  db.prepare('INSERT OR REPLACE INTO store_meta (key, value) VALUES (?, ?), (?, ?)').run(
    'store',
    next.store,
    'generation',
    String(next.generation)
  );
  db.pragma('wal_checkpoint(FULL)'); // the generation on the disk before the marker names it
  writeMarker(dataDir, { ...next, open: true });
}

/** A clean close (after the database closed): the WAL is gone on purpose. */
export function markClosed(dataDir: string): void {
  const marker = readMarker(dataDir);
  if (marker) writeMarker(dataDir, { ...marker, open: false });
}

function readMeta(db: Db): { store?: string; generation: number } {
  const rows = db.prepare('SELECT key, value FROM store_meta').all() as Array<{ key: string; value: string }>;
  const meta = Object.fromEntries(rows.map((r) => [r.key, r.value]));
  return { store: meta.store, generation: Number(meta.generation ?? 0) };
}

function readMarker(dataDir: string): Marker | undefined {
  const path = join(dataDir, MARKER_FILE);
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as Marker;
  } catch {
    throw new StoreDamaged(dataDir, `its marker ${MARKER_FILE} cannot be read`);
  }
}

/** Written whole or not at all: a temp file, flushed, then renamed over the old one. */
function writeMarker(dataDir: string, marker: Marker): void {
  const path = join(dataDir, MARKER_FILE);
  const fd = openSync(`${path}.tmp`, 'w');
  try {
    writeSync(fd, `${JSON.stringify(marker)}\n`);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(`${path}.tmp`, path);
}
