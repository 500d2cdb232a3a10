import { USER_UNREAD, type Db } from '../store/database.js';
import type { RollupIncrement } from '../points/build.js';
import type { Destination } from '@kibotics/schema';
import { RollupStore, type DirtyRollup, type RollupBucket } from './rollups.js';
import { readLine, storableTag } from '../points/line-protocol.js';
import { USER_FIELDED, USER_TAGGED } from '@kibotics/schema';

/** Raw lines and dirty roll-ups taken together for one write to InfluxDB. */
export interface Batch {
  lines: Array<{ seq: number; line: string; destination: Destination }>;
  rollups: DirtyRollup[];
}

export interface SpoolStats {
  lines: number;
  rollups: number;
  deadLetters: number;
  oldestEnqueuedAt?: number;
}

/**
 * The durable queue between acceptance and delivery. Everything in it is already line protocol: no
 * IP address or raw user agent ever reaches it. Callers append inside the transaction that also
 * records pairing and dedup state, so an acknowledged event is entirely on disk or not at all.
 */
export class Spool {
  readonly rollups: RollupStore;
  private readonly insert;
  private readonly head;
  private readonly removeUpTo;
  private readonly removeOne;
  private readonly statsQuery;
  private readonly insertDead;
  private readonly db: Db;
  private readonly span;
  private readonly eraseLines;
  private readonly eraseDead;

  constructor(db: Db) {
    this.db = db;
    this.rollups = new RollupStore(db);
    this.insert = db.prepare('INSERT INTO spool (line, enqueued_at, destination, user) VALUES (?, ?, ?, ?)');
    this.head = db.prepare<[number]>('SELECT seq, line, destination FROM spool ORDER BY seq LIMIT ?');
    this.removeUpTo = db.prepare('DELETE FROM spool WHERE seq <= ?');
    this.removeOne = db.prepare('DELETE FROM spool WHERE seq = ?');
    this.statsQuery = db.prepare(
      `SELECT (SELECT enqueued_at FROM spool ORDER BY seq LIMIT 1) AS oldest,
              (SELECT count(*) FROM dead_letter) AS dead`
    );
    // A dead line keeps its user (from its spool row: roll-ups have none), so erasure finds it there too.
    this.insertDead = db.prepare(
      `INSERT INTO dead_letter (line, status, error, failed_at, destination, rollup, user)
       VALUES (?, ?, ?, ?, ?, ?, (SELECT user FROM spool WHERE seq = ?))`
    );
    this.eraseLines = db.prepare('DELETE FROM spool WHERE user = ?');
    this.eraseDead = db.prepare('DELETE FROM dead_letter WHERE user = ?');
    // Lines leave the spool as a prefix (oldest first), so the seq span is the count, read in O(log n)
    // where count(*) would scan the table on every request. (Two subqueries: SQLite answers a lone
    // min() or max() from the index, but both in one expression make it scan.)
    this.span = db.prepare('SELECT coalesce((SELECT max(seq) FROM spool) - (SELECT min(seq) FROM spool) + 1, 0) AS n');
  }

  /** Raw lines waiting for delivery. */
  get lines(): number {
    return (this.span.get() as { n: number }).n;
  }

  /**
   * `destination`: where the lines go in InfluxDB (raw: the RETENTION_DAYS policy; rollups: kept for
   * good). `user`: the user the lines carry (as stored: its pseudonym with USER_ID_MODE=hmac), kept
   * beside them for erasure.
   */
  append(lines: string[], now: number, destination: Destination = 'raw', user?: string): void {
    const key = user === undefined ? null : userKey(user);
    for (const l of lines) this.insert.run(l, now, destination, key);
  }

  addRollups(increments: RollupIncrement[], now: number): void {
    for (const r of increments) this.rollups.add(r, now);
  }

