import type { Db } from '../store/database.js';
import type { RollupIncrement } from '../points/build.js';
import type { Destination } from '@kibotics/schema';
import { RollupStore, type DirtyRollup, type RollupBucket } from './rollups.js';
import { line } from '../points/line-protocol.js';
import { USER_FIELDED } from '@kibotics/schema';

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

  constructor(db: Db) {
    this.db = db;
    this.rollups = new RollupStore(db);
    this.insert = db.prepare('INSERT INTO spool (line, enqueued_at, destination) VALUES (?, ?, ?)');
    this.head = db.prepare<[number]>('SELECT seq, line, destination FROM spool ORDER BY seq LIMIT ?');
    this.removeUpTo = db.prepare('DELETE FROM spool WHERE seq <= ?');
    this.removeOne = db.prepare('DELETE FROM spool WHERE seq = ?');
    this.statsQuery = db.prepare(
      `SELECT (SELECT enqueued_at FROM spool ORDER BY seq LIMIT 1) AS oldest,
              (SELECT count(*) FROM dead_letter) AS dead`
    );
    this.insertDead = db.prepare(
      'INSERT INTO dead_letter (line, status, error, failed_at, destination, rollup) VALUES (?, ?, ?, ?, ?, ?)'
    );
    // Lines leave the spool as a prefix (oldest first), so the seq span is the count, read in O(log n)
    // where count(*) would scan the table on every request. (Two subqueries: SQLite answers a lone
    // min() or max() from the index, but both in one expression make it scan.)
    this.span = db.prepare('SELECT coalesce((SELECT max(seq) FROM spool) - (SELECT min(seq) FROM spool) + 1, 0) AS n');
  }

  /** Raw lines waiting for delivery. */
  get lines(): number {
    return (this.span.get() as { n: number }).n;
  }

  /** `destination`: where the lines go in InfluxDB (raw: the RETENTION_DAYS policy; rollups: kept for good). */
  append(lines: string[], now: number, destination: Destination = 'raw'): void {
    for (const l of lines) this.insert.run(l, now, destination);
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
      this.insertDead.run(line, status ?? null, error, now, destination, bucket ? JSON.stringify(bucket) : null);
      if (seq !== undefined) this.removeOne.run(seq);
    })();
  }

  /**
   * Erases every waiting or dead line that carries this user tag (the right to erasure): they must
   * not reach InfluxDB after the user was erased there. Returns how many of each.
   */
  forgetUser(user: string): { lines: number; deadLetters: number } {
    // As a tag (raw points), followed by the next tag or the fields; as a field of the active-user
    // measurements (tagged or not), after the space that opens the fields or a comma after another field.
    const tag = `,user=${escapedTagValue(user)}`;
    const field = `user=${escapedFieldValue(user)}`;
    const fielded = USER_FIELDED.map((m) => `substr(line, 1, ${m.length + 1}) IN ('${m} ', '${m},')`).join(' OR ');
    const erase = (table: 'spool' | 'dead_letter') =>
      this.db
        .prepare(
          `DELETE FROM ${table} WHERE instr(line, :tag || ',') > 0 OR instr(line, :tag || ' ') > 0
             OR ((${fielded}) AND (instr(line, ' ' || :field) > 0 OR instr(line, ',' || :field) > 0))`
        )
        .run({ tag, field }).changes;
    return this.db.transaction(() => ({ lines: erase('spool'), deadLetters: erase('dead_letter') }))();
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

/** A tag value exactly as line protocol writes it (the client's escaping, our trailing-backslash rule). */
function escapedTagValue(value: string): string {
  const text = line('m', { t: value }, { ints: { n: 1 } }, '0');
  return text.slice('m,t='.length, text.indexOf(' n=1i'));
}

/** A string field value exactly as line protocol writes it, quotes included. */
function escapedFieldValue(value: string): string {
  const text = line('m', {}, { strings: { f: value } }, '0');
  return text.slice('m f='.length, text.lastIndexOf(' 0'));
}
