/**
 * The demo traffic model: one deterministic, infinite stream of wire-shaped events per
 * (users, seed, timezone). Each local day's activity comes from its own PRNG stream
 * (seed, day), so any slice of time can be produced on its own, in order, with bounded memory:
 * backfill (`generateDemo`) and live (`liveDemo`, `DemoModel.eventsBetween`) are slices of
 * the same stream.
 */
import { audienceAddress } from './addresses.js';
import type { EventType, KiboticsEvent } from '../events/types.js';
import { dayKind, type DayKind } from './calendar.js';
import { buildPopulation, type Person, type Population, type SchoolClass, type Slot } from './population.js';
import { Quantiles, Rng, Weighted, hashSeed } from './random.js';
import { DAY, MINUTE, TimeZone } from './time.js';
import {
  ANONYMOUS_EXERCISES,
  CRAWLER_UA,
  ERROR_MESSAGES,
  EXERCISE_CHOICE,
  EXTRA_PAGES,
  FIRST_START_SECONDS,
  GAP_SECONDS,
  HOME_UA,
  INACTIVITY_MINUTES,
  LANDING_REFERRERS,
  P_LOGOUT,
  P_RESTART_SAME_EXERCISE,
  P_SIMULATION_ENDED,
  SIMULATIONS_PER_SESSION,
  SIMULATION_SECONDS,
  SITE,
  type Exercise,
} from './vocabulary.js';

/** A wire-shaped event, as a client would POST it to /v1/events (the contract's fields; no `id`, no `container`). */
export type RawEvent = Omit<KiboticsEvent, 'id' | 'container'>;

export interface DemoOptions {
  /** Accounts on the platform (teachers, pupils, independent learners, admin). */
  users: number;
  seed: number;
  /** The platform's local time zone: timetables and home hours are local to it. Default Europe/Madrid. */
  timezone?: string;
}

export interface BackfillOptions extends DemoOptions {
  /** How many days of history to produce, ending at `end`. */
  days: number;
  /** Epoch ms, exclusive: nothing at or after it is produced. */
  end: number;
}

export const DEFAULT_TIMEZONE = 'Europe/Madrid';
export const ANONYMOUS_USER = 'AnonymusUser'; // the platform's own spelling

/** The simulation farm: Gazebo containers run on these hosts (the corpus shows six busy ones). */
// Named, as the gateway keeps server names in `host` (addresses only when listed in SIMULATION_HOSTS).
const SIMULATOR_HOSTS = [
  'sim-01.kibotics.example',
  'sim-02.kibotics.example',
  'sim-03.kibotics.example',
  'sim-04.kibotics.example',
  'sim-05.kibotics.example',
  'sim-06.kibotics.example',
];

const hours = (pairs: ReadonlyArray<readonly [number, number]>) => new Weighted<number>(pairs);

/** Weekday home use by hour (corpus weekday logins after school, 15–23 h; mornings: a trickle). */
const HOME_WEEKDAY_PAIRS: ReadonlyArray<readonly [number, number]> = [
  [9, 15],
  [10, 15],
  [11, 15],
  [12, 15],
  [13, 15],
  [14, 15],
  [15, 129],
  [16, 106],
  [17, 333],
  [18, 439],
  [19, 223],
  [20, 117],
  [21, 67],
  [22, 52],
  [23, 40],
];
const HOME_WEEKDAY_HOURS = hours(HOME_WEEKDAY_PAIRS);
const AFTER_SCHOOL_HOURS = hours(HOME_WEEKDAY_PAIRS.filter(([hour]) => hour >= 15));
/** Weekend and holiday use by hour (corpus weekend logins, smoothed). */
const HOME_WEEKEND_HOURS = hours([
  [9, 2],
  [10, 4],
  [11, 12],
  [12, 15],
  [13, 8],
  [14, 2],
  [15, 2],
  [16, 3],
  [17, 5],
  [18, 4],
  [19, 3],
  [20, 3],
  [21, 4],
  [22, 2],
  [23, 1],
]);
/** Anonymous (non-crawler) visitors by hour: the corpus's AnonymusUser lines, smoothed. */
const ANON_HOURS = hours([
  [0, 6],
  [1, 4],
  [2, 3],
  [3, 3],
  [4, 3],
  [5, 4],
  [6, 6],
  [7, 8],
  [8, 15],
  [9, 24],
  [10, 36],
  [11, 26],
  [12, 34],
  [13, 26],
  [14, 24],
  [15, 17],
  [16, 25],
  [17, 17],
  [18, 17],
  [19, 16],
  [20, 19],
  [21, 30],
  [22, 24],
  [23, 10],
]);

