/**
 * The event contract, declared once in @kibotics/schema (EVENTS: one spec per type); what the gateway
 * adds to it after validation lives here.
 */
import type { AnyEvent } from '@kibotics/schema';

export { EVENT_TYPES, type EventOf, type EventType } from '@kibotics/schema';

/**
 * A validated event: a discriminated union on `type`. `user` is absent for anonymous users; `time` is
 * epoch milliseconds; `id` is the client's idempotency key (when absent the content is the identity).
 */
export type KiboticsEvent = AnyEvent & {
  /** Not a wire field: the client sent no `time`, the gateway stamped the time of receipt. */
  stamped?: true;
};

/** The platform's placeholders for "nobody logged in" (`AnonymusUser` is Kibotics' own spelling). */
export const ANONYMOUS_USERS: ReadonlySet<string> = new Set(['AnonymusUser', 'AnonymousUser']);
