import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { EnrichedEvent } from 'kibotics-analytics/enrich';
import { ActiveUsers } from 'kibotics-analytics/active-users';
import { openDatabase, type Db } from 'kibotics-analytics/store';
import { Influxd } from '@kibotics/test-kit/influxd';
import { activeUsers, classActiveUsers, previousPeriod, tagVar, timeFilter } from '../src/influxql.js';
import { groupVar } from '../src/variables.js';
import { expand } from './support/grafana-macros.js';

/**
 * The Active users panels on the real InfluxDB 1.6.7, against the points the gateway's ActiveUsers
 * writes for events arriving out of order, with its marks pruned midway: the platform query (run
 * starts and the first days' day points) answers exactly what day points alone answer, for any
 * range and for the previous period; the class query counts the users of the chosen class only.
 */

const DAY = 86_400_000;
const DB = 'actives';
let influx: Influxd;
let dir: string;
let db: Db;

before(async () => {
  influx = await Influxd.start();
  dir = mkdtempSync(join(tmpdir(), 'actives-'));
  db = openDatabase(dir);
});
after(async () => {
  db?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
  await influx?.stop();
});

/** A small deterministic generator (mulberry32): the same events every run. */
function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const event = (user: string, group: string, time: number): EnrichedEvent =>
  ({
    type: 'session_start',
    time,
    user,
    group,
    session_id: `${user}-${time}`,
    os: 'Linux',
    browser: 'Firefox',
    device: 'desktop',
    bot: false,
    country: 'ES',
  }) as EnrichedEvent;

const count = async (query: string) => Number((await influx.query(query, DB))[0]?.values[0]?.[1] ?? 0);
const macros = (query: string, from: number, to: number, values: Record<string, string> = {}) =>
  expand(query, { range: { from, to }, intervalMs: 0, interval: '', variables: [groupVar], values });

test('active users from run starts and the first days equal those of the day points, over any range', async () => {
  const rand = random(18);
  const start = Date.UTC(2026, 0, 1);
  const days = 130;
  const events: EnrichedEvent[] = [];
  for (let u = 0; u < 150; u++) {
    const activeDays = 1 + Math.floor(rand() * 40);
    for (let i = 0; i < activeDays; i++) {
      const day = start + Math.floor(rand() * days) * DAY;
      for (let k = 0; k < 1 + Math.floor(rand() * 3); k++)
        events.push(event(`u${u}`, `g${u % 7}${rand() < 0.1 ? 'x' : ''}`, day + Math.floor(rand() * DAY)));
    }
  }
  // Mostly in time order, a tenth of them late (out of order), as imports and retries deliver.
  events.sort((a, b) => a.time - b.time);
  for (let i = 0; i < events.length / 10; i++) {
    const j = Math.floor(rand() * events.length);
    const [late] = events.splice(j, 1);
    events.splice(Math.min(events.length, j + Math.floor(rand() * 2000)), 0, late!);
  }
  const actives = new ActiveUsers(db);
  const lines: string[] = [];
  events.forEach((e, i) => {
    // Midway, the marks of ended spans are pruned as the gateway's housekeeping does: later events rewrite.
    if (i === Math.floor(events.length / 2)) assert.ok(actives.forgetBefore(e.time) > 0);
    lines.push(...actives.linesFor(e, i % 1000));
  });
  await influx.query(`CREATE DATABASE "${DB}"`, DB);
  for (let i = 0; i < lines.length; i += 5000) {
    const r = await fetch(`${influx.url}/write?db=${DB}`, {
      method: 'POST',
      body: lines.slice(i, i + 5000).join('\n'),
    });
    assert.equal(r.status, 204, await r.text());
  }
  const starts = await count(`SELECT count("user") FROM "active_days" WHERE "run" = 'start'`);
  const dayCount = await count(`SELECT count("user") FROM "active_days" WHERE "run" = ''`);
  assert.ok(starts > 0 && starts < dayCount / 2, `fewer run starts (${starts}) than day points (${dayCount})`);

  const dayPoints = (from: number, to: number, toOp = '<=') =>
    `SELECT count(distinct("user")) FROM "active_days" WHERE "span" = '' AND time >= ${from}ms AND time ${toOp} ${to}ms`;
  const anyEvent = (from: number, to: number, group?: string) =>
    new Set(
      events
        .filter((e) => e.time >= from && e.time <= to && (group === undefined || e.group === group))
        .map((e) => e.user)
    ).size;
  const ranges: Array<[number, number]> = [
    [start, start + days * DAY],
    [start + 3 * DAY + 5, start + 93 * DAY],
    [start + 40 * DAY, start + 47 * DAY],
  ];
  for (let i = 0; i < 40; i++) {
    const from = start + Math.floor(rand() * days * DAY);
    ranges.push([from, from + Math.floor(rand() * rand() * 110 * DAY)]);
  }
  for (const [from, to] of ranges) {
    const expected = await count(dayPoints(from, to));
    assert.equal(
      await count(macros(activeUsers(timeFilter), from, to)),
      expected,
      `${new Date(from).toISOString()} – ${new Date(to).toISOString()}`
    );
    const range = to - from;
    assert.equal(
      await count(macros(activeUsers(previousPeriod), from, to)),
      await count(dayPoints(from - range, from, '<')),
      `the period before ${new Date(from).toISOString()}`
    );
    assert.ok(expected <= anyEvent(from, to), 'never more than the users with an event in the range');
    const group = `g${Math.floor(rand() * 7)}`;
    const inClass = await count(macros(classActiveUsers(timeFilter, tagVar('group')), from, to, { group }));
    assert.ok(inClass <= anyEvent(from, to, group), `${group}: only its own users`);
    if (to - from > DAY)
      assert.ok(
        inClass >= anyEvent(from + DAY, to - DAY, group),
        `${group}: every user with an event a day inside the range`
      );
  }
  assert.ok(
    (await count(macros(activeUsers(timeFilter), start, start + days * DAY))) > 100,
    'the test counts something'
  );
});
