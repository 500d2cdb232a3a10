import { createHash } from 'node:crypto';
import type { KiboticsEvent } from './types.js';

/**
 * What makes two deliveries the same event: the client's `id` when it gave one, else the event's
 * content (without the IP address, which must not shape anything stored). Re-posting or re-importing
 * an event therefore changes nothing.
 */
export interface Identity {
  /** 8 bytes: the key of the dedup set. */
  key: Buffer;
  /** 0–999,999: sub-millisecond nanoseconds added to the point's time so distinct events never overwrite each other in InfluxDB. */
  nanos: number;
}

export function identify(event: KiboticsEvent): Identity {
  const content =
    event.id !== undefined
      ? `id\u0000${event.type}\u0000${event.id}`
      : JSON.stringify([
          event.type, event.time, event.user, event.group, event.session_id, event.user_agent,
          event.simulation_type, event.exercise, event.host, event.reason, event.path, event.referrer,
          event.status, event.message,
          // Appended only when present, so the identities of events already stored stay as they were.
          ...(event.started_at === undefined ? [] : [event.started_at]),
        ]);
  const digest = createHash('sha256').update(content).digest();
  return { key: digest.subarray(0, 8), nanos: digest.readUInt32BE(8) % 1_000_000 };
}
