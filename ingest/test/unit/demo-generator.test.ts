import assert from 'node:assert/strict';
import { ANONYMOUS_USERS } from '../../src/events/types.js';
import { AUDIENCE_BLOCKS, addressIn } from '../../src/demo/addresses.js';
import { Rng } from '../../src/demo/random.js';
import { openCountryLookup } from '../../src/enrich/country.js';
import { describe, it } from 'node:test';
import { validateEvent } from '../../src/events/validate.js';
import { DemoModel, buildPopulation, demoWindow, generateDemo, liveDemo, type RawEvent } from '../../src/demo/index.js';
import { DAY, HOUR, MINUTE, TimeZone, dayNumber } from '../../src/demo/time.js';
import { EVENT_FIELDS } from '@kibotics/schema';

const END = Date.UTC(2026, 10, 28, 5, 0, 0); // Saturday 28 Nov 2026, 06:00 in Madrid
const madrid = new TimeZone('Europe/Madrid');

// Small memo so several tests can share one generated sample without regenerating it.
const memo = new Map<string, RawEvent[]>();
function sample(days: number, users: number, seed: number, end = END): RawEvent[] {
  const key = `${days}/${users}/${seed}/${end}`;
  let events = memo.get(key);
  if (!events) {
    events = [...generateDemo({ days, users, seed, end })];
    memo.set(key, events);
  }
  return events;
}

// The contract's fields: the demo posts nothing the gateway would refuse as unknown.
const WIRE_FIELDS = new Set(['type', 'time', ...Object.keys(EVENT_FIELDS)]);
const AUDIENCE = new Set(Object.keys(AUDIENCE_BLOCKS));
const BOT = /bot|crawl|spider/i;

describe('demo population', () => {
  it('has exactly `users` accounts: classes of 15–30 pupils with a teacher, a few independents, the admin', () => {
    for (const users of [47, 300, 5000]) {
      const pop = buildPopulation(users, 1);
      assert.equal(pop.people.length, users);
      assert.equal(new Set(pop.people.map((p) => p.user)).size, users, 'unique user names');
      for (const c of pop.classes) {
        assert.ok(c.students.length >= 15 && c.students.length <= 30, `${c.group}: ${c.students.length} pupils`);
        assert.equal(c.teacher.role, 'teacher');
        assert.ok(c.slots.length >= 1 && c.slots.every((s) => s.weekday <= 4));
        assert.ok(c.students.every((s) => s.group === c.group));
      }
      assert.ok(pop.admin?.user === 'admin');
      assert.ok(pop.independents.length > 0 && pop.independents.every((p) => p.group === undefined));
    }
  });

  it('still works for tiny platforms', () => {
    for (const users of [1, 2, 19]) {
      assert.equal(buildPopulation(users, 1).people.length, users);
      assert.ok([...generateDemo({ days: 3, users, seed: 1, end: END })].every((e) => validateEvent(e, END).ok));
    }
  });
});