/**
 * Home sessions per person per day, before the person's keenness. Tuned so that, as in the corpus,
 * about 59 % of all events fall on weekdays 9–15 h, 31 % on weekday evenings and 7–8 % on weekends
 * (the demo at 300 users: 55–57 %, 30–32 %, ~8 %).
 */
const HOME_RATE: Record<Person['role'], Record<DayKind, number>> = {
  student: { school: 0.07, weekend: 0.08, holiday: 0.07, summer: 0.025 },
  teacher: { school: 0.12, weekend: 0.06, holiday: 0.05, summer: 0.02 },
  independent: { school: 0.2, weekend: 0.16, holiday: 0.15, summer: 0.1 },
  admin: { school: 0.5, weekend: 0.05, holiday: 0.1, summer: 0.1 },
};
const ANON_RATE: Record<DayKind, number> = { school: 0.05, weekend: 0.03, holiday: 0.03, summer: 0.02 };
/** Chance that a class meets at a given timetable slot on a school day (trips, exams, teacher away). */
const P_CLASS_MEETS = 0.9;
/** Chance a pupil logs out and in again during a class (the corpus: 430 logins while a session was open). */
const P_RELOGIN = 0.15;
/** Chance of a stray HTTP 500 in a session, and of a burst day (corpus: ~9 school days with 10–35 errors). */
const P_SESSION_ERROR = 0.03;
const P_BURST_DAY = 0.08;

interface Actor {
  user?: string;
  group?: string;
  session_id?: string;
  client_ip: string;
  user_agent: string;
}

function event(type: EventType, time: number, a: Actor): RawEvent {
  const e: RawEvent = { type, time: Math.round(time) };
  if (a.user !== undefined) e.user = a.user;
  if (a.group !== undefined) e.group = a.group;
  if (a.session_id !== undefined) e.session_id = a.session_id;
  e.client_ip = a.client_ip;
  e.user_agent = a.user_agent;
  return e;
}

/** Builds the events whose activity begins on one local day (they may run past midnight). */
class DayBuilder {
  readonly events: RawEvent[] = [];
  private readonly rng: Rng;
  /** Addresses draw from their own stream, so where visitors come from never shifts when they come. */
  private readonly addressRng: Rng;
  private readonly kind: DayKind;
  private readonly weekday: number;
  readonly dayStart: number;

  constructor(
    private readonly model: DemoModel,
    private readonly dayNum: number
  ) {
    this.rng = new Rng(hashSeed(model.seed, 'day', dayNum, model.users));
    this.addressRng = new Rng(hashSeed(model.seed, 'addresses', dayNum, model.users));
    this.kind = dayKind(dayNum);
    this.weekday = (((dayNum + 3) % 7) + 7) % 7;
    this.dayStart = model.tz.startOfDay(dayNum);
  }

  /** UTC instant of a local wall time today, `minutes` after local midnight. */
  private at(minutes: number): number {
    const whole = Math.floor(minutes);
    return this.model.tz.toUtc(this.dayNum, whole) + (minutes - whole) * MINUTE;
  }

  private push(e: RawEvent): void {
    if (e.time < this.dayStart) e.time = this.dayStart;
    this.events.push(e);
  }

