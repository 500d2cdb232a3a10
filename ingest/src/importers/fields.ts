/**
 * Field rules shared by the importers, so a simulation line means the same thing whichever
 * format it came from.
 */
import type { WireEvent } from './records.js';

/**
 * A new event `{ type, time }`, the start of every event an importer makes. Not an object literal,
 * on purpose: V8 tracks where each literal is allocated, and once a GC finds nearly all of a site's
 * recent objects alive (as it may while events wait in a merge of many files) it allocates that
 * literal in the old generation from then on (pretenuring). In some runs of scenario 5 that made RSS
 * grow by a third with the garbage of events. `new Object()` has no allocation site.
 */
export function newEvent(type: WireEvent['type'], time: number): WireEvent {
  const e = new Object() as WireEvent;
  e.type = type;
  e.time = time;
  return e;
}

/**
 * Placeholders Kibotics wrote where there was no container (`[NO CONTAINER] Browser`,
 * `[REAL ROBOT] NO CONTAINER`, `[REAL SCRATCH] NO CONTAINER`, the prototype's `LOCAL CONTAINER`):
 * they say "none", so the event gets no container rather than a fake one.
 */
export function containerOf(raw: string | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const c = raw.trim();
  if (c === '' || c.includes('NO CONTAINER') || c === 'LOCAL CONTAINER') return undefined;
  return c;
}

/**
 * Only Docker-style ids and bracketed placeholders are containers; anything else in that position
 * (it has a `/` or a space, like `Mozilla/5.0 (…)`) is a user agent. Decides which field an 8-field
 * exercise line lacks.
 */
export function looksLikeContainer(s: string): boolean {
  if (s === '' || s.charCodeAt(0) === 91) return true; // '['
  if (s.length > 64) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const hex = (c >= 48 && c <= 57) || (c >= 97 && c <= 102) || (c >= 65 && c <= 70);
    if (!hex) return false;
  }
  return true;
}

export interface SimulationFields {
  type: 'simulation_start' | 'simulation_end';
  time: number;
  user: string;
  client_ip: string;
  simulation_type: string;
  exercise: string;
  host: string;
  container?: string;
  user_agent?: string;
}

/**
 * Builds a simulation event with a fixed key order (deterministic output) and no empty fields.
 * `websim` runs in the browser: its "host" is the client itself, so it is not copied into `host`
 * (that would put a client IP into a tag the IP-dropping enrichment never looks at).
 */
export function simulationEvent(f: SimulationFields): WireEvent {
  const e = newEvent(f.type, f.time);
  if (f.user !== '') e.user = f.user;
  if (f.client_ip !== '') e.client_ip = f.client_ip;
  if (f.simulation_type !== '') e.simulation_type = f.simulation_type;
  if (f.exercise !== '') e.exercise = f.exercise;
  if (f.host !== '' && f.simulation_type !== 'websim' && f.host !== f.client_ip) e.host = f.host;
  const container = containerOf(f.container);
  if (container !== undefined) e.container = container;
  if (f.user_agent !== undefined && f.user_agent !== '') e.user_agent = f.user_agent;
  return e;
}

export function sessionEvent(
  type: 'session_start' | 'session_end',
  time: number,
  user: string,
  clientIp: string,
  userAgent?: string
): WireEvent {
  const e = newEvent(type, time);
  if (user !== '') e.user = user;
  if (clientIp !== '') e.client_ip = clientIp;
  if (userAgent !== undefined && userAgent !== '') e.user_agent = userAgent;
  return e;
}

/** `500 Internal Server Error` → 500; a message that does not start with a status → the default. */
export function statusOf(message: string, fallback = 500): number {
  if (message.length >= 3) {
    const a = message.charCodeAt(0) - 48;
    const b = message.charCodeAt(1) - 48;
    const c = message.charCodeAt(2) - 48;
    const next = message.charCodeAt(3);
    const digits = a >= 1 && a <= 5 && b >= 0 && b <= 9 && c >= 0 && c <= 9;
    if (digits && (message.length === 3 || next === 32)) return a * 100 + b * 10 + c;
  }
  return fallback;
}
