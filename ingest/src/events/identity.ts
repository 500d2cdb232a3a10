import { createHash } from 'node:crypto';
import type { KiboticsEvent } from './types.js';

/**
 * What makes two deliveries the same event: the client's `id` when it gave one, else the event's
 * content with its time (without the IP address, which must not shape anything stored). Re-posting or
 * re-importing an event therefore changes nothing. An event with neither `id` nor a `time` of its
 * own has nothing a retry could be recognised by: each one accepted is a new event.
 */
export interface Identity {
  /** 8 bytes: the dedup key; empty when the event has no identity (and so repeats nothing). */
  key: Buffer;
  /** The client's `id` is the identity: a repeat is recognised whatever its time (for a while: see SeenEvents). */
  byId: boolean;
  /**
   * 0–999,999: where the search for the event's sub-millisecond offset starts (SeenEvents assigns
   * the offset). Derived from the identity, so the same event accepted by two writers lands on the
   * same point.
   */
  start: number;
}

const NONE = Buffer.alloc(0);

export function identify(event: KiboticsEvent): Identity {
  const byId = event.id !== undefined;
  const content = byId
    ? `id\u0000${event.type}\u0000${event.id}`
    : JSON.stringify([
        event.type,
        event.time,
        event.user,
        event.group,
        event.session_id,
        event.user_agent,
        event.simulation_type,
        event.exercise,
        event.host,
        event.reason,
        event.path,
        event.referrer,
        event.status,
        event.message,
        // Appended only when present, so the identities of events already stored stay as they were.
        ...(event.started_at === undefined ? [] : [event.started_at]),
      ]);
  const digest = createHash('sha256').update(content).digest();
  const anonymous = !byId && event.stamped === true;
  return { key: anonymous ? NONE : digest.subarray(0, 8), byId, start: digest.readUInt32BE(8) % 1_000_000 };
}
