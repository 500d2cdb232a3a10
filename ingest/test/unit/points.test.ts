import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EnrichedEvent } from '../../src/enrich/enrich.js';
import { bucketOf, buildPoints, spreadMinutes } from '../../src/points/build.js';
import {
  SESSION_LENGTH_CLASSES,
  SESSION_LENGTH_GRID_MINUTES,
  sessionLengthClass,
  sessionsBelow,
} from '@kibotics/schema';

const at = (hhmm: string) => Date.parse(`2020-01-14T${hhmm}:00Z`);

test('a 2-hour simulation from 10:30 spreads 30/60/30 minutes over its hours', () => {
  const byHour = new Map<number, number>();
  for (const [bucket, minutes] of spreadMinutes(at('10:30'), at('12:30'))) {
    const hour = new Date(bucket).getUTCHours();
    byHour.set(hour, (byHour.get(hour) ?? 0) + minutes);
  }
  assert.deepEqual(
    [...byHour],
    [
      [10, 30],
      [11, 60],
      [12, 30],
    ]
  );
});

test('spreading keeps every minute, and only the minutes', () => {
  const parts = spreadMinutes(at('10:50') + 30_000, at('11:20'));
  assert.deepEqual(
    parts.map(([b, m]) => [new Date(b).toISOString().slice(11, 16), m]),
    [
      ['10:45', 9.5],
      ['11:00', 15],
      ['11:15', 5],
    ]
  );
  assert.deepEqual(spreadMinutes(at('10:00'), at('10:00')), []);
});

test('buckets are 15 minutes, aligned to UTC', () => {
  assert.equal(bucketOf(at('10:44') + 59_999), at('10:30'));
  assert.equal(bucketOf(at('10:45')), at('10:45'));
});

test('session length classes: lower bound in, upper bound out, the last one open; their labels sort as their lengths do', () => {
  assert.equal(sessionLengthClass(0), '0:00–0:05');
  assert.equal(sessionLengthClass(299.9), '0:00–0:05');
  assert.equal(sessionLengthClass(300), '0:05–0:10');
  assert.equal(sessionLengthClass(3599), '0:45–1:00');
  assert.equal(sessionLengthClass(3600), '1:00–1:30');
  assert.equal(sessionLengthClass(12 * 3600), '3:00+');
  const labels = SESSION_LENGTH_CLASSES.map((c) => c.label);
  assert.deepEqual([...labels].sort(), labels);
});

test('a paired session end counts once in session_lengths_15m, below every grid point it is shorter than, and names every grid field', () => {
  const end = at('10:50');
  const event = {
    type: 'session_end',
    time: end,
    user: 'ana',
    session_id: 's1',
    reason: 'logout',
    os: 'Linux',
    browser: 'Firefox',
    device: 'desktop',
    bot: false,
    country: 'ES',
  } as EnrichedEvent;
  const lengths = (startedAt?: number) =>
    buildPoints(event, 0, { startedAt }).rollups.filter((r) => r.rollup === 'sessionLengths');
  const [inc, ...more] = lengths(end - 60_000 * 17 - 1_000);
  assert.equal(more.length, 0);
  assert.equal(inc!.bucket, at('10:45'));
  assert.deepEqual(inc!.tags, { bot: 'false' });
  assert.equal(inc!.add.sessions, 1);
  // 17 min 1 s: not below 17 minutes, below 18.
  for (const minutes of SESSION_LENGTH_GRID_MINUTES)
    assert.equal(inc!.add[sessionsBelow(minutes)], minutes >= 18 ? 1 : 0, `below_${minutes}`);
  assert.equal(lengths(end - 17 * 60_000)[0]!.add[sessionsBelow(17)], 0, 'exactly 17 minutes is not below 17');
  assert.equal(lengths(end - 5 * 3_600_000)[0]!.add[sessionsBelow(240)], 0, 'longer than the grid: below nothing');
  assert.deepEqual(lengths(undefined), [], 'an unpaired end has no length');
});

test('a visit counts once in visits_15m by client and once in visit_totals_15m by bot and anonymous only', () => {
  const visit = (user?: string) =>
    ({
      type: 'visit',
      time: at('10:50'),
      ...(user === undefined ? {} : { user }),
      path: '/exercises/',
      os: 'Linux',
      browser: 'Firefox',
      device: 'desktop',
      bot: true,
      country: 'ES',
    }) as EnrichedEvent;
  for (const [user, anonymous] of [
    ['ana', 'false'],
    [undefined, 'true'],
  ] as const) {
    const rollups = buildPoints(visit(user), 0).rollups;
    assert.deepEqual(
      rollups.map((r) => r.rollup),
      ['visits', 'visitTotals']
    );
    const [byClient, total] = rollups;
    assert.deepEqual(byClient!.tags, {
      os: 'Linux',
      browser: 'Firefox',
      device: 'desktop',
      country: 'ES',
      bot: 'true',
      anonymous,
    });
    assert.deepEqual(total!.tags, { bot: 'true', anonymous });
    for (const r of rollups) {
      assert.equal(r.bucket, at('10:45'));
      assert.deepEqual(r.add, { visits: 1 });
    }
  }
});
