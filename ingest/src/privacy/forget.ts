import type { ActiveUsers } from '../pipeline/active-users.js';
import type { InfluxClient } from '../influx/client.js';
import { quoteIdentifier, quoteString } from '../influx/client.js';
import type { Pairer } from '../pairing/pairing.js';
import { storableTag } from '../points/line-protocol.js';
import { ACTIVE_USERS, USER_TAGGED } from '../points/schema.js';
import type { Spool } from '../spool/spool.js';
import type { WalSync } from '../store/wal-sync.js';

export interface ForgetReport {
  user: string;
  /** The value the user is stored under (its pseudonym with USER_ID_MODE=hmac). */
  stored_as: string;
  influxdb: { series_removed: number | null; active_day_points: number };
  gateway: { spool_lines: number; dead_letters: number; open_starts: number; active_days: number };
}

export interface ForgetParts {
  influx: InfluxClient;
  spool: Spool;
  pairer: Pairer;
  activeUsers: ActiveUsers;
  walSync: WalSync;
}

/**
 * Erases one user everywhere the product keeps data: first the gateway's own state (so nothing of
 * theirs still waiting can reach InfluxDB afterwards), then every InfluxDB series tagged with them.
 * Roll-ups hold no users and stay. The dedup keys stay too: they are one-way hashes, and they keep a
 * later re-import of old logs from bringing the user back.
 */
export async function forgetUser(parts: ForgetParts, user: string, storedAs: string): Promise<ForgetReport> {
  const tagValue = storableTag(storedAs);
  const fromSpool = parts.spool.forgetUser(storedAs);
  const openStarts = parts.pairer.forgetUser(storedAs);
  const activeDays = parts.activeUsers.forgetUser(storedAs);
  await parts.walSync.sync(); // the erasure survives a power cut like any acknowledged write

  const before = await countSeries(parts.influx, tagValue);
  await parts.influx.deleteUser(tagValue, USER_TAGGED);
  const activeDayPoints = await parts.influx.deleteWhereField(ACTIVE_USERS, 'user', storedAs);
  // A batch a running gateway had in flight at that moment may land just after: look again.
  await new Promise((r) => setTimeout(r, 1000));
  if ((await countSeries(parts.influx, tagValue)) !== 0) await parts.influx.deleteUser(tagValue, USER_TAGGED);
  await parts.influx.deleteWhereField(ACTIVE_USERS, 'user', storedAs);

  return {
    user,
    stored_as: storedAs,
    influxdb: { series_removed: before, active_day_points: activeDayPoints },
    gateway: { spool_lines: fromSpool.lines, dead_letters: fromSpool.deadLetters, open_starts: openStarts, active_days: activeDays },
  };
}

/** Series tagged with the user (1.x); null where SHOW SERIES is not available (2.x). */
async function countSeries(influx: InfluxClient, user: string): Promise<number | null> {
  if (influx.target.api !== 'v1') return null;
  const [result] = await influx.query(`SHOW SERIES FROM ${USER_TAGGED.map(quoteIdentifier).join(', ')} WHERE "user" = ${quoteString(user)}`);
  return result?.series?.reduce((n, s) => n + s.values.length, 0) ?? 0;
}
