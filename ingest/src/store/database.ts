import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { ConfigError } from '../config-error.js';
import { DB_FILE, checkAndMark, checkFiles, checkPages, markClosed, unreadable } from './integrity.js';

export type Db = Database.Database;

/**
 * The gateway's own state (spool, pairing, roll-ups, dead letters) in one SQLite file under DATA_DIR.
 * WAL with synchronous=NORMAL: a commit is in the WAL file when it returns, safe from the process
 * being killed; whoever acknowledges it (the pipeline) waits for WalSync to flush it to the disk,
 * off the event loop, so that it also survives a power cut.
 */
export interface StoreOptions {
  /**
   * Zero deleted rows (default true). false exists for one figure only, what zeroing costs (bench
   * scenario 3); the gateway and its commands always zero.
   */
  secureDelete?: boolean;
}

export function openDatabase(dataDir: string, options: StoreOptions = {}): Db {
  try {
    mkdirSync(dataDir, { recursive: true });
  } catch (err) {
    throw new DataDirError(dataDir, err as NodeJS.ErrnoException);
  }
  checkFiles(dataDir); // throws StoreDamaged: never accept events on a store that lost what it held
  let db: Db;
  try {
    db = new Store(join(dataDir, DB_FILE), dataDir);
    db.pragma('journal_mode = WAL');
  } catch (err) {
    throw new DataDirError(dataDir, err as NodeJS.ErrnoException);
  }
  try {
    db.pragma('synchronous = NORMAL');
    // Deleted rows (delivered lines, erased users) are overwritten with zeros, not left readable in
    // free pages: children's data must not outlive its erasure in this file. Its cost: bench scenario 3.
    db.pragma(`secure_delete = ${options.secureDelete === false ? 'OFF' : 'ON'}`);
    db.pragma('busy_timeout = 5000');
    // Dedup keys are random: a larger page cache keeps their B-tree's inner pages in memory.
    db.pragma('cache_size = -65536');
    checkPages(db, dataDir);
    const fresh = (db.pragma('user_version', { simple: true }) as number) === 0;
    migrate(db);
    if (db.prepare('SELECT 1 FROM writer').get() === undefined) {
      // A store from before writer ids already wrote its roll-ups without the tag: it goes on doing so
      // (its totals are in those series); every new store is a writer of its own.
      db.prepare('INSERT INTO writer (id) VALUES (?)').run(fresh ? randomBytes(6).toString('hex') : '');
    }
    checkAndMark(db, dataDir);
  } catch (err) {
    Database.prototype.close.call(db); // not a clean close to record: nothing ran
    throw unreadable(err, dataDir);
  }
  return db;
}

/** The connection; closing it records a clean stop (SQLite then removes the WAL on purpose). */
class Store extends Database {
  constructor(
    path: string,
    private readonly dataDir: string
  ) {
    super(path);
  }

  override close(): this {
    super.close();
    markClosed(this.dataDir);
    return this;
  }
}

/** DATA_DIR cannot hold the state: the operator's to fix, so a message and exit status 2, not a stack. */
export class DataDirError extends ConfigError {
  constructor(dataDir: string, cause: NodeJS.ErrnoException) {
    const why: Record<string, string> = {
      ENOTDIR: 'a part of that path is a file, not a folder',
      EEXIST: 'a part of that path is a file, not a folder',
      EACCES: 'permission denied',
      EPERM: 'permission denied',
      EROFS: 'the file system is read-only',
      SQLITE_CANTOPEN: 'the state file cannot be opened or created there (read-only or no permission?)',
      SQLITE_READONLY: 'the folder or its state file is read-only',
      SQLITE_NOTADB: 'gateway.sqlite there is not an SQLite database',
    };
    super(
      `DATA_DIR (--data-dir) '${dataDir}': ${why[cause.code ?? ''] ?? cause.message}; point DATA_DIR at a folder the gateway can write`
    );
  }
}

/** Whether DATA_DIR holds a gateway's state (commands that act on a gateway's state check first). */
export function hasState(dataDir: string): boolean {
  return existsSync(join(dataDir, DB_FILE));
}

/**
 * This DATA_DIR's writer id, the `writer` tag of its roll-up series. A roll-up point holds running
 * totals kept in one DATA_DIR; with the tag, the totals of several writers (gateways behind a load
 * balancer, an `import` from another DATA_DIR, a DATA_DIR lost and started afresh) are separate
 * series that `sum()` adds up, where without it each would overwrite the others'. Empty: no tag
 * (a store from before writer ids).
 */
export function writerId(db: Db): string {
  return (db.prepare('SELECT id FROM writer').pluck().get() as string | undefined) ?? '';
}

/**
 * The user column's value for lines stored before it existed (a store upgraded, or salvaged from one):
 * read from the line itself when erasure first needs it (Spool.forgetUser). No user name holds a
 * control character (the validator refuses them), so none is this.
 */
export const USER_UNREAD = '\u0001unread';