  build(): RawEvent[] {
    const pop = this.model.population;
    if (this.kind === 'school') {
      for (const c of pop.classes) {
        for (const slot of c.slots)
          if (slot.weekday === this.weekday && this.rng.chance(P_CLASS_MEETS)) this.lesson(c, slot);
      }
    }
    for (const p of pop.people) {
      const rate = HOME_RATE[p.role][this.kind] * p.keenness;
      if (this.rng.chance(Math.min(0.9, rate))) this.homeSession(p);
    }
    this.anonymousVisitors();
    this.crawlers();
    if (this.kind === 'school' && this.rng.chance(P_BURST_DAY)) this.errorBurst();
    this.events.sort((a, b) => a.time - b.time); // stable: ties keep generation order
    return this.events;
  }

  // --- classes --------------------------------------------------------------------------------

  private lesson(c: SchoolClass, slot: Slot): void {
    const rng = this.rng;
    const start = this.at(slot.start);
    const end = start + slot.length * MINUTE;
    const lessonExercise = EXERCISE_CHOICE.pick(rng);
    const lab = { ip: c.labIp, ua: c.labUa };
    // The teacher is in first, shows the exercise once or twice and stays to the bell.
    this.session(c.teacher, start - rng.range(2, 8) * MINUTE, lab, {
      lesson: lessonExercise,
      until: end,
      simulations: rng.int(1, 3),
    });
    for (const s of c.students) {
      if (!rng.chance(s.attendance)) continue;
      // Logins pile up in the first quarter hour (corpus: 10:20–10:35 for a 10:20 period).
      const login = start + FIRST_LOGIN_MINUTES.sample(rng) * MINUTE;
      if (rng.chance(P_RELOGIN)) {
        const mid = login + rng.range(0.2, 0.6) * (end - login);
        const out = this.session(s, login, lab, { lesson: lessonExercise, until: mid, forceLogout: true });
        if (out < end - 5 * MINUTE)
          this.session(s, out + rng.range(15, 120) * 1000, lab, { lesson: lessonExercise, until: end });
      } else {
        this.session(s, login, lab, { lesson: lessonExercise, until: end });
      }
    }
  }

  // --- one login session ----------------------------------------------------------------------

  /** One login: the /login page, session_start, pages, simulations, maybe an error, session_end. Returns the end time. */
  private session(
    p: Person,
    start: number,
    where: { ip: string; ua: string },
    opts: { lesson?: Exercise; until?: number; simulations?: number; forceLogout?: boolean } = {}
  ): number {
    const rng = this.rng;
    const anonymousActor: Actor = { user: ANONYMOUS_USER, client_ip: where.ip, user_agent: where.ua };
    const actor: Actor = {
      user: p.user,
      ...(p.group !== undefined ? { group: p.group } : {}),
      session_id: rng.id(32),
      client_ip: where.ip,
      user_agent: where.ua,
    };
    const login = event('visit', start - rng.range(4, 40) * 1000, anonymousActor);
    login.path = '/login';
    login.referrer = `${SITE}/`;
    this.push(login);
    this.push(event('session_start', start, actor));

    let t = start + rng.range(1, 4) * 1000;
    const first = event('visit', t, actor);
    first.path = rng.chance(0.7) ? '/exercises' : EXTRA_PAGES.pick(rng);
    first.referrer = `${SITE}/login`;
    this.push(first);

    const count = opts.simulations ?? Math.floor(SIMULATIONS_PER_SESSION.sample(rng));
    const until = opts.until ?? start + rng.range(60, 120) * MINUTE; // home sessions: up to ~2 h
    let last = t;
    t = start + FIRST_START_SECONDS.sample(rng) * 1000;
    let exercise: Exercise | undefined;
    let restart = false;
    let errorLeft = rng.chance(P_SESSION_ERROR);
    for (let i = 0; i < count && t < until - MINUTE; i++) {
      if (!restart || exercise === undefined) {
        exercise = opts.lesson && rng.chance(0.8) ? opts.lesson : EXERCISE_CHOICE.pick(rng);
        const page = event('visit', t - rng.range(1, 3) * 1000, actor);
        page.path = `/exercises/${exercise.id}`;
        page.referrer = `${SITE}/exercises`;
        this.push(page);
      }
      const host = exercise.type === 'simulator' ? SIMULATOR_HOSTS[rng.int(0, SIMULATOR_HOSTS.length - 1)]! : where.ip;
      const s = event('simulation_start', t, actor);
      s.simulation_type = exercise.type;
      s.exercise = exercise.id;
      s.host = host;
      this.push(s);
      let duration = SIMULATION_SECONDS[exercise.type].sample(rng) * 1000;
      if (opts.until !== undefined) duration = Math.min(duration, Math.max(1000, opts.until + 2 * MINUTE - t));
      const ended = rng.chance(P_SIMULATION_ENDED);
      if (ended) {
        const e = event('simulation_end', t + duration, actor);
        e.simulation_type = exercise.type;
        e.exercise = exercise.id;
        e.host = host;
        this.push(e);
      }
      if (errorLeft && rng.chance(0.5)) {
        errorLeft = false;
        this.push(this.error(t + rng.next() * duration, actor, `/exercises/${exercise.id}`));
      }
      last = Math.max(last, t + duration);
      restart = !ended && rng.chance(P_RESTART_SAME_EXERCISE);
      t += duration + GAP_SECONDS.sample(rng) * 1000;
    }
    if (errorLeft) {
      last += rng.range(1, 30) * 1000;
      this.push(this.error(last, actor, '/exercises'));
    }

    const close = event('session_end', 0, actor);
    if (opts.forceLogout || rng.chance(P_LOGOUT)) {
      // A logout: soon after the last action, or when the bell rings.
      const bell = opts.until !== undefined ? opts.until - rng.range(0, 4) * MINUTE : 0;
      close.time = Math.round(Math.max(last + rng.range(2, 60) * 1000, bell));
      close.reason = 'logout';
    } else {
      close.time = Math.round(last + INACTIVITY_MINUTES * MINUTE + rng.range(0, 60) * 1000);
      close.reason = 'inactivity';
    }
    this.push(close);
    return close.time;
  }

