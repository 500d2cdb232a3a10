import { ipOf, MASK } from '../enrich/addresses.js';
import type { EnrichedEvent } from '../enrich/enrich.js';
import { line, nanoseconds, type Tags } from './line-protocol.js';
import { RAW, ROLLUP_BUCKET_MS, SESSION_LENGTHS, sessionLengthClass, type RollupName } from '@kibotics/schema';

/** What pairing found for an end event: when its start was (durations come from it). */
export interface Pairing {
  startedAt?: number;
  /** Attributes of the start the end did not repeat (its group). */
  group?: string;
}

/** An addition to one roll-up bucket. */
export interface RollupIncrement {
  rollup: RollupName;
  tags: Tags;
  bucket: number;
  add: Record<string, number>;
}

export interface Points {
  /** Per-user points: kept RETENTION_DAYS. */
  lines: string[];
  /** Points without user or class, kept with the roll-ups. */
  anonymous?: string[];
  rollups: RollupIncrement[];
}

const bool = (b: boolean) => (b ? 'true' : 'false');

/**
 * The points one event becomes: its raw point and its additions to the roll-ups. `nanos`: the
 * event's sub-millisecond offset, unique in its millisecond (SeenEvents), so its points overwrite no other.
 */
export function buildPoints(event: EnrichedEvent, nanos: number, pairing: Pairing = {}): Points {
  const time = nanoseconds(event.time, nanos);
  const group = event.group ?? pairing.group;
  const client = {
    os: event.os,
    browser: event.browser,
    device: event.device,
    country: event.country,
    bot: bool(event.bot),
  };
  const durationS = pairing.startedAt === undefined ? undefined : (event.time - pairing.startedAt) / 1000;
  const paired: Record<string, number> = durationS === undefined ? {} : { duration_s: durationS };
  const bucket = bucketOf(event.time);

  switch (event.type) {
    case 'session_start':
      return {
        lines: [line(RAW.session_start, { user: event.user, group, ...client }, { ints: { count: 1 } }, time)],
        rollups: [
          { rollup: 'sessions', tags: { bot: client.bot }, bucket, add: { starts: 1 } },
          ...perGroup(group, client.bot, bucket, { sessions: 1 }),
        ],
      };
    case 'session_end':
      return {
        lines: [
          line(
            RAW.session_end,
            { user: event.user, group, reason: event.reason, ...client },
            { ints: { count: 1 }, floats: paired },
            time
          ),
        ],
        anonymous:
          durationS === undefined
            ? undefined
            : [
                line(
                  SESSION_LENGTHS,
                  { bot: client.bot, reason: event.reason, length: sessionLengthClass(durationS) },
                  { floats: { duration_s: durationS } },
                  time
                ),
              ],
        rollups: [
          {
            rollup: 'sessions',
            tags: { bot: client.bot, reason: event.reason },
            bucket,
            add: { ends: 1, ...(durationS === undefined ? {} : { paired: 1, duration_s: durationS }) },
          },
        ],
      };
    case 'simulation_start':
    case 'simulation_end': {
      const tags = { exercise: event.exercise, simulation_type: event.simulation_type };
      const raw = line(
        event.type === 'simulation_start' ? RAW.simulation_start : RAW.simulation_end,
        { user: event.user, group, ...tags, ...client },
        { ints: { count: 1 }, floats: event.type === 'simulation_end' ? paired : {}, strings: { host: event.host } },
        time
      );
      const rollupTags = { ...tags, bot: client.bot };
      if (event.type === 'simulation_start') {
        return {
          lines: [raw],
          rollups: [
            { rollup: 'simulations', tags: rollupTags, bucket, add: { starts: 1 } },
            ...perGroup(group, client.bot, bucket, { simulations: 1 }),
          ],
        };
      }
      const ended = { ends: 1, ...(durationS === undefined ? {} : { paired: 1, duration_s: durationS }) };
      const rollups: RollupIncrement[] = [{ rollup: 'simulations', tags: rollupTags, bucket, add: ended }];
      if (group !== undefined)
        rollups.push({ rollup: 'groupExercises', tags: { ...rollupTags, group }, bucket, add: ended });
      if (pairing.startedAt !== undefined) {
        for (const [b, minutes] of spreadMinutes(pairing.startedAt, event.time)) {
          rollups.push(
            { rollup: 'simulations', tags: rollupTags, bucket: b, add: { minutes } },
            ...perGroup(group, client.bot, b, { minutes })
          );
        }
      }
      return { lines: [raw], rollups };
    }
    case 'visit':
      return {
        lines: [
          line(
            RAW.visit,
            { user: event.user, ...client },
            { ints: { count: 1 }, strings: { path: cleanPath(event.path), referrer: referrerHost(event.referrer) } },
            time
          ),
        ],
        rollups: [
          {
            rollup: 'visits',
            tags: {
              os: event.os,
              browser: event.browser,
              device: event.device,
              country: event.country,
              bot: client.bot,
              anonymous: bool(event.user === undefined),
            },
            bucket,
            add: { visits: 1 },
          },
        ],
      };
    case 'error': {
      const status = String(event.status ?? 500);
      return {
        lines: [
          line(
            RAW.error,
            { status },
            { ints: { count: 1 }, strings: { path: cleanPath(event.path), message: event.message } },
            time
          ),
        ],
        rollups: [{ rollup: 'errors', tags: { status }, bucket, add: { errors: 1 } }],
      };
    }
  }
}

