import { writerId, type Db } from '../store/database.js';
import type { Tags } from '../points/line-protocol.js';
import { rollupLine } from '../points/rollup-line.js';
import type { RollupIncrement } from '../points/build.js';
import { ROLLUPS, type RollupName } from '@kibotics/schema';

/** One roll-up bucket of this writer: a measurement, its canonical tags (JSON), the bucket's start. */
export interface RollupBucket {
  measurement: string;
  tags: string;
  bucket: number;
}

/** A roll-up bucket whose current totals InfluxDB has not seen yet. */
export interface DirtyRollup extends RollupBucket {
  version: number;
  line: string;
}

/**
 * Running totals per roll-up bucket, this writer's share (its `writer` tag). A change bumps the
 * bucket's version; delivery writes the bucket's whole current state, which InfluxDB stores over the
 * previous one (same series and time). So a re-sent or replayed bucket can never count twice, and
 * only the newest state matters.
 */
export class RollupStore {
  private readonly read;
  private readonly upsert;
  private readonly dirty;
  private readonly markDelivered;
  private readonly countDirty;
  private readonly touch;
  /** Every roll-up point carries its writer's tag: see writerId. */
  private readonly writerTag: Tags;

  constructor(db: Db) {
    const writer = writerId(db);
    this.writerTag = writer === '' ? {} : { writer };
    this.read = db.prepare<[string, string, number]>(
      'SELECT fields FROM rollup WHERE measurement = ? AND tags = ? AND bucket = ?'
    );
    this.upsert = db.prepare(
      `INSERT INTO rollup (measurement, tags, bucket, fields, version, changed_at) VALUES (?, ?, ?, ?, 1, ?)
       ON CONFLICT (measurement, tags, bucket) DO UPDATE SET fields = excluded.fields, version = version + 1, changed_at = excluded.changed_at`
    );
    this.dirty = db.prepare<[number, number]>(
      'SELECT measurement, tags, bucket, fields, version FROM rollup WHERE version > delivered ORDER BY changed_at LIMIT ? OFFSET ?'
    );
    this.markDelivered = db.prepare(
      'UPDATE rollup SET delivered = max(delivered, ?) WHERE measurement = ? AND tags = ? AND bucket = ?'
    );
    this.countDirty = db.prepare('SELECT count(*) AS n FROM rollup WHERE version > delivered');
    this.touch = db.prepare(
      'UPDATE rollup SET version = version + 1, changed_at = ? WHERE measurement = ? AND tags = ? AND bucket = ?'
    );
  }

  add(increment: RollupIncrement, now: number): void {
    const measurement = ROLLUPS[increment.rollup].measurement;
    const tags = canonicalTags(increment.tags);
    const row = this.read.get(measurement, tags, increment.bucket) as { fields: string } | undefined;
    const fields: Record<string, number> = row ? JSON.parse(row.fields) : {};
    for (const [key, value] of Object.entries(increment.add)) fields[key] = (fields[key] ?? 0) + value;
    this.upsert.run(measurement, tags, increment.bucket, JSON.stringify(fields), now);
  }

  /** The oldest-changed dirty buckets, `skip` of them passed over (already claimed in this batch). */
  claim(limit: number, skip = 0): DirtyRollup[] {
    type Row = { measurement: string; tags: string; bucket: number; fields: string; version: number };
    return (this.dirty.all(limit, skip) as Row[]).map((row) => ({
      measurement: row.measurement,
      tags: row.tags,
      bucket: row.bucket,
      version: row.version,
      line: rollupLine(
        row.measurement,
        { ...(JSON.parse(row.tags) as Tags), ...this.writerTag },
        row.bucket,
        JSON.parse(row.fields)
      ),
    }));
  }

  /**
   * Marks a bucket changed, so its totals of the moment are sent again (a dead letter replayed: the
   * line refused back then may hold older totals than InfluxDB has now). False when no such bucket.
   */
  resend(b: RollupBucket, now: number): boolean {
    return this.touch.run(now, b.measurement, b.tags, b.bucket).changes === 1;
  }

  delivered(rollups: DirtyRollup[]): void {
    for (const r of rollups) this.markDelivered.run(r.version, r.measurement, r.tags, r.bucket);
  }

  pending(): number {
    return (this.countDirty.get() as { n: number }).n;
  }
}

/** Tags as a stable string key: sorted, empty ones dropped. */
function canonicalTags(tags: Tags): string {
  const entries = Object.entries(tags).filter((e): e is [string, string] => e[1] !== undefined && e[1] !== '');
  entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return JSON.stringify(Object.fromEntries(entries));
}

export type { RollupName };
