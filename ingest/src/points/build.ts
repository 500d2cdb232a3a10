import {
  EVENTS,
  EVENT_TYPES,
  RAW,
  ROLLUP_BUCKET_MS,
  SESSION_LENGTH_GRID_MINUTES,
  SESSION_LENGTHS,
  USER_TAGGED,
  sessionLengthClass,
  sessionsBelow,
  type EventType,
  type RawField,
  type RawPointSpec,
  type RawTag,
  type RollupName,
} from '@kibotics/schema';
import { ipOf, MASK } from '../enrich/addresses.js';
import type { EnrichedEvent } from '../enrich/enrich.js';
import type { Pairing } from '../pairing/pairing.js';
import { line, nanoseconds, type Tags } from './line-protocol.js';

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
  /** The user those lines carry, which erasure finds them by (none: anonymous, or an error's point). */
  user?: string;
  /** Points without user or class, kept with the roll-ups. */
  anonymous?: string[];
  rollups: RollupIncrement[];
}

const bool = (b: boolean) => (b ? 'true' : 'false');

/** An enriched event of one type: what its entry in DERIVED receives. */
type EnrichedOf<T extends EventType> = Extract<EnrichedEvent, { type: T }>;

/** What an event's points are made of besides the event itself. */
interface Context {
  /** The event's class, or its start's. */
  group?: string;
  bot: string;
  /** From pairing: seconds since the start. */
  durationS?: number;
  startedAt?: number;
  bucket: number;
  /** The event's sub-millisecond offset: points at the event's time take it too. */
  nanos: number;
}

/** How each tag a raw point may carry (README "Schema") is filled: a tag the schema adds must be filled here. */
const TAG: Record<RawTag, (e: EnrichedEvent, c: Context) => string | undefined> = {
  user: (e) => e.user,
  group: (_, c) => c.group,
  reason: (e) => e.reason,
  exercise: (e) => e.exercise,
  simulation_type: (e) => e.simulation_type,
  os: (e) => e.os,
  browser: (e) => e.browser,
  device: (e) => e.device,
  country: (e) => e.country,
  bot: (_, c) => c.bot,
  // An error without a status is the server's.
  status: (e) => String(e.status ?? 500),
};

/** How each field of a raw point is filled; undefined leaves it out (an end without a start has no duration). */
const FIELD: Record<RawField, (e: EnrichedEvent, c: Context) => number | string | undefined> = {
  count: () => 1,
  duration_s: (_, c) => c.durationS,
  host: (e) => e.host,
  path: (e) => cleanPath(e.path),
  referrer: (e) => referrerHost(e.referrer),
  message: (e) => e.message,
};

/** Each type's raw point as its spec declares it, resolved once: the fillers of its tags and typed fields. */
const RAW_POINTS = Object.fromEntries(
  EVENT_TYPES.map((type) => {
    const spec: RawPointSpec = EVENTS[type].raw;
    return [
      type,
      {
        measurement: spec.measurement,
        tags: spec.tags.map((tag) => [tag, TAG[tag as RawTag]] as const),
        fields: Object.entries(spec.fields).map(([name, kind]) => [name, kind, FIELD[name as RawField]] as const),
      },
    ];
  })
);

function rawLine(event: EnrichedEvent, c: Context, time: string): string {
  const point = RAW_POINTS[event.type]!;
  const tags: Tags = {};
  for (const [tag, fill] of point.tags) tags[tag] = fill(event, c);
  const fields = { ints: {} as Record<string, number>, floats: {} as Record<string, number>, strings: {} as Tags };
  for (const [name, kind, fill] of point.fields) {
    const value = fill(event, c);
    if (value === undefined) continue;
    if (kind === 'string') fields.strings[name] = String(value);
    else (kind === 'integer' ? fields.ints : fields.floats)[name] = Number(value);
  }
  return line(point.measurement, tags, fields, time);
}

/**
 * What each event type adds beside its raw point: roll-up increments, and points kept with the
 * roll-ups (anonymous). One entry per type: the compiler asks for it when EVENTS gains a type.
 */
