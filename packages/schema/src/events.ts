/**
 * The event contract: what Kibotics (or any client) posts to /v1/events (README "Events"), one spec per
 * event type. The gateway derives from these specs what each type accepts and requires, what makes two
 * deliveries the same event, how ends pair with starts and the raw point each event becomes; field
 * names are the wire names, so code, docs and importers speak one vocabulary.
 */

/**
 * How the gateway reads a field: `name`s are identifiers (tags, keys: control characters are an
 * error), `text` is free text (they become spaces); `time` reads like the event's `time`; `ip` is an
 * address (never echoed); `status` an HTTP status code.
 */
export type FieldRead = 'name' | 'text' | 'time' | 'ip' | 'status';

export interface FieldRule {
  read: FieldRead;
  /** The longest value accepted, in characters (`name` and `text`). */
  max?: number;
  /**
   * false: not part of what makes two deliveries the same event. `id` is the identity by itself,
   * the IP address must not shape anything stored, and `container` never reaches InfluxDB.
   */
  identity?: false;
}

/**
 * Every field an event may carry besides `type` and `time`. The order is the order of validation (the
 * first problem found is the one reported) and of identity: a new field goes at the end.
 */
export const EVENT_FIELDS = {
  id: { read: 'name', max: 128, identity: false },
  user: { read: 'name', max: 150 }, // Django's username limit
  group: { read: 'name', max: 150 },
  session_id: { read: 'name', max: 128 },
  simulation_type: { read: 'name', max: 32 },
  exercise: { read: 'name', max: 128 },
  host: { read: 'name', max: 255 },
  container: { read: 'text', max: 255, identity: false },
  reason: { read: 'name', max: 32 },
  user_agent: { read: 'text', max: 1024 },
  path: { read: 'text', max: 2048 },
  referrer: { read: 'text', max: 2048 },
  message: { read: 'text', max: 4096 },
  /** An end's start time: an end carrying it pairs by itself, on any gateway instance. */
  started_at: { read: 'time' },
  client_ip: { read: 'ip', identity: false },
  status: { read: 'status' },
} as const satisfies Record<string, FieldRule>;

export type EventField = keyof typeof EVENT_FIELDS;

/** What pairing computes for: durations, from an end and its start. */
export type PairKind = 'session' | 'simulation';

/** The InfluxDB type of a point's field (a type is fixed per shard: never change one). */
export type FieldType = 'integer' | 'float';

/**
 * The raw point an event becomes (measurement, tags, fields): one per event, tagged by user where it
 * has one. Tag values come from the event, its enrichment (os, browser, device, country, bot) and its
 * pairing (group, duration_s); a field or tag without a value is left out of the point.
 */
export interface RawPointSpec {
  measurement: string;
  tags: readonly string[];
  fields: Readonly<Record<string, FieldType | 'string'>>;
}

export interface EventSpec {
  /** The fields this type accepts (a field of EVENT_FIELDS). */
  fields: readonly EventField[];
  /** Those it cannot do without: a missing one refuses the event. `user` may be Kibotics' anonymous placeholder. */
  required: readonly EventField[];
  /** A start or an end of something with a duration, and the fields its start and end share. */
  pairs?: { kind: PairKind; role: 'start' | 'end'; on: readonly EventField[] };
  raw: RawPointSpec;
}

const COMMON = ['id', 'user', 'group', 'session_id', 'client_ip', 'user_agent'] as const;
const SIMULATION = [...COMMON, 'simulation_type', 'exercise', 'host', 'container'] as const;
/** What enrichment adds to a raw point: the client, never its address or user agent. */
const CLIENT_TAGS = ['os', 'browser', 'device', 'country', 'bot'] as const;

/** One entry per event type (README "Adding an event type"). */
export const EVENTS = {
  session_start: {
    fields: COMMON,
    required: ['user'],
    pairs: { kind: 'session', role: 'start', on: ['user'] },
    raw: { measurement: 'session_start', tags: ['user', 'group', ...CLIENT_TAGS], fields: { count: 'integer' } },
  },
  session_end: {
    fields: [...COMMON, 'reason', 'started_at'],
    required: ['user'],
    pairs: { kind: 'session', role: 'end', on: ['user'] },
    raw: {
      measurement: 'session_end',
      tags: ['user', 'group', 'reason', ...CLIENT_TAGS],
      fields: { count: 'integer', duration_s: 'float' },
    },
  },
  simulation_start: {
    fields: SIMULATION,
    required: ['user', 'simulation_type', 'exercise'],
    pairs: { kind: 'simulation', role: 'start', on: ['user', 'simulation_type', 'exercise'] },
    raw: {
      measurement: 'simulation_start',
      tags: ['user', 'group', 'exercise', 'simulation_type', ...CLIENT_TAGS],
      fields: { count: 'integer', host: 'string' },
    },
  },
  simulation_end: {
    fields: [...SIMULATION, 'started_at'],
    required: ['user', 'simulation_type', 'exercise'],
    pairs: { kind: 'simulation', role: 'end', on: ['user', 'simulation_type', 'exercise'] },
    raw: {
      measurement: 'simulation_end',
      tags: ['user', 'group', 'exercise', 'simulation_type', ...CLIENT_TAGS],
      fields: { count: 'integer', duration_s: 'float', host: 'string' },
    },
  },
  visit: {
    fields: [...COMMON, 'path', 'referrer'],
    required: [],
    raw: {
      measurement: 'visit',
      tags: ['user', ...CLIENT_TAGS],
      fields: { count: 'integer', path: 'string', referrer: 'string' },
    },
  },
  error: {
    fields: [...COMMON, 'status', 'path', 'message'],
    required: [],
    // No user tag: an error is the platform's, and its message may name anyone.
    raw: { measurement: 'error', tags: ['status'], fields: { count: 'integer', path: 'string', message: 'string' } },
  },
} as const satisfies Record<string, EventSpec>;

type Events = typeof EVENTS;
export type EventType = keyof Events;
export const EVENT_TYPES = Object.keys(EVENTS) as EventType[];

/** The fields a type accepts. */
export type FieldOf<T extends EventType> = Events[T]['fields'][number];
/** Every tag a raw point may carry: the gateway must know how to fill each. */
export type RawTag = Events[EventType]['raw']['tags'][number];
export type RawField = { [T in EventType]: keyof Events[T]['raw']['fields'] }[EventType];

type ValueOf<F extends EventField> = (typeof EVENT_FIELDS)[F]['read'] extends 'time' | 'status' ? number : string;

/**
 * A validated event of type T, as a member of a discriminated union: its own fields typed, the others
 * absent (`never`), so code narrows on `type` and reads any field of the union without a cast.
 */
export type EventOf<T extends EventType> = { type: T; time: number } & {
  [F in FieldOf<T>]?: ValueOf<F>;
} & { [F in Exclude<EventField, FieldOf<T>>]?: never };

export type AnyEvent = { [T in EventType]: EventOf<T> }[EventType];

/** A field name for a metric label or an error: every name in the contract, so nothing a client invents. */
export const KNOWN_FIELDS: ReadonlySet<string> = new Set(['event', 'type', 'time', ...Object.keys(EVENT_FIELDS)]);
