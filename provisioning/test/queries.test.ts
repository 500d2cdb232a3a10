import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { ANONYMOUS_USER, generateDemo, type RawEvent } from 'kibotics-analytics/demo';
import { SESSION_LENGTH_GRID_MINUTES, sessionLengthClass } from '@kibotics/schema';
import type { Dashboard, Panel } from '../src/grafana.js';
import { ACTIVITY_PANEL } from '../src/grafana.js';
import { dashboards, panels } from './support/files.js';
import type { Range, Values } from './support/grafana-macros.js';
import { expand, variablesUsed } from './support/grafana-macros.js';
import { points, runPanel, type PanelResult } from './support/run-panel.js';
import { startStack, type Stack } from './support/stack.js';
import { waitFor } from '@kibotics/test-kit/ports';

/**
 * Every panel and variable query of the provisioned dashboards, run against a real InfluxDB 1.x
 * filled through the gateway by the demo generator (as the compose demo profile does), with
 * Grafana's macros expanded; a few figures checked against counts made from the generator's events.
 */

const DAY = 86_400_000;
let stack: Stack;
let range: Range;
let events: RawEvent[];
const timings: Array<{ dashboard: string; panel: string; ms30: number; ms90?: number }> = [];
const all = dashboards();
const byUid = (uid: string) => all.find((d) => d.uid === uid)!;
const panelOf = (uid: string, title: string) =>
  byUid(uid).panels.find((p) => p.title === title) ?? assert.fail(`no panel ${title} in ${uid}`);

/** The variables' defaults as the dashboards are provisioned; the user one gets the busiest user. */
let defaults: Values;

before(async () => {
  stack = await startStack();
  // Whole UTC days, ending before the demo's end: the same events whatever the demo's exact `end`.
  const today = Math.floor(stack.demoEnd / DAY) * DAY;
  range = { from: today - 30 * DAY, to: today - 1 };
  events = [...generateDemo({ days: stack.days, users: stack.users, seed: stack.seed, end: stack.demoEnd })].filter(
    (e) => e.time >= range.from && e.time <= range.to
  );
  const perUser = await stack.influx.rows(
    'SELECT count("count") AS "n" FROM "session_start" GROUP BY "user"',
    stack.db
  );
  const busiest = perUser.sort((a, b) => (b.n as number) - (a.n as number))[0]!.user as string;
  defaults = {
    group: 'All',
    bot: 'false',
    exercise: 'All',
    simulation_type: 'All',
    status: 'All',
    instance: 'All',
    anonymous: 'All',
    user: busiest,
  };
});

after(async () => {
  await stack?.stop();
  if (timings.length) {
    const lines = timings.map(
      (t) => `${t.ms30.toFixed(0).padStart(6)} ${(t.ms90?.toFixed(0) ?? '').padStart(6)}  ${t.dashboard} / ${t.panel}`
    );
    console.log(
      `query time per panel (ms), 30 days and ${stack?.days ?? 90} days of ${stack?.users} users:\n${lines.join('\n')}`
    );
  }
});

/** The dashboard's own default range (now-30d, now-6h…) ending now. */
function defaultRange(d: Dashboard): Range {
  const [, n, unit] = /^now-(\d+)([dh])$/.exec(d.time.from) ?? assert.fail(`range ${d.time.from}`);
  const now = Date.now();
  return { from: now - Number(n) * (unit === 'd' ? DAY : 3_600_000), to: now };
}

const run = (d: Dashboard, p: Panel, values: Values = defaults, r: Range = range) =>
  runPanel(stack.influx, stack.db, d, p, r, values);
const count = (type: string, where: (e: RawEvent) => boolean = () => true) =>
  events.filter((e) => e.type === type && where(e)).length;
const single = (result: PanelResult, ref = 'A') => {
  const [series] = result.byRef[ref] ?? [];
  assert.ok(series, `no series for ${ref}: ${result.queries.join(' ; ')}`);
  return series.values[0]![1] as number;
};