const DERIVED: { [T in EventType]: (event: EnrichedOf<T>, c: Context) => Omit<Points, 'lines'> } = {
  session_start: (_, c) => ({
    rollups: [
      { rollup: 'sessions', tags: { bot: c.bot }, bucket: c.bucket, add: { starts: 1 } },
      ...perGroup(c.group, c.bot, c.bucket, { sessions: 1 }),
    ],
  }),
  session_end: (e, c) => ({
    anonymous:
      c.durationS === undefined
        ? undefined
        : [
            line(
              SESSION_LENGTHS,
              { bot: c.bot, reason: e.reason, length: sessionLengthClass(c.durationS) },
              { floats: { duration_s: c.durationS } },
              nanoseconds(e.time, c.nanos)
            ),
          ],
    rollups: [
      {
        rollup: 'sessions',
        tags: { bot: c.bot, reason: e.reason },
        bucket: c.bucket,
        add: { ends: 1, ...(c.durationS === undefined ? {} : { paired: 1, duration_s: c.durationS }) },
      },
      ...(c.durationS === undefined
        ? []
        : [
            {
              rollup: 'sessionLengths' as const,
              tags: { bot: c.bot },
              bucket: c.bucket,
              add: lengthCounts(c.durationS),
            },
          ]),
    ],
  }),
  simulation_start: (e, c) => ({
    rollups: [
      { rollup: 'simulations', tags: simulationTags(e, c), bucket: c.bucket, add: { starts: 1 } },
      ...perGroup(c.group, c.bot, c.bucket, { simulations: 1 }),
    ],
  }),
  simulation_end: (e, c) => {
    const tags = simulationTags(e, c);
    const ended = { ends: 1, ...(c.durationS === undefined ? {} : { paired: 1, duration_s: c.durationS }) };
    const rollups: RollupIncrement[] = [{ rollup: 'simulations', tags, bucket: c.bucket, add: ended }];
    if (c.group !== undefined)
      rollups.push({ rollup: 'groupExercises', tags: { ...tags, group: c.group }, bucket: c.bucket, add: ended });
    if (c.startedAt !== undefined) {
      for (const [b, minutes] of spreadMinutes(c.startedAt, e.time)) {
        rollups.push(
          { rollup: 'simulations', tags, bucket: b, add: { minutes } },
          ...perGroup(c.group, c.bot, b, { minutes })
        );
      }
    }
    return { rollups };
  },
  visit: (e, c) => ({
    rollups: [
      {
        rollup: 'visits',
        tags: {
          os: e.os,
          browser: e.browser,
          device: e.device,
          country: e.country,
          bot: c.bot,
          anonymous: bool(e.user === undefined),
        },
        bucket: c.bucket,
        add: { visits: 1 },
      },
      {
        rollup: 'visitTotals',
        tags: { bot: c.bot, anonymous: bool(e.user === undefined) },
        bucket: c.bucket,
        add: { visits: 1 },
      },
    ],
  }),
  error: (e, c) => ({
    rollups: [{ rollup: 'errors', tags: { status: TAG.status(e, c) }, bucket: c.bucket, add: { errors: 1 } }],
  }),
};

const simulationTags = (e: EnrichedOf<'simulation_start' | 'simulation_end'>, c: Context): Tags => ({
  exercise: e.exercise,
  simulation_type: e.simulation_type,
  bot: c.bot,
});

/**
 * The points one event becomes: its raw point and its additions to the roll-ups. `nanos`: the
 * event's sub-millisecond offset, unique in its millisecond (SeenEvents), so its points overwrite no other.
 */
export function buildPoints(event: EnrichedEvent, nanos: number, pairing: Pairing = {}): Points {
  const c: Context = {
    group: event.group ?? pairing.group,
    bot: bool(event.bot),
    durationS: pairing.startedAt === undefined ? undefined : (event.time - pairing.startedAt) / 1000,
    startedAt: pairing.startedAt,
    bucket: bucketOf(event.time),
    nanos,
  };
  const derive = DERIVED[event.type] as (event: EnrichedEvent, c: Context) => Omit<Points, 'lines'>;
  const points: Points = { lines: [rawLine(event, c, nanoseconds(event.time, nanos))], ...derive(event, c) };
  return USER_TAGGED.includes(RAW[event.type]) && event.user !== undefined ? { ...points, user: event.user } : points;
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

const BELOW_FIELDS = SESSION_LENGTH_GRID_MINUTES.map((m) => [sessionsBelow(m), m * 60] as const);

/** One paired session in `session_lengths_15m`: every grid field, 0 or 1, so a bucket's point never lacks one (a sum over a range without the field would be null, and the median with it). */
function lengthCounts(seconds: number): Record<string, number> {
  const add: Record<string, number> = { sessions: 1 };
  for (const [field, below] of BELOW_FIELDS) add[field] = seconds < below ? 1 : 0;
  return add;
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
