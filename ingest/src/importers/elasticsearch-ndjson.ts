/**
 * Elasticsearch NDJSON of the second prototype's indices, elasticdump style: each line a bare
 * `_source` or a hit `{"_index": …, "_id": …, "_source": {…}}`.
 *   kibotics_session_log     username, start_date, end_date, duration (s), client_ip, browser, os, device, location
 *   kibotics_simulation_log  the same + simulation_type, exercise_id
 *   kibotics_visit_log       date, client_ip, browser, os, device, location (anonymous visitors)
 *   kibotics_error_log       date (+ whatever the error probe stored: message, status, path, username)
 * One session/simulation document becomes a start and an end event sharing a session_id derived
 * from the document's content, so the pairing is exact and re-importing gives the same ids.
 * browser/os/device/location have no place in the event contract (enrichment derives them from a
 * user agent these documents do not have) and are dropped.
 */
import { createHash } from 'node:crypto';
import { sessionEvent, simulationEvent, statusOf } from './fields.js';
import { newEvent } from './hot-path.js';
import { jsonTime, parseJsonObject, text } from './json-time.js';
import { resolveUnordered, zoneClock, type ZoneClock } from './localtime.js';
import {
  one,
  skip,
  type LineOutcome,
  type LineParser,
  type NoteCode,
  type ParsedEvent,
  type WireEvent,
} from './records.js';

export const ES_INDEX_KINDS = ['session', 'simulation', 'visit', 'error'] as const;
export type EsIndexKind = (typeof ES_INDEX_KINDS)[number];

/** `kibotics_session_log` (or `kibotics_session_log-2020.01`, a file named after it) → `session`. */
export function indexKindOf(name: string): EsIndexKind | undefined {
  const lower = name.toLowerCase();
  return ES_INDEX_KINDS.find((k) => lower.includes(`${k}_log`));
}

export interface ElasticsearchOptions {
  timezone: string;
  /** The index (name or kind) for bare `_source` lines; a hit's own `_index` wins. */
  index?: string;
  fileName?: string;
}

function withNote(event: WireEvent, ...notes: (NoteCode | undefined)[]): ParsedEvent {
  const n = notes.filter((x): x is NoteCode => x !== undefined);
  return n.length === 0 ? { event } : { event, notes: n };
}

export class ElasticsearchParser implements LineParser {
  private readonly clock: ZoneClock;
  private readonly fallbackKind: EsIndexKind | undefined;

  constructor(opts: ElasticsearchOptions) {
    this.clock = zoneClock(opts.timezone);
    const fromOption =
      opts.index === undefined
        ? undefined
        : (indexKindOf(opts.index) ?? (ES_INDEX_KINDS as readonly string[]).find((k) => k === opts.index));
    this.fallbackKind =
      (fromOption as EsIndexKind | undefined) ?? (opts.fileName === undefined ? undefined : indexKindOf(opts.fileName));
  }

  parse(line: string): LineOutcome {
    if (line.trim() === '') return skip('blank');
    const doc = parseJsonObject(line);
    if (typeof doc === 'string') return skip(doc);
    let source = doc;
    let kind = this.fallbackKind;
    if (typeof doc._source === 'object' && doc._source !== null && !Array.isArray(doc._source)) {
      source = doc._source as Record<string, unknown>;
      if (typeof doc._index === 'string') kind = indexKindOf(doc._index) ?? kind;
    }
    switch (kind) {
      case 'session':
      case 'simulation':
        return this.interval(kind, source);
      case 'visit':
        return this.visit(source);
      case 'error':
        return this.error(source);
      default:
        return skip('unknown_index');
    }
  }

  // Dump order is not time order, so the repeated autumn hour cannot be read from the previous
  // line: first occurrence, except that an end is never put before its start.
  private naive = (wall: number) => resolveUnordered(this.clock, wall);

  private interval(kind: 'session' | 'simulation', s: Record<string, unknown>): LineOutcome {
    const start = jsonTime(s.start_date, this.naive);
    if ('fail' in start && start.fail === 'bad_date') return skip('bad_date');
    const startTime = 'time' in start ? start.time : undefined;
    let end = jsonTime(s.end_date, (wall) => resolveUnordered(this.clock, wall, startTime));
    if ('fail' in end && end.fail === 'bad_date') return skip('bad_date');
    let endNote: NoteCode | undefined;
    if (
      'fail' in end &&
      startTime !== undefined &&
      typeof s.duration === 'number' &&
      Number.isFinite(s.duration) &&
      s.duration >= 0
    ) {
      end = { time: startTime + Math.round(s.duration * 1000) };
      endNote = 'end_from_duration';
    }
    if ('fail' in start && 'fail' in end) return skip('no_time');

    const user = text(s.username) ?? text(s.user) ?? '';
    const ip = text(s.client_ip) ?? '';
    const simType = text(s.simulation_type) ?? '';
    const exercise = text(s.exercise_id) ?? text(s.exercise) ?? '';
    const identity = [kind, user, JSON.stringify(s.start_date ?? s.end_date ?? null), ip, simType, exercise].join('\n');
    const sessionId = `es-${createHash('sha256').update(identity).digest('hex').slice(0, 24)}`;

    const events: ParsedEvent[] = [];
    const make = (phase: 'start' | 'end', time: number): WireEvent => {
      const e =
        kind === 'session'
          ? sessionEvent(phase === 'start' ? 'session_start' : 'session_end', time, user, ip)
          : simulationEvent({
              type: phase === 'start' ? 'simulation_start' : 'simulation_end',
              time,
              user,
              client_ip: ip,
              simulation_type: simType,
              exercise,
              host: '',
            });
      e.session_id = sessionId;
      return e;
    };
    if ('time' in start) events.push(withNote(make('start', start.time), start.note));
    if ('time' in end) events.push(withNote(make('end', end.time), end.note, endNote));
    return { events };
  }

  private visit(s: Record<string, unknown>): LineOutcome {
    const t = jsonTime(s.date ?? s.start_date, this.naive);
    if ('fail' in t) return skip(t.fail);
    const e = newEvent('visit', t.time);
    const user = text(s.username) ?? text(s.user);
    if (user !== undefined && user !== '') e.user = user;
    const ip = text(s.client_ip);
    if (ip !== undefined && ip !== '') e.client_ip = ip;
    const path = text(s.path) ?? text(s.url);
    if (path !== undefined && path !== '') e.path = path;
    const referrer = text(s.referrer) ?? text(s.referer);
    if (referrer !== undefined && referrer !== '') e.referrer = referrer;
    return one(e, t.note);
  }

  private error(s: Record<string, unknown>): LineOutcome {
    const t = jsonTime(s.date ?? s.start_date, this.naive);
    if ('fail' in t) return skip(t.fail);
    const message = text(s.message) ?? text(s.error) ?? '500 Internal Server Error';
    const e = newEvent('error', t.time);
    const user = text(s.username) ?? text(s.user);
    if (user !== undefined && user !== '') e.user = user;
    const ip = text(s.client_ip);
    if (ip !== undefined && ip !== '') e.client_ip = ip;
    e.status = typeof s.status === 'number' ? s.status : statusOf(text(s.status) ?? message);
    e.message = message;
    const path = text(s.path) ?? text(s.url);
    if (path !== undefined && path !== '') e.path = path;
    return one(e, t.note);
  }
}