/** What a panel of each type needs from its query results to draw something. */
function assertShape(panel: Panel, result: PanelResult): void {
  const shown = (panel.targets ?? []).filter((t) => !t.hide);
  for (const t of shown) {
    const series = result.byRef[t.refId] ?? [];
    assert.ok(series.length > 0, `${panel.title} ${t.refId}: no series from ${result.queries.join(' ; ')}`);
    for (const s of series) {
      assert.equal(s.columns[0], 'time');
      assert.ok(s.values.length > 0, `${panel.title}: an empty series`);
      for (const row of s.values) {
        for (const v of row.slice(1))
          assert.ok(v === null || typeof v === 'string' || Number.isFinite(v), `${panel.title}: ${v}`);
      }
    }
  }
  const first = result.byRef[shown[0]?.refId ?? 'A']?.[0];
  switch (panel.type) {
    case ACTIVITY_PANEL:
      // 15-minute UTC buckets, the panel's contract.
      assert.ok(
        first!.values.every((r) => (r[0] as number) % (15 * 60_000) === 0),
        `${panel.title}: not 15-minute buckets`
      );
      assert.ok(first!.values.length >= 10, `${panel.title}: only ${first!.values.length} buckets`);
      break;
    case 'geomap': {
      // Grafana's table format turns the GROUP BY tag into the lookup column.
      const codes = result.byRef.A!.map((s) => s.tags?.country);
      assert.ok(
        codes.every((c) => c !== undefined && /^([A-Z]{2}|unknown)$/.test(c)),
        `${panel.title}: ${codes}`
      );
      break;
    }
    case 'barchart': {
      const x = panel.options.xField as string;
      if (x !== 'Time')
        assert.ok(
          result.byRef.A!.some((s) => s.columns.includes(x) || s.tags?.[x] !== undefined),
          `${panel.title}: no ${x} column`
        );
      break;
    }
    case 'piechart':
      assert.ok(
        result.byRef.A!.every((s) => s.tags),
        `${panel.title}: slices need a tag per series`
      );
      break;
  }
}

describe('every panel query returns data of its shape over the demo data', () => {
  for (const { dashboard, panel } of panels(all)) {
    if (!panel.targets?.length) continue;
    test(`${dashboard.title} / ${panel.title}`, async () => {
      const result = await run(dashboard, panel, defaults, defaultRange(dashboard));
      assertShape(panel, result);
      const r90 = await run(dashboard, panel, defaults, { from: stack.demoEnd - stack.days * DAY, to: stack.demoEnd });
      timings.push({ dashboard: dashboard.title, panel: panel.title, ms30: result.ms, ms90: r90.ms });
    });
  }
});

describe('every variable query returns values', () => {
  for (const d of all) {
    for (const v of d.templating.list.filter((v) => v.type === 'query')) {
      test(`${d.title} / $${v.name}`, async () => {
        const rows = await stack.influx.rows(
          expand(v.query, { range, intervalMs: 0, interval: '', variables: d.templating.list, values: defaults }),
          stack.db
        );
        assert.ok(rows.length > 0, v.query);
        if (v.name === 'user') assert.ok(rows.length >= stack.users * 0.9, `${rows.length} users of ${stack.users}`);
      });
    }
  }
});

/**
 * A variable's values as Grafana lists them: a query variable's from its query (Grafana takes the
 * second column of each row, the first being the time or the key: the InfluxDB datasource's
 * response_parser.ts), a custom one's from its options.
 */
async function valuesOf(d: Dashboard, v: Dashboard['templating']['list'][number]): Promise<string[]> {
  if (v.type === 'custom') return v.options.map((o) => o.value).filter((x) => x !== '$__all');
  const series = await stack.influx.query(
    expand(v.query, { range, intervalMs: 0, interval: '', variables: d.templating.list, values: defaults }),
    stack.db
  );
  return [...new Set(series.flatMap((s) => s.values.map((row) => String(row[1] ?? row[0]))))].sort();
}

describe('every panel query runs with one, several and All values of each variable it uses', () => {
  for (const { dashboard, panel } of panels(all)) {
    const used = new Set((panel.targets ?? []).flatMap((t) => ('query' in t ? variablesUsed(t.query) : [])));
    if (used.size === 0) continue;
    test(`${dashboard.title} / ${panel.title}: ${[...used].map((u) => `$${u}`).join(', ')}`, async () => {
      let runs = 0;
      for (const name of used) {
        const v = dashboard.templating.list.find((x) => x.name === name)!;
        const values = await valuesOf(dashboard, v);
        assert.ok(values.length >= 1, `$${name}: no values`);
        const choices: Array<string | string[]> = [values[0]!];
        // Several: two real values, or one and a value that matches nothing (the demo has one gateway instance).
        if (v.multi) choices.push(values.length >= 2 ? values.slice(0, 2) : [values[0]!, 'no such value']);
        if (v.includeAll) choices.push('All');
        for (const value of choices) {
          const result = await run(dashboard, panel, { ...defaults, [name]: value });
          // Each query ran (InfluxDB's errors throw); a value that exists answers something somewhere in the panel.
          assert.equal(result.queries.length, (panel.targets ?? []).filter((t) => 'query' in t).length);
          runs++;
        }
      }
      assert.ok(runs >= used.size);
    });
  }
});