  private error(time: number, a: Actor, path: string): RawEvent {
    const e = event('error', time, a);
    e.status = 500;
    e.path = path;
    e.message = ERROR_MESSAGES.pick(this.rng);
    return e;
  }

  // --- home use -------------------------------------------------------------------------------

  private homeSession(p: Person): void {
    // On school days class members come home after school (no overlap with their own lessons).
    const table =
      this.kind !== 'school' ? HOME_WEEKEND_HOURS : p.group !== undefined ? AFTER_SCHOOL_HOURS : HOME_WEEKDAY_HOURS;
    const hour = table.pick(this.rng);
    const start = this.at(hour * 60 + this.rng.range(0, 60));
    this.session(p, start, { ip: p.homeIp, ua: p.homeUa });
  }

  // --- anonymous visitors and crawlers ----------------------------------------------------------

  private anonymousVisitors(): void {
    const rng = this.rng;
    const n = rng.poisson(this.model.users * ANON_RATE[this.kind]);
    for (let i = 0; i < n; i++) {
      const a: Actor = {
        user: ANONYMOUS_USER,
        client_ip: audienceAddress(this.addressRng),
        user_agent: HOME_UA.pick(rng),
      };
      let t = this.at(ANON_HOURS.pick(rng) * 60 + rng.range(0, 60));
      const landing = event('visit', t, a);
      landing.path = '/';
      const ref = LANDING_REFERRERS.pick(rng);
      if (ref !== undefined) landing.referrer = ref;
      this.push(landing);
      const r = rng.next();
      if (r < 0.35) {
        t += rng.range(5, 90) * 1000;
        const list = event('visit', t, a);
        list.path = '/exercises';
        list.referrer = `${SITE}/`;
        this.push(list);
        if (rng.chance(0.6)) {
          // Opening a websim exercise page starts the simulation, even without an account.
          const ex = ANONYMOUS_EXERCISES.pick(rng);
          t += rng.range(5, 60) * 1000;
          const page = event('visit', t, a);
          page.path = `/exercises/${ex.id}`;
          page.referrer = `${SITE}/exercises`;
          this.push(page);
          this.anonymousStart(t + rng.range(1, 3) * 1000, a, ex, rng.chance(0.26));
        }
      } else if (r < 0.5) {
        const login = event('visit', t + rng.range(5, 60) * 1000, a);
        login.path = '/login';
        login.referrer = `${SITE}/`;
        this.push(login);
      }
    }
  }