describe('demo generator: determinism and the contract', () => {
  it('gives byte-identical output for the same options and different output for another seed', () => {
    const a = JSON.stringify([...generateDemo({ days: 7, users: 300, seed: 11, end: END })]);
    const b = JSON.stringify([...generateDemo({ days: 7, users: 300, seed: 11, end: END })]);
    const c = JSON.stringify([...generateDemo({ days: 7, users: 300, seed: 12, end: END })]);
    assert.equal(a, b);
    assert.notEqual(a, c);
  });

  it("emits only valid, wire-shaped events from addresses in the countries of Kibotics' audience", () => {
    const countries = openCountryLookup();
    const events = sample(30, 300, 1);
    assert.ok(events.length > 10_000, `only ${events.length} events`);
    for (const e of events) {
      const v = validateEvent(e, END);
      assert.ok(v.ok, `${v.ok ? '' : v.error.message}: ${JSON.stringify(e)}`);
      for (const k of Object.keys(e)) assert.ok(WIRE_FIELDS.has(k), `unexpected field ${k}`);
      assert.ok(Number.isInteger(e.time));
      if (e.client_ip !== undefined) {
        const country = countries.country(e.client_ip);
        // Crawlers alone come from documentation addresses (no country).
        assert.ok(
          country === undefined ? e.client_ip.startsWith('203.0.113.') : AUDIENCE.has(country),
          `${e.type} ${e.client_ip} → ${country}`
        );
      }
      if (e.type === 'session_end') assert.ok(e.reason === 'logout' || e.reason === 'inactivity');
      if (e.type === 'error') assert.ok(e.status === 500 && e.path && e.message);
      if (e.type.startsWith('simulation')) assert.ok(['simulator', 'websim', 'real'].includes(e.simulation_type!));
    }
  });

  it("visitors look like Kibotics' audience: mostly Spain, some Latin America and Europe", () => {
    const countries = openCountryLookup();
    const tally = new Map<string, number>();
    // The Visitors dashboard's anonymous visits (crawlers aside).
    const visitors = sample(30, 300, 1).filter(
      (e) =>
        e.type === 'visit' &&
        (e.user === undefined || ANONYMOUS_USERS.has(e.user)) &&
        e.client_ip !== undefined &&
        !e.client_ip.startsWith('203.0.113.')
    );
    for (const e of visitors)
      tally.set(
        countries.country(e.client_ip!) ?? 'unknown',
        (tally.get(countries.country(e.client_ip!) ?? 'unknown') ?? 0) + 1
      );
    const share = (...cs: string[]) => cs.reduce((n, c) => n + (tally.get(c) ?? 0), 0) / visitors.length;
    assert.ok(visitors.length > 300, `${visitors.length} visits`);
    assert.ok(share('ES') > 0.6, `Spain ${share('ES')}`);
    assert.ok(share('MX', 'AR', 'CO', 'CL') > 0.05, `Latin America ${share('MX', 'AR', 'CO', 'CL')}`);
    assert.ok(share('PT', 'FR', 'IT', 'DE') > 0.03, `Europe ${share('PT', 'FR', 'IT', 'DE')}`);
    assert.equal(share('unknown', 'AU', 'JP', 'US'), 0);
  });

  it('every address block lies in its country by the bundled database', () => {
    const countries = openCountryLookup();
    for (const [country, blocks] of Object.entries(AUDIENCE_BLOCKS)) {
      const rng = new Rng(7);
      for (let i = 0; i < 200; i++) {
        const ip = addressIn(country as keyof typeof AUDIENCE_BLOCKS, rng, 0.5);
        assert.equal(countries.country(ip), country, `${ip} from ${JSON.stringify(blocks)}`);
      }
    }
  });

  it('yields in non-decreasing time order inside [from, end)', () => {
    const { from, to } = demoWindow({ days: 30, users: 300, seed: 1, end: END });
    assert.equal(to, END);
    assert.equal(madrid.weekdayHour(from).hour, 0); // starts at a local midnight
    let prev = -Infinity;
    for (const e of sample(30, 300, 1)) {
      assert.ok(e.time >= prev, 'out of order');
      assert.ok(e.time >= from && e.time < END);
      prev = e.time;
    }
  });
});

describe('demo generator: volume and shape', () => {
  it('scales with users and with days', () => {
    const count = (days: number, users: number) => {
      let n = 0;
      for (const _ of generateDemo({ days, users, seed: 3, end: END })) n++;
      return n;
    };
    const base = count(14, 300);
    const moreUsers = count(14, 1200);
    const moreDays = count(28, 300);
    assert.ok(moreUsers / base > 3 && moreUsers / base < 5, `×4 users → ×${(moreUsers / base).toFixed(2)}`);
    assert.ok(moreDays / base > 1.6 && moreDays / base < 2.4, `×2 days → ×${(moreDays / base).toFixed(2)}`);
  });

  for (const seed of [1, 2, 3]) {
    it(`is classroom-shaped in Madrid time: weekday school hours dominate, Tue/Fri 10 h and 13 h on top (seed ${seed})`, () => {
      const cells = new Map<string, number>();
      let schoolHours = 0;
      const events = sample(56, 300, seed);
      for (const e of events) {
        const { weekday, hour } = madrid.weekdayHour(e.time);
        const key = `${weekday}/${hour}`;
        cells.set(key, (cells.get(key) ?? 0) + 1);
        if (weekday < 5 && hour >= 9 && hour < 15) schoolHours++;
      }
      assert.ok(schoolHours / events.length > 0.5, `weekday 9–15 h share ${(schoolHours / events.length).toFixed(2)}`);
      const ranked = [...cells].sort((a, b) => b[1] - a[1]).map(([k]) => k);
      const top = (k: string) => ranked.indexOf(k);
      // Tue = 1, Fri = 4 (Monday = 0).
      for (const k of ['1/13', '4/10']) assert.ok(top(k) < 3, `${k} ranks ${top(k) + 1}: ${ranked.slice(0, 8)}`);
      for (const k of ['1/10', '4/13']) assert.ok(top(k) < 8, `${k} ranks ${top(k) + 1}: ${ranked.slice(0, 8)}`);
      const night = ['0/3', '1/3', '2/3', '3/3', '4/3'].reduce((s, k) => s + (cells.get(k) ?? 0), 0);
      assert.ok(night < events.length * 0.01, 'nights are nearly empty');
      const weekend = events.filter((e) => madrid.weekdayHour(e.time).weekday >= 5).length;
      assert.ok(weekend > 0 && weekend < events.length * 0.15, `weekend share ${(weekend / events.length).toFixed(3)}`);
    });
  }

  it('keeps class periods at local wall time across the October DST change', () => {
    // Two term weeks around 25 Oct 2026; logins of class members on school days.
    const events = sample(14, 600, 5, Date.UTC(2026, 10, 1, 0, 0, 0));
    const change = madrid.startOfDay(dayNumber(2026, 10, 25));
    const hist = (pick: (e: RawEvent) => boolean) => {
      const h = new Map<number, number>();
      for (const e of events)
        if (pick(e)) h.set(madrid.weekdayHour(e.time).hour, (h.get(madrid.weekdayHour(e.time).hour) ?? 0) + 1);
      return h;
    };
    const lessons = (e: RawEvent) =>
      e.type === 'session_start' &&
      e.user!.startsWith('user_') &&
      e.group !== undefined &&
      madrid.weekdayHour(e.time).weekday < 5;
    const before = hist((e) => lessons(e) && e.time < change);
    const after = hist((e) => lessons(e) && e.time >= change);
    const share = (h: Map<number, number>, hours: number[]) =>
      hours.reduce((s, x) => s + (h.get(x) ?? 0), 0) / [...h.values()].reduce((s, x) => s + x, 0);
    assert.ok(share(before, [10, 13]) > 0.5, `before: ${[...before]}`);
    assert.ok(share(after, [10, 13]) > 0.5, `after: ${[...after]}`);
  });
});

