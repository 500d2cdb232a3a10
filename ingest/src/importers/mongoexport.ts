/**
 * mongoexport JSON lines (one document per line, the tool's default; not --jsonArray) of the first
 * prototype's collections. Its documents copied the log lines' fields (from the thesis' slides):
 *   { "date": "dd/mm/YYYY HH:MM:SS", "username", "client_ip", "simulation_type", "exercise_id",
 *     "host_ip", "container_id", "user_agent" }
 * The slides' probe stored the literal string "user_agent" (a bug) and "LOCAL CONTAINER": both
 * placeholders are dropped. A document does not say its collection: the file name or an option does.
 */
import { sessionEvent, simulationEvent, statusOf } from './fields.js';
import { newEvent } from './hot-path.js';
import { jsonTime, parseJsonObject, text } from './json-time.js';
import { LocalTimeResolver, zoneClock } from './localtime.js';
import { one, skip, type LineOutcome, type LineParser, type WireEvent } from './records.js';

export const MONGO_COLLECTIONS = [
  'newSession',
  'endSession',
  'newSimulation',
  'endSimulation',
  'applicationError',
] as const;
export type MongoCollection = (typeof MONGO_COLLECTIONS)[number];

/** The collection a file name mentions (`newSession.json`, `kibotics.endSimulation.jsonl`), if any. */
export function collectionFromName(fileName: string): MongoCollection | undefined {
  const lower = fileName.toLowerCase();
  return MONGO_COLLECTIONS.find((c) => lower.includes(c.toLowerCase()));
}

export function isMongoCollection(name: string): name is MongoCollection {
  return (MONGO_COLLECTIONS as readonly string[]).includes(name);
}

export interface MongoexportOptions {
  timezone: string;
  /** Which collection the file holds; when absent, taken from fileName. */
  collection?: MongoCollection;
  fileName?: string;
}

function userAgent(doc: Record<string, unknown>): string | undefined {
  const ua = text(doc.user_agent);
  return ua === 'user_agent' ? undefined : ua;
}

export class MongoexportParser implements LineParser {
  private readonly resolver: LocalTimeResolver;
  private readonly collection: MongoCollection | undefined;

  constructor(opts: MongoexportOptions) {
    // mongoexport writes the natural (insertion) order, i.e. time order: the file-order resolver fits.
    this.resolver = new LocalTimeResolver(zoneClock(opts.timezone));
    this.collection = opts.collection ?? (opts.fileName === undefined ? undefined : collectionFromName(opts.fileName));
  }

  parse(line: string): LineOutcome {
    if (line.trim() === '') return skip('blank');
    const doc = parseJsonObject(line);
    if (typeof doc === 'string') return skip(doc);
    if (this.collection === undefined) return skip('unknown_collection');
    const t = jsonTime(doc.date, (wall) => this.resolver.resolve(wall));
    if ('fail' in t) return skip(t.fail);
    const user = text(doc.username) ?? text(doc.user) ?? '';
    const ip = text(doc.client_ip) ?? '';
    let event: WireEvent;
    switch (this.collection) {
      case 'newSession':
      case 'endSession':
        event = sessionEvent(
          this.collection === 'newSession' ? 'session_start' : 'session_end',
          t.time,
          user,
          ip,
          userAgent(doc)
        );
        break;
      case 'newSimulation':
      case 'endSimulation':
        event = simulationEvent({
          type: this.collection === 'newSimulation' ? 'simulation_start' : 'simulation_end',
          time: t.time,
          user,
          client_ip: ip,
          simulation_type: text(doc.simulation_type) ?? '',
          exercise: text(doc.exercise_id) ?? text(doc.exercise) ?? '',
          host: text(doc.host_ip) ?? '',
          container: text(doc.container_id),
          user_agent: userAgent(doc),
        });
        break;
      case 'applicationError': {
        const message = text(doc.message) ?? text(doc.error) ?? '500 Internal Server Error';
        const status = typeof doc.status === 'number' ? doc.status : statusOf(text(doc.status) ?? message);
        event = newEvent('error', t.time);
        if (user !== '') event.user = user;
        if (ip !== '') event.client_ip = ip;
        event.status = status;
        event.message = message;
        const path = text(doc.path);
        if (path !== undefined && path !== '') event.path = path;
        break;
      }
    }
    return one(event, t.note);
  }
}