  private anonymousStart(t: number, a: Actor, ex: Exercise, ended: boolean): void {
    const s = event('simulation_start', t, a);
    s.simulation_type = ex.type;
    s.exercise = ex.id;
    s.host = a.client_ip;
    this.push(s);
    if (ended) {
      const e = event('simulation_end', t + SIMULATION_SECONDS[ex.type].sample(this.rng) * 1000, a);
      e.simulation_type = ex.type;
      e.exercise = ex.id;
      e.host = a.client_ip;
      this.push(e);
    }
  }

  private crawlers(): void {
    const rng = this.rng;
    const crawls = rng.poisson(3 + this.model.users * 0.003);
    for (let i = 0; i < crawls; i++) {
      const ua = CRAWLER_UA.pick(rng);
      const a: Actor = { user: ANONYMOUS_USER, client_ip: crawlerAddress(this.addressRng), user_agent: ua };
      let t = this.at(rng.range(0, 24 * 60 - 1));
      const pages = rng.int(1, 6);
      for (let k = 0; k < pages; k++) {
        const v = event('visit', t, a);
        const ex = rng.chance(0.6) ? ANONYMOUS_EXERCISES.pick(rng) : EXERCISE_CHOICE.pick(rng);
        v.path = k === 0 && rng.chance(0.3) ? '/' : `/exercises/${ex.id}`;
        this.push(v);
        // The corpus's crawlers "start" websim exercises by loading their pages; they never end them.
        if (v.path !== '/' && ex.type === 'websim' && rng.chance(0.7)) this.anonymousStart(t + 500, a, ex, false);
        t += rng.range(2, 40) * 1000;
      }
    }
  }

  // --- error bursts ---------------------------------------------------------------------------

  private errorBurst(): void {
    const rng = this.rng;
    const pop = this.model.population;
    const c = pop.classes.length > 0 ? rng.pick(pop.classes) : undefined;
    const startMinute = c ? c.slots[0]!.start + rng.range(5, 40) : rng.range(10 * 60, 14 * 60);
    let t = this.at(startMinute);
    const n = rng.int(8, 35);
    const path = `/exercises/${EXERCISE_CHOICE.pick(rng).id}`;
    const message = ERROR_MESSAGES.pick(rng);
    for (let i = 0; i < n; i++) {
      const student = c && c.students.length > 0 ? rng.pick(c.students) : undefined;
      const a: Actor = student
        ? {
            user: student.user,
            ...(student.group ? { group: student.group } : {}),
            client_ip: c!.labIp,
            user_agent: c!.labUa,
          }
        : { client_ip: audienceAddress(this.addressRng), user_agent: HOME_UA.pick(rng) };
      const e = event('error', t, a);
      e.status = 500;
      e.path = path;
      e.message = message;
      this.push(e);
      t += rng.range(2, 60) * 1000;
    }
  }
}

/** Minutes after the period starts until a pupil logs in (the corpus: most within 5–15 min). */
const FIRST_LOGIN_MINUTES = new Quantiles([
  [0, 0.5],
  [0.2, 2],
  [0.5, 5],
  [0.8, 10],
  [0.95, 16],
  [1, 25],
]);

/** Crawlers come from data centres, not homes: documentation addresses, whose country is unknown. */
function crawlerAddress(rng: Rng): string {
  return `203.0.113.${rng.int(200, 254)}`;
}

/**
 * One demo platform: its people and its (infinite, deterministic) stream of events.
 * Keeps at most two generated days in memory.
 */
export class DemoModel {
  readonly users: number;
  readonly seed: number;
  readonly tz: TimeZone;
  readonly population: Population;
  private readonly cache = new Map<number, RawEvent[]>();