/**
 * Adds up the increments of many events by roll-up bucket, so a request of 100 events of the same
 * quarter hour updates each of its buckets once instead of 100 times.
 */
export class RollupSum {
  private readonly sums = new Map<string, RollupIncrement>();

  add(increments: RollupIncrement[]): void {
    for (const inc of increments) {
      const key = `${inc.rollup}\u0000${inc.bucket}\u0000${JSON.stringify(inc.tags)}`;
      const sum = this.sums.get(key);
      if (!sum) {
        this.sums.set(key, { ...inc, add: { ...inc.add } });
        continue;
      }
      for (const [field, value] of Object.entries(inc.add)) sum.add[field] = (sum.add[field] ?? 0) + value;
    }
  }

  increments(): RollupIncrement[] {
    return [...this.sums.values()];
  }
}

/** The per-class increment, for events of a known group. */
function perGroup(
  group: string | undefined,
  bot: string,
  bucket: number,
  add: Record<string, number>
): RollupIncrement[] {
  return group === undefined ? [] : [{ rollup: 'groups', tags: { group, bot }, bucket, add }];
}

export function bucketOf(ms: number): number {
  return Math.floor(ms / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
}

/** Splits [start, end) into the minutes it spends in each 15-minute bucket: 10:50–11:20 → 10 in 10:45, 15 in 11:00, 5 in 11:15. */
export function spreadMinutes(start: number, end: number): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let b = bucketOf(start); b < end; b += ROLLUP_BUCKET_MS) {
    const from = Math.max(start, b);
    const to = Math.min(end, b + ROLLUP_BUCKET_MS);
    if (to > from) out.push([b, (to - from) / 60_000]);
  }
  return out;
}

/** Paths keep no query string or fragment: those carry tokens, searches and names. */
function cleanPath(path: string | undefined): string | undefined {
  if (path === undefined) return undefined;
  const end = path.search(/[?#]/);
  return end === -1 ? path : path.slice(0, end);
}

/** Only the referring site is kept, not the page (which may name a person or carry a token). */
function referrerHost(referrer: string | undefined): string | undefined {
  if (referrer === undefined) return undefined;
  try {
    const url = new URL(referrer);
    // A referrer by address is a person's machine as often as a site: mask it, as in path and message.
    if (ipOf(url.hostname) !== undefined) return MASK;
    return url.host || undefined;
  } catch {
    return undefined;
  }
}
