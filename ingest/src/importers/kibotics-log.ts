/**
 * Kibotics' daily log files (`temporalDir/`, `FINAL/`: `YYYY-MM-DD-log.txt`), one event per line,
 * fields separated by " | ":
 *   1 | date | user | client_ip | user_agent                 login  → session_start
 *   2 | date | user | client_ip | user_agent                 logout → session_end
 *   3 | date | user | client_ip | sim_type | exercise | host_ip | container | user_agent  → simulation_start
 *   4 | …the same nine…                                        → simulation_end
 *   5 | 500 Internal Server Error   (and `6 | …`, undocumented) → error, status 500, no date
 * As found in production: the container field (absent from the thesis' format) makes 3/4 nine
 * fields; some 4s have eight (no user agent); some end in " | " (empty user agent).
 * `AnonymusUser` and crawler user agents are kept: validation and enrichment deal with them.
 */
import { sessionEvent, simulationEvent, looksLikeContainer, statusOf } from './fields.js';
import { joinFrom, newEvent, splitFields } from './hot-path.js';
import { InferredTime, fileDateWall } from './inferred-time.js';
import { LocalTimeResolver, parseDmyTime, zoneClock } from './localtime.js';
import { one, skip, type LineOutcome, type LineParser } from './records.js';

const SEP = ' | ';

/** Fields from `from` on, joined back with their separator and trimmed. */
function rest(f: string[], from: number): string {
  return joinFrom(f, from, SEP).trim();
}

export interface KiboticsLogOptions {
  /** IANA zone of the server's clock; Kibotics ran in Europe/Madrid. */
  timezone: string;
  /** The file's name: its `YYYY-MM-DD` dates error lines that come before any dated line. */
  fileName?: string;
}

export class KiboticsLogParser implements LineParser {
  private readonly resolver: LocalTimeResolver;
  private readonly inferred: InferredTime;

  constructor(opts: KiboticsLogOptions) {
    this.resolver = new LocalTimeResolver(zoneClock(opts.timezone));
    this.inferred = new InferredTime(
      this.resolver,
      opts.fileName === undefined ? undefined : fileDateWall(opts.fileName)
    );
  }

  parse(raw: string): LineOutcome {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw; // a CRLF file's \r
    if (line.trim() === '') return skip('blank');
    // An empty last field written as " | " may have lost its trailing space (editors, trimming).
    if (line.endsWith(' |')) line += ' ';
    const f = splitFields(line, SEP);
    const code = f[0].trim();
    switch (code) {
      case '1':
      case '2':
        return this.session(code === '1' ? 'session_start' : 'session_end', f);
      case '3':
      case '4':
        return this.simulation(code === '3' ? 'simulation_start' : 'simulation_end', f);
      case '5':
      case '6':
        return this.error(f);
      default:
        return skip('unknown_code');
    }
  }

  private time(field: string | undefined): number | undefined {
    return field === undefined ? undefined : parseDmyTime(field.trim());
  }

  private session(type: 'session_start' | 'session_end', f: string[]): LineOutcome {
    // A dated line anchors the errors after it even when it is too short to be an event.
    const wall = this.time(f[1]);
    const r = wall === undefined ? undefined : this.resolver.resolve(wall);
    if (f.length < 4) return skip('too_few_fields');
    if (r === undefined) return skip('bad_date');
    const ua = f.length > 4 ? rest(f, 4) : undefined; // a " | " inside a UA stays in it
    return one(sessionEvent(type, r.time, f[2].trim(), f[3].trim(), ua), r.note);
  }

  private simulation(type: 'simulation_start' | 'simulation_end', f: string[]): LineOutcome {
    const wall = this.time(f[1]);
    const r = wall === undefined ? undefined : this.resolver.resolve(wall);
    if (f.length < 7) return skip('too_few_fields');
    if (r === undefined) return skip('bad_date');
    let container: string | undefined;
    let ua: string | undefined;
    if (f.length === 8) {
      // Eight fields: either the production shape without user agent, or the thesis' documented
      // shape without container. A container never contains '/' or spaces; a user agent does.
      const last = f[7].trim();
      if (looksLikeContainer(last)) container = last;
      else ua = last;
    } else if (f.length >= 9) {
      container = f[7];
      ua = rest(f, 8);
    }
    const event = simulationEvent({
      type,
      time: r.time,
      user: f[2].trim(),
      client_ip: f[3].trim(),
      simulation_type: f[4].trim(),
      exercise: f[5].trim(),
      host: f[6].trim(),
      container,
      user_agent: ua,
    });
    return one(event, r.note);
  }

  private error(f: string[]): LineOutcome {
    const time = this.inferred.next();
    if (time === undefined) return skip('no_time');
    const message = f.length > 1 ? rest(f, 1) : '';
    const e = newEvent('error', time);
    e.status = statusOf(message);
    e.message = message === '' ? '500 Internal Server Error' : message;
    return one(e, 'time_inferred');
  }
}