  constructor(opts: DemoOptions) {
    if (!Number.isInteger(opts.users) || opts.users < 1) throw new RangeError('users must be a positive integer');
    if (!Number.isFinite(opts.seed)) throw new RangeError('seed must be a finite number');
    this.users = opts.users;
    this.seed = opts.seed;
    this.tz = new TimeZone(opts.timezone ?? DEFAULT_TIMEZONE);
    this.population = buildPopulation(opts.users, opts.seed);
  }

  /** The events generated for activity beginning on local day `dayNum`, sorted by time. */
  private day(dayNum: number): RawEvent[] {
    let events = this.cache.get(dayNum);
    if (events === undefined) {
      events = new DayBuilder(this, dayNum).build();
      this.cache.set(dayNum, events);
      for (const key of this.cache.keys()) if (key < dayNum - 1 || key > dayNum + 1) this.cache.delete(key);
      while (this.cache.size > 2) this.cache.delete(this.cache.keys().next().value!);
    }
    return events;
  }

  /**
   * Every event of the stream with `from <= time < to`, in non-decreasing time order. Consecutive
   * calls with adjoining ranges give exactly the same events as one call over the union (the live
   * step function). Yields fresh objects: callers may keep or change them.
   */
  *eventsBetween(from: number, to: number): Generator<RawEvent> {
    if (!Number.isFinite(from) || !Number.isFinite(to)) throw new RangeError('from and to must be epoch milliseconds');
    if (to <= from) return;
    const tz = this.tz;
    const lastDay = tz.dayOf(to - 1);
    for (let d = tz.dayOf(from); d <= lastDay; d++) {
      const windowStart = tz.startOfDay(d);
      const windowEnd = tz.startOfDay(d + 1);
      const lo = Math.max(from, windowStart);
      const hi = Math.min(to, windowEnd);
      // Activity begun yesterday that runs past midnight, merged with today's (both sorted).
      const spill = this.day(d - 1);
      const today = this.day(d);
      let i = lowerBound(spill, lo);
      let j = lowerBound(today, lo);
      while (true) {
        const a = i < spill.length && spill[i]!.time < hi ? spill[i] : undefined;
        const b = j < today.length && today[j]!.time < hi ? today[j] : undefined;
        if (a === undefined && b === undefined) break;
        if (b === undefined || (a !== undefined && a.time <= b.time)) {
          i++;
          yield { ...a! };
        } else {
          j++;
          yield { ...b };
        }
      }
    }
  }
}

function lowerBound(events: RawEvent[], time: number): number {
  let lo = 0;
  let hi = events.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (events[mid]!.time < time) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** The time range a backfill covers: from local midnight `days` days before `end`, up to `end`. */
export function demoWindow(opts: BackfillOptions): { from: number; to: number } {
  if (!(opts.days > 0) || !Number.isFinite(opts.days)) throw new RangeError('days must be a positive number');
  if (!Number.isFinite(opts.end)) throw new RangeError('end must be epoch milliseconds');
  const tz = new TimeZone(opts.timezone ?? DEFAULT_TIMEZONE);
  return { from: tz.startOfDay(tz.dayOf(opts.end - opts.days * DAY)), to: opts.end };
}

/**
 * Backfill: `days` days of events ending just before `end`, in non-decreasing time order.
 * Same options → the same events (byte for byte as JSON).
 */
export function* generateDemo(opts: BackfillOptions): Generator<RawEvent> {
  const { from, to } = demoWindow(opts);
  yield* new DemoModel(opts).eventsBetween(from, to);
}

/**
 * Live: the same stream from `start` on, forever, in time order. Each event's `time` says when to send
 * it; the caller waits for it (this generator never reads the clock). `generateDemo({…, end: t})`
 * followed by `liveDemo({…, start: t})` is one seamless stream.
 */
export function* liveDemo(opts: DemoOptions & { start: number }): Generator<RawEvent> {
  const model = new DemoModel(opts);
  for (let from = opts.start; ;) {
    const to = model.tz.startOfDay(model.tz.dayOf(from) + 1);
    yield* model.eventsBetween(from, to);
    from = to;
  }
}
