/**
 * The older log (`access_log_django.txt`, May–Oct 2019), simulations and errors only:
 *   New Simulation ==> dd/mm/YYYY HH:MM:SS: user client_ip sim_type exercise host_ip container
 *   End Simulation ==> …the same…
 *   Error ==> 500 Internal Server Error
 * Fields after the date are separated by single spaces (Django usernames cannot contain one); some
 * End lines end in a space with no container. Error lines have no date: they take the previous
 * line's (see inferred-time.ts); the file's name carries no date, so leading errors are `no_time`.
 */
import { simulationEvent, statusOf } from './fields.js';
import { newEvent, words } from './hot-path.js';
import { InferredTime, fileDateWall } from './inferred-time.js';
import { LocalTimeResolver, parseDmyTime, zoneClock } from './localtime.js';
import { one, skip, type LineOutcome, type LineParser } from './records.js';

const ARROW = ' ==> ';

export interface DjangoAccessLogOptions {
  timezone: string;
  fileName?: string;
}

export class DjangoAccessLogParser implements LineParser {
  private readonly resolver: LocalTimeResolver;
  private readonly inferred: InferredTime;

  constructor(opts: DjangoAccessLogOptions) {
    this.resolver = new LocalTimeResolver(zoneClock(opts.timezone));
    this.inferred = new InferredTime(
      this.resolver,
      opts.fileName === undefined ? undefined : fileDateWall(opts.fileName)
    );
  }

  parse(raw: string): LineOutcome {
    const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (line.trim() === '') return skip('blank');
    const arrow = line.indexOf(ARROW);
    if (arrow < 0) return skip('unknown_code');
    const kind = line.slice(0, arrow).trim();
    const rest = line.slice(arrow + ARROW.length);
    if (kind === 'New Simulation') return this.simulation('simulation_start', rest);
    if (kind === 'End Simulation') return this.simulation('simulation_end', rest);
    if (kind === 'Error') return this.error(rest.trim());
    return skip('unknown_code');
  }

  private simulation(type: 'simulation_start' | 'simulation_end', rest: string): LineOutcome {
    // `dd/mm/YYYY HH:MM:SS: ` — the date is fixed-width, then a colon.
    if (rest.length < 20) return skip('too_few_fields');
    if (rest[19] !== ':') return skip('bad_date');
    const wall = parseDmyTime(rest.slice(0, 19));
    if (wall === undefined) return skip('bad_date');
    const f = words(rest, 20);
    // The line is dated even when short: it still anchors the errors after it.
    const r = this.resolver.resolve(wall);
    if (f.length < 5) return skip('too_few_fields');
    const event = simulationEvent({
      type,
      time: r.time,
      user: f[0],
      client_ip: f[1],
      simulation_type: f[2],
      exercise: f[3],
      host: f[4],
      container: f.length > 5 ? f.slice(5).join(' ') : undefined,
    });
    return one(event, r.note);
  }

  private error(message: string): LineOutcome {
    const time = this.inferred.next();
    if (time === undefined) return skip('no_time');
    const e = newEvent('error', time);
    e.status = statusOf(message);
    e.message = message === '' ? '500 Internal Server Error' : message;
    return one(e, 'time_inferred');
  }
}
