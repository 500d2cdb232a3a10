import { EVENTS, type EventSpec, type PairKind } from '@kibotics/schema';
import type { Db } from '../store/database.js';
import type { EnrichedEvent } from '../enrich/enrich.js';

/** What pairing found for an end event: when its start was (durations come from it). */
export interface Pairing {
  startedAt?: number;
  /** Attributes of the start the end did not repeat (its group). */
  group?: string;
}

/**
 * Pairs ends with their starts, so durations are computed once, at write time, and no dashboard has
 * to join starts and ends at read time. Open starts live in the gateway's database: they survive a
 * restart. The rules (README "Pairing"):
 *  - an end carrying `started_at` pairs with that time, whatever this instance's store holds (so it
 *    pairs on any of N gateways);
 *  - else an end pairs with the start of the same `session_id` when both carry one, else with the
 *    latest open start of the same user (and, for simulations, the same exercise and simulation type);
 *  - a second start of the same key replaces the first: the first stays counted as a start that
 *    never ended;
 *  - an end with no open start, or whose start is older than `maxOpenMs`, is written without a duration;
 *  - an open start is forgotten (forgetOlderThan, hourly) once `maxOpenMs` has passed both since its
 *    time and since it reached the gateway (by the gateway's clock): a backlog of old events, posted
 *    or imported now, still pairs; an end arriving after that is written without a duration.
 */
export class Pairer {
  private readonly insert;
  private readonly byKey;
  private readonly latestByMatch;
  private readonly remove;
  private readonly prune;
  private readonly eraseUser;

  constructor(
    db: Db,
    private readonly maxOpenMs: number,
    /** The gateway's clock: when a start arrived. */
    private readonly now: () => number = Date.now
  ) {
    this.insert = db.prepare(
      'INSERT OR REPLACE INTO open_start (kind, key, match, time, carried, arrived_at) VALUES (?, ?, ?, ?, ?, ?)'
    );
    this.byKey = db.prepare<[string, string, number, number]>(
      'SELECT key, time, carried FROM open_start WHERE kind = ? AND key = ? AND time <= ? AND time >= ?'
    );
    this.latestByMatch = db.prepare<[string, string, number, number]>(
      'SELECT key, time, carried FROM open_start WHERE kind = ? AND match = ? AND time <= ? AND time >= ? ORDER BY time DESC LIMIT 1'
    );
    this.remove = db.prepare('DELETE FROM open_start WHERE kind = ? AND key = ?');
    this.prune = db.prepare('DELETE FROM open_start WHERE time < :oldest AND arrived_at < :oldest');
    // Sessions match on the user; simulations on "user\0type\0exercise".
    this.eraseUser = db.prepare(
      // A range, not substr(): SQLite's text functions stop at the NUL that separates the parts.
      "DELETE FROM open_start WHERE match = :u OR (kind = 'simulation' AND match >= :u || char(0) AND match < :u || char(1))"
    );
  }

  /** Records a start or closes an end; call inside the transaction that spools the event's points. */
  apply(event: EnrichedEvent): Pairing {
    const keys = pairingKeys(event);
    if (!keys) return {};
    if (keys.start) {
      this.insert.run(keys.kind, keys.key, keys.match, event.time, JSON.stringify({ group: event.group }), this.now());
      return {};
    }
    const oldest = event.time - this.maxOpenMs;
    type Row = { key: string; time: number; carried: string };
    const row = ((event.session_id !== undefined
      ? this.byKey.get(keys.kind, keys.key, event.time, oldest)
      : undefined) ?? this.latestByMatch.get(keys.kind, keys.match, event.time, oldest)) as Row | undefined;
    const startedAt = event.started_at;
    if (startedAt === undefined) {
      if (!row) return {};
      this.remove.run(keys.kind, row.key);
      return { startedAt: row.time, group: groupOf(row.carried) };
    }
    // The end says when its start was: it pairs whether or not the start reached this instance. A
    // local start at or before that time is this session's (or one it replaced): it must not pair
    // again; a later one is another session's and stays open.
    if (row && row.time <= startedAt) this.remove.run(keys.kind, row.key);
    if (startedAt < oldest) return {};
    return { startedAt, group: row?.time === startedAt ? groupOf(row.carried) : undefined };
  }

  /** Erases a user's open starts (the right to erasure); returns how many. */
  forgetUser(user: string): number {
    return this.eraseUser.run({ u: user }).changes;
  }

  /**
   * Forgets the starts that can no longer pair: older than the longest session or simulation allowed
   * at `now` (the gateway's clock), and arrived longer ago than that. Returns how many.
   */
  forgetOlderThan(now: number): number {
    return this.prune.run({ oldest: now - this.maxOpenMs }).changes;
  }
}

function groupOf(carried: string): string | undefined {
  return (JSON.parse(carried) as { group?: string }).group;
}

interface Keys {
  kind: PairKind;
  start: boolean;
  /** Exact identity of an open start: two starts with the same key are one replacing the other. */
  key: string;
  /** What an end without a session id pairs on. */
  match: string;
}

/**
 * An open start's key, from what its start and end share (`match`, the spec's `pairs.on`) and its
 * session id: a session id names a session by itself, a simulation only within its user and exercise.
 */
const KEY_OF: Record<PairKind, (match: string, sid: string) => string> = {
  session: (match, sid) => (sid ? `sid${sid}` : `user\u0000${match}`),
  simulation: (match, sid) => `${match}${sid}`,
};

function pairingKeys(event: EnrichedEvent): Keys | undefined {
  // Anonymous starts and ends cannot be told apart: they are counted, never paired.
  if (event.user === undefined) return undefined;
  const pairs = (EVENTS[event.type] as EventSpec).pairs;
  if (!pairs) return undefined;
  const sid = event.session_id === undefined ? '' : `\u0000${event.session_id}`;
  const fields = event as unknown as Record<string, string | undefined>;
  const match = pairs.on.map((f) => fields[f]).join('\u0000');
  return { kind: pairs.kind, start: pairs.role === 'start', key: KEY_OF[pairs.kind](match, sid), match };
}