  /**
   * Up to `limit` lines: dirty roll-ups get up to half of a batch, so a steady stream of raw lines
   * cannot starve the whole-platform panels; whatever either side leaves goes to the other.
   */
  claim(limit: number): Batch {
    const rollups = this.rollups.claim(Math.ceil(limit / 2));
    const lines = this.head.all(limit - rollups.length) as Batch['lines'];
    if (lines.length + rollups.length < limit && rollups.length === Math.ceil(limit / 2)) {
      rollups.push(...this.rollups.claim(limit - lines.length - rollups.length, rollups.length));
    }
    return { lines, rollups };
  }

  /**
   * InfluxDB stored the batch: forget its lines, record which roll-up versions it has. No flush of
   * its own (see WalSync): should a power cut undo it, the batch is sent again and InfluxDB stores
   * each point over itself; the next acknowledged commit flushes it anyway.
   */
  delivered(batch: Batch): void {
    this.db.transaction(() => {
      const last = batch.lines.at(-1);
      if (last) this.removeUpTo.run(last.seq);
      this.rollups.delivered(batch.rollups);
    })();
  }

  /** A line InfluxDB will never accept moves aside for an operator, with the reason, instead of blocking the queue. */
  deadLetter(
    line: string,
    destination: Destination,
    seq: number | undefined,
    status: number | undefined,
    error: string,
    now: number,
    bucket?: RollupBucket
  ): void {
    this.db.transaction(() => {
      this.insertDead.run(
        line,
        status ?? null,
        error,
        now,
        destination,
        bucket ? JSON.stringify(bucket) : null,
        seq ?? null
      );
      if (seq !== undefined) this.removeOne.run(seq);
    })();
  }

  /**
   * Erases every waiting or dead line that carries this user (the right to erasure): they must not
   * reach InfluxDB after the user was erased there. Returns how many of each.
   */
  forgetUser(user: string): { lines: number; deadLetters: number } {
    return this.db.transaction(() => {
      readUnreadUsers(this.db);
      const key = userKey(user);
      return { lines: this.eraseLines.run(key).changes, deadLetters: this.eraseDead.run(key).changes };
    })();
  }

  stats(): SpoolStats {
    const row = this.statsQuery.get() as { oldest: number | null; dead: number };
    return {
      lines: this.lines,
      rollups: this.rollups.pending(),
      deadLetters: row.dead,
      oldestEnqueuedAt: row.oldest ?? undefined,
    };
  }
}

/**
 * How a line's user is kept beside it: as its tag holds it (storableTag), the one form that a line
 * stored before the column gives back. Two names differing only there are one series in InfluxDB too.
 */
function userKey(user: string): string {
  return storableTag(user);
}

/**
 * Lines spooled before the user column was (USER_UNREAD): their user is read from the line itself,
 * once, when erasure first needs it: the `user` tag of a raw measurement, or the `user` string
 * field of an active-user one.
 */
function userOfLine(text: string): string | undefined {
  const read = readLine(text);
  if (USER_TAGGED.includes(read.measurement)) return read.tags.user;
  return USER_FIELDED.includes(read.measurement) ? read.strings.user : undefined;
}

function readUnreadUsers(db: Db): void {
  for (const [table, id] of [
    ['spool', 'seq'],
    ['dead_letter', 'id'],
  ] as const) {
    // In pages: a spool that waited out a long outage may hold millions of lines.
    const page = db.prepare(
      `SELECT ${id} AS id, line FROM ${table} WHERE user = ? AND ${id} > ? ORDER BY ${id} LIMIT 10000`
    );
    const set = db.prepare(`UPDATE ${table} SET user = ? WHERE ${id} = ?`);
    for (let after = 0; ;) {
      const rows = page.all(USER_UNREAD, after) as Array<{ id: number; line: string }>;
      if (rows.length === 0) break;
      for (const row of rows) {
        const user = userOfLine(row.line);
        set.run(user === undefined ? null : userKey(user), row.id);
        after = row.id;
      }
    }
  }
}