describe('demo generator: sessions, simulations, visitors, errors', () => {
  it('pairs every session start with one end by session_id, with plausible durations', () => {
    const events = sample(30, 300, 1);
    const { from } = demoWindow({ days: 30, users: 300, seed: 1, end: END });
    const starts = new Map<string, RawEvent>();
    const durations: number[] = [];
    let orphanEnds = 0;
    const reasons = { logout: 0, inactivity: 0 } as Record<string, number>;
    for (const e of events) {
      if (e.type === 'session_start') {
        assert.ok(!starts.has(e.session_id!), 'session ids are unique');
        starts.set(e.session_id!, e);
      } else if (e.type === 'session_end') {
        reasons[e.reason!]!++;
        const s = starts.get(e.session_id!);
        if (!s) {
          orphanEnds++;
          assert.ok(e.time < from + 4 * HOUR, 'only sessions begun before the window end without a start');
          continue;
        }
        assert.equal(s.user, e.user);
        assert.equal(s.client_ip, e.client_ip);
        durations.push(e.time - s.time);
        starts.delete(e.session_id!);
      } else if (e.session_id !== undefined) {
        const s = starts.get(e.session_id);
        if (s) assert.ok(e.time >= s.time && e.user === s.user, 'session events sit inside their session');
      }
    }
    for (const s of starts.values())
      assert.ok(s.time > END - 4 * HOUR, 'only sessions still open at the end lack an end');
    assert.ok(orphanEnds < 20);
    durations.sort((a, b) => a - b);
    const median = durations[durations.length >> 1]! / MINUTE;
    assert.ok(median > 10 && median < 90, `median session ${median.toFixed(1)} min`);
    assert.ok(durations[0]! > 0 && durations[durations.length - 1]! < 4 * HOUR);
    const logoutShare = reasons.logout! / (reasons.logout! + reasons.inactivity!);
    assert.ok(logoutShare > 0.45 && logoutShare < 0.75, `logout share ${logoutShare}`);
  });

  it('has simulations with corpus-like durations, some never ended and some started twice', () => {
    const open = new Map<string, number>();
    const byType: Record<string, number[]> = {};
    let starts = 0;
    let repeated = 0;
    let ends = 0;
    for (const e of sample(30, 300, 1)) {
      if (e.user === undefined || e.user === 'AnonymusUser') continue;
      const key = `${e.user}/${e.exercise}`;
      if (e.type === 'simulation_start') {
        starts++;
        if (open.has(key)) repeated++;
        open.set(key, e.time);
      } else if (e.type === 'simulation_end') {
        ends++;
        const t = open.get(key);
        if (t !== undefined) {
          (byType[e.simulation_type!] ??= []).push((e.time - t) / 1000);
          open.delete(key);
        }
      }
    }
    const unended = 1 - ends / starts;
    assert.ok(unended > 0.2 && unended < 0.45, `unended share ${unended.toFixed(2)} (corpus 0.31)`);
    assert.ok(
      repeated / starts > 0.1 && repeated / starts < 0.4,
      `repeated starts ${(repeated / starts).toFixed(2)} (corpus 0.28)`
    );
    const median = (xs: number[]) => xs.sort((a, b) => a - b)[xs.length >> 1]!;
    // Corpus medians: simulator 129 s, websim 25 s, real 156 s.
    assert.ok(median(byType.simulator!) > 80 && median(byType.simulator!) < 200);
    assert.ok(median(byType.websim!) > 10 && median(byType.websim!) < 60);
    assert.ok(median(byType.real!) > 80 && median(byType.real!) < 260);
    for (const xs of Object.values(byType)) assert.ok(Math.max(...xs) <= 2 * 3600, 'no simulation over two hours');
  });

  it('includes anonymous visitors, crawlers on exercise pages and error bursts', () => {
    const events = sample(56, 300, 2);
    const anonymous = events.filter((e) => e.user === 'AnonymusUser');
    const crawler = anonymous.filter((e) => BOT.test(e.user_agent ?? ''));
    assert.ok(anonymous.some((e) => e.type === 'visit' && e.path === '/' && e.referrer !== undefined));
    assert.ok(crawler.some((e) => e.type === 'visit' && e.path!.startsWith('/exercises/')));
    assert.ok(crawler.some((e) => e.type === 'simulation_start' && e.simulation_type === 'websim'));
    assert.ok(!crawler.some((e) => e.type === 'session_start'), 'crawlers never log in');
    const botShare = crawler.length / events.length;
    assert.ok(botShare > 0.005 && botShare < 0.06, `crawler share ${botShare.toFixed(3)} (corpus 0.023)`);
    // A burst: at least 8 errors within 30 minutes.
    const errors = events.filter((e) => e.type === 'error').map((e) => e.time);
    const burst = errors.some((t, i) => i + 7 < errors.length && errors[i + 7]! - t < 30 * MINUTE);
    assert.ok(burst, `no burst among ${errors.length} errors`);
    assert.ok(
      events.some((e) => e.type === 'visit' && e.user?.startsWith('user_') && e.path!.startsWith('/exercises/'))
    );
  });

  it('mixes user agents roughly like the corpus (Windows ≈ 52 %, Linux ≈ 40 %, Chrome ≈ 71 %)', () => {
    const os = { Windows: 0, Linux: 0 };
    let chrome = 0;
    let logins = 0;
    for (const e of generateDemo({ days: 7, users: 5000, seed: 1, end: END })) {
      if (e.type !== 'session_start') continue;
      logins++;
      const ua = e.user_agent!;
      if (ua.includes('Windows')) os.Windows++;
      else if (ua.includes('X11') && !ua.includes('CrOS')) os.Linux++;
      if (ua.includes('Chrome/') && !ua.includes('Edg/') && !ua.includes('OPR/')) chrome++;
    }
    assert.ok(os.Windows / logins > 0.4 && os.Windows / logins < 0.65, `Windows ${os.Windows / logins}`);
    assert.ok(os.Linux / logins > 0.25 && os.Linux / logins < 0.5, `Linux ${os.Linux / logins}`);
    assert.ok(chrome / logins > 0.6 && chrome / logins < 0.82, `Chrome ${chrome / logins}`);
  });
});

