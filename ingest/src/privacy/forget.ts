import type { ActiveUsers } from '../pipeline/active-users.js';
import type { InfluxClient } from '../influx/client.js';
import { InfluxError } from '../influx/errors.js';
import type { Pairer } from '../pairing/pairing.js';
import type { Spool } from '../spool/spool.js';
import type { Db } from '../store/database.js';
import type { WalSync } from '../store/wal-sync.js';
import { eraseFromInflux, type InfluxErasure, type PendingErasures } from './erasures.js';

export interface ForgetReport {
  user: string;
  /** The value the user is stored under (its pseudonym with USER_ID_MODE=hmac). */
  stored_as: string;
  /** What was erased in InfluxDB, or null while that is pending. */
  influxdb: InfluxErasure | null;
  /** Set when InfluxDB could not be reached: the erasure there waits in the gateway's state. */
  pending?: { reason: string };
  gateway: { spool_lines: number; dead_letters: number; open_starts: number; active_days: number };
}

export interface ForgetParts {
  db: Db;
  influx: InfluxClient;
  spool: Spool;
  pairer: Pairer;
  activeUsers: ActiveUsers;
  walSync: WalSync;
  erasures: PendingErasures;
}

/**
 * Erases one user everywhere the product keeps data: first the gateway's own state (so nothing of
 * theirs still waiting can reach InfluxDB afterwards) and, in the same transaction, a pending
 * erasure in InfluxDB; then every InfluxDB series tagged with them. When InfluxDB cannot be reached
 * the erasure stays pending: a gateway delivering on this DATA_DIR completes it before it writes
 * anything else. Roll-ups hold no users and stay. The dedup keys stay too: they are one-way hashes,
 * and they keep a later re-import of old logs from bringing the user back.
 */
export async function forgetUser(
  parts: ForgetParts,
  user: string,
  storedAs: string,
  now = Date.now()
): Promise<ForgetReport> {
  const gateway = parts.db.transaction(() => {
    const fromSpool = parts.spool.forgetUser(storedAs);
    const openStarts = parts.pairer.forgetUser(storedAs);
    const activeDays = parts.activeUsers.forgetUser(storedAs);
    parts.erasures.add(storedAs, now);
    return {
      spool_lines: fromSpool.lines,
      dead_letters: fromSpool.deadLetters,
      open_starts: openStarts,
      active_days: activeDays,
    };
  })();
  await parts.walSync.sync(); // the erasure survives a power cut like any acknowledged write

  let influxdb: InfluxErasure;
  try {
    influxdb = await eraseFromInflux(parts.influx, storedAs);
    // A batch a running gateway had in flight at that moment may land just after: look again.
    await new Promise((r) => setTimeout(r, 1000));
    await eraseFromInflux(parts.influx, storedAs);
  } catch (err) {
    if (!(err instanceof InfluxError)) throw err;
    return { user, stored_as: storedAs, influxdb: null, pending: { reason: err.message }, gateway };
  }
  parts.erasures.done(storedAs);
  await parts.walSync.sync();
  return { user, stored_as: storedAs, influxdb, gateway };
}
