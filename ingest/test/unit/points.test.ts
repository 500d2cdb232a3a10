import assert from 'node:assert/strict';
import { test } from 'node:test';
import { bucketOf, spreadMinutes } from '../../src/points/build.js';
import { SESSION_LENGTH_CLASSES, sessionLengthClass } from '@kibotics/schema';

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
