import { isIP } from 'node:net';
import { EVENT_FIELDS, EVENTS, type EventField, type FieldRule } from '@kibotics/schema';
import { parseIsoDateTime } from '../time/dates.js';
import { ANONYMOUS_USERS, EVENT_TYPES, type EventType, type KiboticsEvent } from './types.js';

/** The first problem found in one event, naming the field it is about. */
export class EventError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string
  ) {
    super(`${field}: ${problem}`);
  }
}

export type Validated = { ok: true; event: KiboticsEvent } | { ok: false; error: EventError };

export interface ValidationLimits {
  /** How far ahead of the gateway's clock an event may be stamped (clients' clocks drift). */
  maxFutureMs: number;
  /** The earliest time accepted: anything older is a broken clock or a unit mistake (seconds for ms). */
  minTime: number;
}

export const DEFAULT_LIMITS: ValidationLimits = {
  maxFutureMs: 5 * 60_000,
  minTime: Date.UTC(2010, 0, 1),
};

/** Each type's accepted fields, from its spec: `type` and `time` are every event's. */
const ALLOWED = {} as Record<EventType, ReadonlySet<string>>;
for (const t of EVENT_TYPES) ALLOWED[t] = new Set(['type', 'time', ...EVENTS[t].fields]);

// C0 and C1 controls, DEL, and the Unicode line/paragraph separators: anything that could end or bend a line.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g;
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})$/;

function wellFormed(s: string): string {
  // A lone surrogate (from JSON "\ud800") cannot be encoded as UTF-8: replace it, as TextEncoder would.
  return (s as unknown as { toWellFormed(): string }).toWellFormed();
}

function readString(field: string, value: unknown, spec: FieldRule): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new EventError(field, `must be a string, got ${describe(value)}`);
  let s = wellFormed(value);
  if (spec.read === 'name') {
    if (CONTROL.test(s)) throw new EventError(field, 'contains control characters');
  } else {
    s = s.replace(CONTROLS, ' ');
  }
  s = s.trim();
  if (s === '') return undefined;
  if (spec.max !== undefined && s.length > spec.max) throw new EventError(field, `longer than ${spec.max} characters`);
  return s;
}

function readTime(value: unknown, now: number, limits: ValidationLimits): number {
  if (value === undefined || value === null) return now;
  let ms: number;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new EventError('time', 'must be a finite number of epoch milliseconds');
    ms = Math.round(value);
  } else if (typeof value === 'string') {
    if (!RFC3339.test(value)) {
      throw new EventError('time', 'must be RFC 3339 with an offset (2020-01-31T10:15:00+01:00) or epoch milliseconds');
    }
    // The importers' strict reader, not Date.parse: that rolls 2024-02-30 over to 1 March.
    const iso = parseIsoDateTime(value);
    if (iso?.offset === undefined) throw new EventError('time', 'is not a real date');
    ms = iso.wall - iso.offset;
  } else {
    throw new EventError('time', `must be an RFC 3339 string or epoch milliseconds, got ${describe(value)}`);
  }
  if (ms > now + limits.maxFutureMs) {
    throw new EventError('time', `is more than ${Math.round(limits.maxFutureMs / 60_000)} minutes in the future`);
  }
  if (ms < limits.minTime) {
    throw new EventError(
      'time',
      `is before ${new Date(limits.minTime).toISOString().slice(0, 10)} (seconds instead of milliseconds?)`
    );
  }
  return ms;
}

/** An end's `started_at`: a time like `time` (same formats and bounds), never after the end itself. */
function readStartedAt(
  field: EventField,
  value: unknown,
  end: number,
  now: number,
  limits: ValidationLimits
): number | undefined {
  if (value === undefined || value === null) return undefined;
  let ms: number;
  try {
    ms = readTime(value, now, limits);
  } catch (err) {
    if (err instanceof EventError) throw new EventError(field, err.problem);
    throw err;
  }
  if (ms > end) throw new EventError(field, "is after the end's time: send the time its start had");
  return ms;
}

function readField(
  field: EventField,
  value: unknown,
  rule: FieldRule,
  time: number,
  now: number,
  limits: ValidationLimits
): string | number | undefined {
  switch (rule.read) {
    case 'name':
    case 'text':
      return readString(field, value, rule);
    case 'time':
      return readStartedAt(field, value, time, now, limits);
    case 'ip':
      return readIp(field, value);
    case 'status':
      return readStatus(field, value);
  }
}

function readIp(field: EventField, value: unknown): string | undefined {
  if (value === undefined || value === null || value === '') return undefined;
  if (typeof value !== 'string') throw new EventError(field, `must be a string, got ${describe(value)}`);
  const ip = value.trim().replace(/%[\w.]+$/, ''); // drop an IPv6 zone index (fe80::1%eth0)
  // Never echo the value: it may be a real address.
  if (isIP(ip) === 0) throw new EventError(field, 'is not an IPv4 or IPv6 address');
  return ip;
}

function readStatus(field: EventField, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  const n = typeof value === 'string' && /^\d{3}$/.test(value) ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 100 || n > 599) {
    throw new EventError(field, 'must be an HTTP status code (100–599)');
  }
  return n;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : typeof value;
}

/** Checks one decoded JSON value against the contract; never throws. */
export function validateEvent(input: unknown, now = Date.now(), limits = DEFAULT_LIMITS): Validated {
  try {
    return { ok: true, event: parse(input, now, limits) };
  } catch (err) {
    if (err instanceof EventError) return { ok: false, error: err };
    throw err;
  }
}

function parse(input: unknown, now: number, limits: ValidationLimits): KiboticsEvent {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) {
    throw new EventError('event', `must be a JSON object, got ${describe(input)}`);
  }
  const raw = input as Record<string, unknown>;
  const type = raw.type;
  if (type === undefined) throw new EventError('type', 'is required');
  if (typeof type !== 'string' || !(EVENT_TYPES as readonly string[]).includes(type)) {
    throw new EventError('type', `must be one of ${EVENT_TYPES.join(', ')}`);
  }
  const eventType = type as EventType;
  for (const key of Object.keys(raw)) {
    if (!ALLOWED[eventType].has(key)) {
      const known = Object.hasOwn(EVENT_FIELDS, key);
      throw new EventError(safeName(key), known ? `is not a field of ${eventType} events` : 'is not a known field');
    }
  }

  const event = { type: eventType, time: readTime(raw.time, now, limits) } as KiboticsEvent;
  if (raw.time === undefined || raw.time === null) event.stamped = true;
  const fields = event as unknown as Record<string, unknown>;
  // In EVENT_FIELDS' order: the first problem found is the one reported.
  for (const [field, rule] of Object.entries(EVENT_FIELDS) as Array<[EventField, FieldRule]>) {
    if (!ALLOWED[eventType].has(field)) continue;
    const value = readField(field, raw[field], rule, event.time, now, limits);
    if (value !== undefined) fields[field] = value;
  }

  const anonymous = event.user !== undefined && ANONYMOUS_USERS.has(event.user);
  for (const field of EVENTS[eventType].required) {
    if (field === 'user' && anonymous) continue;
    if (fields[field] === undefined) {
      throw new EventError(field, `is required for ${eventType} events`);
    }
  }
  if (anonymous) delete event.user;
  return event;
}

/** An unknown key is untrusted text too: keep it short and printable before it goes into an error. */
function safeName(key: string): string {
  const clean = wellFormed(key).replace(CONTROLS, '?');
  return clean.length > 64 ? `${clean.slice(0, 64)}…` : clean;
}
