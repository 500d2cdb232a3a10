/**
 * The event contract: what Kibotics (or any client) posts to /v1/events, after validation.
 * Field names are the wire names of the HTTP contract (README "Events"), so code, docs and importers
 * speak one vocabulary.
 */

export const EVENT_TYPES = [
  'session_start',
  'session_end',
  'simulation_start',
  'simulation_end',
  'visit',
  'error',
] as const;

export type EventType = (typeof EVENT_TYPES)[number];

/** A validated event. `user` is absent for anonymous users; `time` is epoch milliseconds. */
export interface KiboticsEvent {
  type: EventType;
  time: number;
  /** Client-chosen idempotency key; when absent the event's content is its identity. */
  id?: string;
  /** Not a wire field: the client sent no `time`, the gateway stamped the time of receipt. */
  stamped?: true;
  user?: string;
  group?: string;
  session_id?: string;
  client_ip?: string;
  user_agent?: string;
  simulation_type?: string;
  exercise?: string;
  host?: string;
  container?: string;
  /**
   * session_end, simulation_end: when the start was (epoch ms). An end carrying it pairs by itself, on
   * any gateway instance, without the open start having to be in this instance's store.
   */
  started_at?: number;
  /** session_end: why the session ended (`logout`, `inactivity`, or another short word). */
  reason?: string;
  path?: string;
  referrer?: string;
  status?: number;
  message?: string;
}

/** The platform's placeholders for "nobody logged in" (`AnonymusUser` is Kibotics' own spelling). */
export const ANONYMOUS_USERS: ReadonlySet<string> = new Set(['AnonymusUser', 'AnonymousUser']);