/** Each entry moves the schema one version up; never edit a released entry, add one. */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE spool (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    line TEXT NOT NULL,
    enqueued_at INTEGER NOT NULL
  );
  CREATE TABLE rollup (
    measurement TEXT NOT NULL,
    tags TEXT NOT NULL,
    bucket INTEGER NOT NULL,
    fields TEXT NOT NULL,
    version INTEGER NOT NULL,
    delivered INTEGER NOT NULL DEFAULT 0,
    changed_at INTEGER NOT NULL,
    PRIMARY KEY (measurement, tags, bucket)
  ) WITHOUT ROWID;
  CREATE INDEX rollup_dirty ON rollup (changed_at) WHERE version > delivered;
  CREATE TABLE seen (
    id BLOB PRIMARY KEY,
    time INTEGER NOT NULL
  ) WITHOUT ROWID;
  CREATE INDEX seen_time ON seen (time);
  CREATE TABLE open_start (
    kind TEXT NOT NULL,
    key TEXT NOT NULL,
    match TEXT NOT NULL,
    time INTEGER NOT NULL,
    carried TEXT NOT NULL,
    PRIMARY KEY (kind, key)
  ) WITHOUT ROWID;
  CREATE INDEX open_start_match ON open_start (kind, match, time);
  CREATE TABLE dead_letter (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    line TEXT NOT NULL,
    status INTEGER,
    error TEXT NOT NULL,
    failed_at INTEGER NOT NULL
  );
  `,
  `
  CREATE TABLE active_day (
    day INTEGER NOT NULL,
    user TEXT NOT NULL,
    PRIMARY KEY (day, user)
  ) WITHOUT ROWID;
  `,
  `
  ALTER TABLE spool ADD COLUMN destination TEXT NOT NULL DEFAULT 'raw';
  ALTER TABLE dead_letter ADD COLUMN destination TEXT NOT NULL DEFAULT 'raw';
  `,
  // Dedup keys are kept as long as the roll-ups they protect (forever): no pruning, so no index on
  // time, which cost every accepted event an extra B-tree insert.
  `
  DROP INDEX seen_time;
  `,
  // Dedup keys ordered by the event's time first: events arrive roughly in time order, so each commit
  // inserts near the B-tree's right edge and dirties a few pages, where random hash keys dirtied a
  // page per event (the whole table rewritten to the WAL every few commits once it held ~1M keys).
  `
  CREATE TABLE seen_by_time (
    time INTEGER NOT NULL,
    id BLOB NOT NULL,
    PRIMARY KEY (time, id)
  ) WITHOUT ROWID;
  INSERT INTO seen_by_time (time, id) SELECT time, id FROM seen;
  DROP TABLE seen;
  ALTER TABLE seen_by_time RENAME TO seen;
  `,
  // Erasures `forget` could not finish in InfluxDB (it was down): completed by the deliverer.
  `
  CREATE TABLE pending_erasure (
    user TEXT PRIMARY KEY,
    requested_at INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // Each accepted event owns a slot, its millisecond and a sub-millisecond offset unique in it (where
  // a hash of the event could give two events one point): see SeenEvents. The keys of `seen`, from
  // before, have no offset and stay as they are, read for repeats; new events go to seen_slot only.
  // seen_id: events with an `id`, found by it alone for a while, in generations (the oldest deleted).
  `
  CREATE TABLE seen_slot (
    time INTEGER NOT NULL,
    nanos INTEGER NOT NULL,
    key BLOB NOT NULL,
    PRIMARY KEY (time, nanos)
  ) WITHOUT ROWID;
  CREATE TABLE seen_id (
    generation INTEGER NOT NULL,
    key BLOB NOT NULL,
    PRIMARY KEY (generation, key)
  ) WITHOUT ROWID;
  `,
  // The writer id (see writerId): one row, written once by openDatabase.
  `
  CREATE TABLE writer (id TEXT NOT NULL);
  `,
  // A dead roll-up point names its bucket (JSON of RollupBucket): a replay sends the bucket's current totals.
  `
  ALTER TABLE dead_letter ADD COLUMN rollup TEXT;
  `,
  // Which store this is and how many times it was opened, also kept in a marker file beside it
  // (integrity.ts): a database that lost commits, or was replaced, no longer matches.
  `
  CREATE TABLE store_meta (
    key TEXT PRIMARY KEY,
    value TEXT NOT NULL
  );
  `,
  // Active-user marks: a user's earliest event of each day, platform-wide (grp '') and per class, and
  // the user's latest day point (run starts): see ActiveUsers. The day marks before it go: today's
  // first events are written once more, harmlessly.
  `
  DROP TABLE IF EXISTS active_day;
  CREATE TABLE active_mark (
    day INTEGER NOT NULL,
    user TEXT NOT NULL,
    grp TEXT NOT NULL,
    first INTEGER NOT NULL,
    PRIMARY KEY (day, user, grp)
  ) WITHOUT ROWID;
  CREATE TABLE active_last (
    user TEXT PRIMARY KEY,
    last INTEGER NOT NULL
  ) WITHOUT ROWID;
  `,
  // The user a spooled or dead line carries, beside it (null: none), so erasure deletes by it instead
  // of searching the line protocol. Lines already stored read USER_UNREAD until erasure reads them.
  `
  ALTER TABLE spool ADD COLUMN user TEXT DEFAULT '${USER_UNREAD}';
  ALTER TABLE dead_letter ADD COLUMN user TEXT DEFAULT '${USER_UNREAD}';
  CREATE INDEX spool_user ON spool (user) WHERE user IS NOT NULL;
  CREATE INDEX dead_letter_user ON dead_letter (user) WHERE user IS NOT NULL;
  `,
  // When an open start reached the gateway (its clock): pruning waits PAIR_MAX_HOURS after that too, so
  // a backlog of old events still pairs. Starts from before count as arrived long ago.
  `
  ALTER TABLE open_start ADD COLUMN arrived_at INTEGER NOT NULL DEFAULT 0;
  `,
];

function migrate(db: Db): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    })();
  }
}
