/**
 * "Accept these events": the one use case behind every way in (POST /v1/events, POST /v1/logs,
 * `import`, `demo`, the bench). It takes a batch of candidates, validates each, submits the valid
 * ones to the pipeline, counts, and says what was accepted and what was refused and why. Ways in
 * only adapt their transport: decoding, HTTP status codes, the CLI's summary, the demo's pacing.
 *
 * The counting rule (README "GET /metrics"): a batch is counted once its fate is known, all at once.
 * - A candidate is what a way in offers as an event: a decoded entry, a log line that is not blank
 *   (an event, or a line refused before it could be one: broken UTF-8 or JSON, a skipped line).
 * - A batch taken: every candidate counts as received, and as exactly one of accepted (newly
 *   stored), duplicate or rejected (by reason): received = accepted + duplicates + rejected.
 * - A batch refused whole (too many candidates, no room in the spool or on the disk, a body that
 *   cannot be read, authentication) counts no event at all: its way in counts the refused request.
 */
import { KNOWN_FIELDS } from '@kibotics/schema';
import type { KiboticsEvent } from '../events/types.js';
import { DEFAULT_LIMITS, validateEvent, type EventError, type ValidationLimits } from '../events/validate.js';
import type { Committed } from './pipeline.js';

/** Why a candidate was refused before validation: a metric label from a fixed set, like the field names. */
export type DecodeReason = 'json' | 'utf8' | 'line';

/** An event offered by a way in, `at` naming it as that way does (an index in a body, a file and line). */
export type Candidate<At> = { at: At; raw: unknown } | { at: At; refused: { reason: DecodeReason; error: string } };

export interface Refusal<At> {
  at: At;
  /** A metric label: the field at fault (or `unknown_field`), or a DecodeReason. */
  reason: string;
  /** `field: problem`, for the sender. */
  error: string;
}

export interface Outcome<At> extends Committed {
  /** Candidates taken: accepted + duplicates + rejected.length. */
  received: number;
  /** Candidates that passed validation (in a dry run, what would have been submitted). */
  valid: number;
  /** In the candidates' order. */
  rejected: Refusal<At>[];
}

/** Where the counts go (GatewayMetrics' counters). */
export interface AcceptCounters {
  received: { inc(n: number): void };
  accepted: { inc(n: number): void };
  duplicates: { inc(n: number): void };
  rejected: { inc(labels: { reason: string }, n: number): void };
}

export interface AcceptParts {
  /** The pipeline's submit; absent: a dry run (validates and counts, stores nothing). */
  submit?: (events: KiboticsEvent[]) => Promise<Committed>;
  counters?: AcceptCounters;
  /** The time given to events sent without one (when the batch was received). */
  now: () => number;
  limits?: ValidationLimits;
}

export class Accept {
  constructor(private readonly parts: AcceptParts) {}

  /**
   * Validates, submits, then counts. Rejects (counting nothing) when the pipeline refuses the
   * batch whole (SpoolFullError, DiskFullError): the way in says "try again later".
   */
  async accept<At>(candidates: readonly Candidate<At>[]): Promise<Outcome<At>> {
    const receivedAt = this.parts.now();
    const limits = this.parts.limits ?? DEFAULT_LIMITS;
    const events: KiboticsEvent[] = [];
    const rejected: Refusal<At>[] = [];
    for (const c of candidates) {
      if ('refused' in c) {
        rejected.push({ at: c.at, reason: c.refused.reason, error: c.refused.error });
        continue;
      }
      const result = validateEvent(c.raw, receivedAt, limits);
      if (result.ok) events.push(result.event);
      else rejected.push({ at: c.at, reason: reasonOf(result.error), error: result.error.message });
    }
    const { submit, counters } = this.parts;
    const committed =
      submit && events.length > 0 ? await submit(events) : { accepted: 0, duplicates: 0, pastRetention: 0 };
    if (counters) {
      counters.received.inc(candidates.length);
      counters.accepted.inc(committed.accepted);
      counters.duplicates.inc(committed.duplicates);
      const byReason = new Map<string, number>();
      for (const r of rejected) byReason.set(r.reason, (byReason.get(r.reason) ?? 0) + 1);
      for (const [reason, n] of byReason) counters.rejected.inc({ reason }, n);
    }
    return { ...committed, received: candidates.length, valid: events.length, rejected };
  }
}

/** A metric label from a fixed set, the contract's names: a field name a client invented must not become a series. */
function reasonOf(error: EventError): string {
  return KNOWN_FIELDS.has(error.field) ? error.field : 'unknown_field';
}