describe('demo generator: live and bounded memory', () => {
  it('backfill then live slices give exactly the one stream', () => {
    const opts = { users: 300, seed: 9 };
    const t = Date.UTC(2026, 10, 24, 11, 7, 0); // a Tuesday, mid-lesson
    const from = t - 2 * DAY;
    const whole = [...new DemoModel(opts).eventsBetween(from, t + DAY)];
    const model = new DemoModel(opts);
    const sliced: RawEvent[] = [...model.eventsBetween(from, t)];
    for (let s = t; s < t + DAY; s += 10 * MINUTE)
      sliced.push(...model.eventsBetween(s, Math.min(s + 10 * MINUTE, t + DAY)));
    assert.equal(JSON.stringify(sliced), JSON.stringify(whole));
    const live: RawEvent[] = [];
    for (const e of liveDemo({ ...opts, start: from })) {
      if (e.time >= t + DAY) break;
      live.push(e);
    }
    assert.equal(JSON.stringify(live), JSON.stringify(whole));
    const backfill = [...generateDemo({ ...opts, days: 1, end: t })];
    assert.equal(
      JSON.stringify(backfill),
      JSON.stringify(whole.filter((e) => e.time >= backfill[0]!.time && e.time < t))
    );
  });

  it('is lazy: the first events of 90 days × 5,000 users come at once, and a month streams without storing', () => {
    const started = performance.now();
    const it = generateDemo({ days: 90, users: 5000, seed: 1, end: END })[Symbol.iterator]();
    for (let i = 0; i < 10; i++) assert.equal(it.next().done, false);
    assert.ok(performance.now() - started < 1000, 'the first events need only the first days');
    let n = 0;
    let last = 0;
    for (const e of generateDemo({ days: 30, users: 5000, seed: 1, end: END })) {
      n++;
      last = e.time;
    }
    assert.ok(n > 200_000, `${n} events`);
    assert.ok(last < END);
  });
});
