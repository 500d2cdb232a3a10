import { createHash } from 'node:crypto';
import { EVENT_FIELDS, type EventField } from '@kibotics/schema';
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

/**
 * The content identity of the first release, frozen: every one of these holds a place (null when
 * absent), in this order, so the keys of events already stored stay as they were. Never edit it.
 */
const FIRST_RELEASE: readonly EventField[] = [
  'user',
  'group',
  'session_id',
  'user_agent',
  'simulation_type',
  'exercise',
  'host',
  'reason',
  'path',
  'referrer',
  'status',
  'message',
];

/**
 * Every later field of the contract that is part of an identity (EVENT_FIELDS' order): appended only
 * when present, so an event without it keeps the identity it had before the field existed.
 */
const LATER: readonly EventField[] = (Object.keys(EVENT_FIELDS) as EventField[]).filter(
  (f) => !FIRST_RELEASE.includes(f) && (EVENT_FIELDS[f] as { identity?: false }).identity !== false
);

export function identify(event: KiboticsEvent): Identity {
  const byId = event.id !== undefined;
  const fields = event as unknown as Record<EventField, string | number | undefined>;
  const content = byId
    ? `id\u0000${event.type}\u0000${event.id}`
    : JSON.stringify([
        event.type,
        event.time,
        ...FIRST_RELEASE.map((f) => fields[f]),
        ...LATER.flatMap((f) => (fields[f] === undefined ? [] : [fields[f]])),
      ]);
  const digest = createHash('sha256').update(content).digest();
  const anonymous = !byId && event.stamped === true;
  return { key: anonymous ? NONE : digest.subarray(0, 8), byId, start: digest.readUInt32BE(8) % 1_000_000 };
}
