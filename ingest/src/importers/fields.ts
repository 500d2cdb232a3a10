/**
 * Field rules shared by the importers, so a simulation line means the same thing whichever
 * format it came from.
 */
import { newEvent } from './hot-path.js';
import type { WireEvent } from './records.js';

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
  return s.startsWith('[') || /^[0-9a-f]{0,64}$/i.test(s);
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
  const status = /^([1-5]\d\d)(?: |$)/.exec(message);
  return status ? Number(status[1]) : fallback;
}
