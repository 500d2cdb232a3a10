import type { InfluxClient } from '../influx/client.js';
import { quoteIdentifier, quoteString } from '../influx/client.js';
import { storableTag } from '../points/line-protocol.js';
import { USER_FIELDED, USER_TAGGED } from '@kibotics/schema';
import type { Db } from '../store/database.js';

/**
 * Erasures from InfluxDB that `forget` could not finish (InfluxDB down): kept in the gateway's state
 * with the erasure of its own data, in one transaction, and completed by whoever delivers on this
 * DATA_DIR (serve, import) before it writes anything else. The row names the user only until then.
 */
export class PendingErasures {
  private readonly insert;
  private readonly all;
  private readonly remove;
  private readonly count;

  constructor(private readonly db: Db) {
    this.insert = db.prepare('INSERT OR REPLACE INTO pending_erasure (user, requested_at) VALUES (?, ?)');
    this.all = db.prepare('SELECT user, requested_at FROM pending_erasure ORDER BY requested_at');
    this.remove = db.prepare('DELETE FROM pending_erasure WHERE user = ?');
    this.count = db.prepare('SELECT count(*) AS n FROM pending_erasure');
  }

  add(storedAs: string, now: number): void {
    this.insert.run(storedAs, now);
  }

  list(): Array<{ user: string; requested_at: number }> {
    return this.all.all() as Array<{ user: string; requested_at: number }>;
  }

  get size(): number {
    return (this.count.get() as { n: number }).n;
  }

  done(storedAs: string): void {
    this.remove.run(storedAs);
  }

  /** Completes every pending erasure in InfluxDB; throws the client's InfluxError when it cannot (the rest stay). */
  async complete(influx: InfluxClient): Promise<number> {
    let n = 0;
    for (const { user } of this.list()) {
      await eraseFromInflux(influx, user);
      this.done(user);
      n++;
    }
    return n;
  }
}

export interface InfluxErasure {
  /** Series removed (1.x), null where it cannot be counted (2.x). */
  series_removed: number | null;
  active_day_points: number;
}

/** Every InfluxDB series tagged with the user, and the user's active-user points (active_days, group_active_days). */
export async function eraseFromInflux(influx: InfluxClient, storedAs: string): Promise<InfluxErasure> {
  const tagValue = storableTag(storedAs);
  const before = await countSeries(influx, tagValue);
  await influx.deleteUser(tagValue, USER_TAGGED);
  let activeDayPoints = 0;
  for (const measurement of USER_FIELDED)
    activeDayPoints += await influx.deleteWhereField(measurement, 'user', storedAs);
  return { series_removed: before, active_day_points: activeDayPoints };
}

/** Series tagged with the user (1.x); null where SHOW SERIES is not available (2.x). */
export async function countSeries(influx: InfluxClient, user: string): Promise<number | null> {
  if (influx.target.api !== 'v1') return null;
  const [result] = await influx.query(
    `SHOW SERIES FROM ${USER_TAGGED.map(quoteIdentifier).join(', ')} WHERE "user" = ${quoteString(user)}`
  );
  return result?.series?.reduce((n, s) => n + s.values.length, 0) ?? 0;
}