describe('figures agree with counts made from the generated events', () => {
  const everyone: () => Values = () => ({ ...defaults, bot: 'All' });

  test('overview: sessions, simulations, visits this period and the period before', async () => {
    const overview = byUid('kibotics-overview');
    assert.equal(
      single(await run(overview, panelOf('kibotics-overview', 'Sessions'), everyone())),
      count('session_start')
    );
    assert.equal(
      single(await run(overview, panelOf('kibotics-overview', 'Simulations'), everyone())),
      count('simulation_start')
    );
    assert.equal(single(await run(overview, panelOf('kibotics-overview', 'Visits'), everyone())), count('visit'));
    const before = [
      ...generateDemo({ days: stack.days, users: stack.users, seed: stack.seed, end: stack.demoEnd }),
    ].filter(
      (e) => e.type === 'session_start' && e.time >= range.from - (range.to - range.from) && e.time < range.from
    ).length;
    assert.equal(single(await run(overview, panelOf('kibotics-overview', 'Sessions'), everyone()), 'B'), before);
  });

  test('overview: active users are the distinct named users with any event', async () => {
    const named = new Set(
      events.filter((e) => e.user && e.user !== ANONYMOUS_USER && e.user !== 'AnonymousUser').map((e) => e.user)
    );
    const result = await run(byUid('kibotics-overview'), panelOf('kibotics-overview', 'Active users'));
    assert.equal(single(result), named.size);
  });

  test('overview: the error rate is errors per 1,000 visits', async () => {
    const result = await run(byUid('kibotics-overview'), panelOf('kibotics-overview', 'Error rate'), everyone());
    const rate = single(result, 'E');
    assert.ok(Math.abs(rate - (count('error') * 1000) / count('visit')) < 1e-9, `${rate}`);
  });

  test("sessions per day add up to the sessions of the range; a class's logins are its own; two classes are the sum of both", async () => {
    const sessions = byUid('kibotics-sessions');
    const perDay = panelOf('kibotics-sessions', 'Sessions per day');
    const days = (await run(sessions, perDay, everyone())).byRef.A![0]!;
    assert.equal(
      [...points(days).values()].reduce((a, b) => a + b, 0),
      count('session_start')
    );
    const groupsDashboard = byUid('kibotics-groups');
    const logins = panelOf('kibotics-groups', 'Logins per day');
    const groups = [...new Set(events.filter((e) => e.type === 'session_start' && e.group).map((e) => e.group!))].slice(
      0,
      2
    );
    const total = async (group: string | string[]) =>
      [...points((await run(groupsDashboard, logins, { ...everyone(), group })).byRef.A![0]!).values()].reduce(
        (a, b) => a + b,
        0
      );
    const [a, b, both] = [await total(groups[0]!), await total(groups[1]!), await total(groups)];
    assert.equal(
      a,
      count('session_start', (e) => e.group === groups[0])
    );
    assert.equal(
      b,
      count('session_start', (e) => e.group === groups[1])
    );
    assert.equal(both, a + b);
  });

  test('sessions: the length classes hold every paired session of the range; the median is theirs, to the grid, over random ranges', async () => {
    // Pairs rebuilt from the generator's own events: an end with the start of its session id, at most PAIR_MAX_HOURS (12) before.
    const history = [...generateDemo({ days: stack.days, users: stack.users, seed: stack.seed, end: stack.demoEnd })];
    const startOf = new Map(history.filter((e) => e.type === 'session_start').map((e) => [e.session_id, e.time]));
    const paired = events
      .filter((e) => e.type === 'session_end')
      .flatMap((e) => {
        const start = startOf.get(e.session_id);
        return start !== undefined && start <= e.time && e.time - start <= 12 * 3_600_000
          ? [{ end: e.time, seconds: (e.time - start) / 1000 }]
          : [];
      });
    const seconds = paired.map((p) => p.seconds).sort((a, b) => a - b);
    assert.ok(seconds.length > 100);
    const sessions = byUid('kibotics-sessions');
    const lengths = await run(sessions, panelOf('kibotics-sessions', 'Session lengths'), everyone());
    const perClass = new Map(lengths.byRef.A!.map((s) => [s.tags!.length, s.values[0]![1] as number]));
    const expected = new Map<string, number>();
    for (const s of seconds) expected.set(sessionLengthClass(s), (expected.get(sessionLengthClass(s)) ?? 0) + 1);
    assert.deepEqual(Object.fromEntries(perClass), Object.fromEntries([...expected].sort()));

    // The median panel: the lower middle session (the ⌈N/2⌉-th shortest) rounded down to the grid,
    // counted from the raw pairs of any range of whole quarter hours (the roll-up's buckets).
    const medianPanel = panelOf('kibotics-sessions', 'Median session');
    const toGrid = (s: number) =>
      SESSION_LENGTH_GRID_MINUTES.reduce((found, minutes) => (minutes * 60 <= s ? minutes * 60 : found), 0);
    const lowerMedian = (sorted: number[]) => sorted[Math.ceil(sorted.length / 2) - 1]!;
    assert.equal(single(await run(sessions, medianPanel, everyone())), toGrid(lowerMedian(seconds)));
    const QUARTER = 15 * 60_000;
    let seed = 7;
    const next = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
    let checked = 0;
    // Lengths from a quarter hour to 14 days, evenly on a log scale: short ranges hold a few sessions,
    // where exactly half of them below a grid point (the formula's edge) is likely.
    for (let i = 0; i < 24; i++) {
      const from = range.from + Math.floor(next() * 28 * 96) * QUARTER;
      const to = Math.min(range.to + 1, from + Math.ceil(Math.exp(next() * Math.log(14 * 96))) * QUARTER);
      const inRange = paired
        .filter((p) => p.end >= from && p.end < to)
        .map((p) => p.seconds)
        .sort((a, b) => a - b);
      const result = await run(sessions, medianPanel, everyone(), { from, to: to - 1 });
      if (inRange.length === 0) {
        assert.equal(result.byRef.A?.length ?? 0, 0, 'no session, no median (not 0)');
        continue;
      }
      assert.equal(
        single(result),
        toGrid(lowerMedian(inRange)),
        `${new Date(from).toISOString()}..${new Date(to).toISOString()}, ${inRange.length} sessions`
      );
      checked++;
    }
    assert.ok(checked >= 12, `only ${checked} ranges with sessions`);
  });

  test('exercises: starts per exercise and the most used exercise', async () => {
    const exercises = byUid('kibotics-exercises');
    const table = (await run(exercises, panelOf('kibotics-exercises', 'Time per exercise'), everyone())).byRef.A!;
    const expected = new Map<string, number>();
    for (const e of events)
      if (e.type === 'simulation_start') expected.set(e.exercise!, (expected.get(e.exercise!) ?? 0) + 1);
    const got = new Map(table.map((s) => [s.tags!.exercise!, s.values[0]![s.columns.indexOf('starts')] as number]));
    assert.deepEqual(got, expected);
    const top = (await run(exercises, panelOf('kibotics-exercises', 'Most used exercises'), everyone())).byRef.A![0]!;
    const best = [...expected].sort((x, y) => y[1] - x[1])[0]!;
    assert.deepEqual(top.values[0]!.slice(1), [best[1], best[0]]);
  });

  test('visitors: visits per country on the map add up to all visits', async () => {
    const map = (await run(byUid('kibotics-visitors'), panelOf('kibotics-visitors', 'Countries'), everyone())).byRef.A!;
    const total = map.reduce((sum, s) => sum + (s.values[0]![s.columns.indexOf('visits')] as number), 0);
    assert.equal(total, count('visit'));
    assert.ok(map.length > 1, `${map.length} countries`);
  });

  test('visit counts: the panels reading visit_totals_15m answer as they did over visits_15m; only client breakdowns read visits_15m', async () => {
    const reading = (m: string) =>
      all.flatMap((d) =>
        d.panels
          .filter((p) => (p.targets ?? []).some((t) => 'query' in t && t.query.includes(`"${m}"`)))
          .map((p) => ({ d, p }))
      );
    const totals = reading('visit_totals_15m');
    assert.deepEqual(totals.map(({ d, p }) => `${d.uid} / ${p.title}`).sort(), [
      'kibotics-errors / Error rate against traffic',
      'kibotics-overview / Error rate',
      'kibotics-overview / Visits',
      'kibotics-visitors / Crawler visits',
      'kibotics-visitors / Visits',
      'kibotics-visitors / Visits by weekday × hour',
      'kibotics-visitors / Visits per hour of the day',
      'kibotics-visitors / Visits per weekday',
    ]);
    for (const { p } of reading('visits_15m'))
      for (const t of p.targets ?? [])
        if ('query' in t && t.query.includes('"visits_15m"'))
          assert.match(t.query, /"(os|browser|device|country)"/, `${p.title}: counts only, read visit_totals_15m`);
    for (const { d, p } of totals) {
      const before = {
        ...p,
        targets: p.targets!.map((t) =>
          'query' in t ? { ...t, query: t.query.replaceAll('"visit_totals_15m"', '"visits_15m"') } : t
        ),
      };
      for (const values of [everyone(), defaults, { ...defaults, anonymous: 'true' }, { ...defaults, bot: 'true' }]) {
        const [now, then] = [await run(d, p, values), await run(d, before, values)];
        assert.ok(
          Object.values(now.byRef).some((series) => series.length > 0),
          `${p.title}: no answer`
        );
        // The series' names are the measurements'; their columns, tags and values must agree.
        const unnamed = (r: PanelResult) =>
          Object.fromEntries(
            Object.entries(r.byRef).map(([ref, series]) => [ref, series.map(({ name: _, ...s }) => s)])
          );
        assert.deepEqual(unnamed(now), unnamed(then), `${d.uid} / ${p.title} with ${JSON.stringify(values)}`);
      }
    }
  });

  test('errors: errors of the range and the time of the last one', async () => {
    const errors = byUid('kibotics-errors');
    assert.equal(single(await run(errors, panelOf('kibotics-errors', 'Errors in the range'))), count('error'));
    const last = (await run(errors, panelOf('kibotics-errors', 'Last error'))).byRef.A![0]!.values[0]![0] as number;
    const expected = Math.max(...events.filter((e) => e.type === 'error').map((e) => e.time));
    // The raw point's time carries a sub-millisecond offset that keeps events apart.
    assert.ok(Math.abs(last - expected) <= 1, `${last} vs ${expected}`);
  });

  test('user: the per-user panels count that user only', async () => {
    const user = byUid('kibotics-user');
    const who = defaults.user as string;
    const perDay = (await run(user, panelOf('kibotics-user', 'Sessions per day'))).byRef.A![0]!;
    const raw = await stack.influx.rows(
      `SELECT count("count") AS "n" FROM "session_start" WHERE "user" = '${who}' AND time >= ${range.from}ms AND time <= ${range.to}ms`,
      stack.db
    );
    assert.equal(
      [...points(perDay).values()].reduce((a, b) => a + b, 0),
      raw[0]?.n ?? 0
    );
    assert.ok((raw[0]?.n as number) > 0);
  });

  test('gateway: its counters grew while the demo posted; InfluxDB reachable, the spool empty', async () => {
    const gateway = byUid('kibotics-gateway');
    const last = { from: stack.demoEnd - 60_000, to: Date.now() };
    const result = await run(gateway, panelOf('kibotics-gateway', 'Events'), defaults, last);
    const received = result.byRef.A!.flatMap((s) => s.values.map((r) => r[1] as number)).reduce((a, b) => a + b, 0);
    assert.equal(received, stack.posted);
    // The gateway is drained; a report written while its own previous report was still on its way
    // counts that one line, so wait for the next (reports come every second here).
    const spool = async () =>
      single(
        await run(gateway, panelOf('kibotics-gateway', 'Waiting in the spool'), defaults, { ...last, to: Date.now() })
      );
    await waitFor('a report of an empty spool', async () => (await spool()) === 0, 15_000, 500);
    assert.equal(single(await run(gateway, panelOf('kibotics-gateway', 'InfluxDB'), defaults, last)), 1);
  });
});
