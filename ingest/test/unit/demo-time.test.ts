import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dayKind, easterSunday } from '../../src/demo/calendar.js';
import { Quantiles, Rng, Weighted, hashSeed } from '../../src/demo/random.js';
import { HOUR, TimeZone, dayNumber, fromDayNumber } from '../../src/demo/time.js';

const madrid = new TimeZone('Europe/Madrid');
const iso = (ms: number) => new Date(ms).toISOString();

describe('demo: local time in Europe/Madrid', () => {
  it('converts ordinary winter and summer wall times', () => {
    assert.equal(iso(madrid.toUtc(dayNumber(2026, 1, 13), 10 * 60 + 20)), '2026-01-13T09:20:00.000Z');
    assert.equal(iso(madrid.toUtc(dayNumber(2026, 6, 2), 13 * 60 + 20)), '2026-06-02T11:20:00.000Z');
  });

  it('has 23- and 25-hour days at the DST changes', () => {
    const spring = dayNumber(2026, 3, 29);
    const autumn = dayNumber(2026, 10, 25);
    assert.equal((madrid.startOfDay(spring + 1) - madrid.startOfDay(spring)) / HOUR, 23);
    assert.equal((madrid.startOfDay(autumn + 1) - madrid.startOfDay(autumn)) / HOUR, 25);
  });

  it('moves a skipped spring time forward and takes the first of a repeated autumn time', () => {
    assert.equal(iso(madrid.toUtc(dayNumber(2026, 3, 29), 2 * 60 + 30)), '2026-03-29T01:30:00.000Z'); // shown as 03:30
    assert.equal(iso(madrid.toUtc(dayNumber(2026, 10, 25), 2 * 60 + 30)), '2026-10-25T00:30:00.000Z'); // first 02:30
  });

  it('folds instants back into local weekday and hour', () => {
    // Tuesday 20 Oct 2026 13:20 CEST and Tuesday 27 Oct 2026 13:20 CET: same local cell, different UTC hour.
    const before = madrid.toUtc(dayNumber(2026, 10, 20), 13 * 60 + 20);
    const after = madrid.toUtc(dayNumber(2026, 10, 27), 13 * 60 + 20);
    assert.deepEqual(madrid.weekdayHour(before), { weekday: 1, hour: 13 });
    assert.deepEqual(madrid.weekdayHour(after), { weekday: 1, hour: 13 });
    assert.notEqual(new Date(before).getUTCHours(), new Date(after).getUTCHours());
    assert.equal(madrid.dayOf(after), dayNumber(2026, 10, 27));
    assert.equal(fromDayNumber(dayNumber(2026, 10, 27)).weekday, 1);
  });
});

describe('demo: school calendar', () => {
  it('knows Easter, holidays, weekends and the summer break', () => {
    assert.equal(easterSunday(2026), dayNumber(2026, 4, 5));
    assert.equal(easterSunday(2027), dayNumber(2027, 3, 28));
    assert.equal(dayKind(dayNumber(2026, 11, 24)), 'school'); // a Tuesday in term
    assert.equal(dayKind(dayNumber(2026, 11, 28)), 'weekend');
    assert.equal(dayKind(dayNumber(2026, 10, 12)), 'holiday'); // Fiesta Nacional, a Monday
    assert.equal(dayKind(dayNumber(2026, 12, 29)), 'holiday');
    assert.equal(dayKind(dayNumber(2026, 4, 1)), 'holiday'); // Easter week
    assert.equal(dayKind(dayNumber(2026, 7, 15)), 'summer');
  });
});

describe('demo: PRNG and samplers', () => {
  it('is deterministic per seed and differs between seeds', () => {
    const a = new Rng(hashSeed(1, 'x'));
    const b = new Rng(hashSeed(1, 'x'));
    const c = new Rng(hashSeed(2, 'x'));
    const sa = Array.from({ length: 8 }, () => a.u32());
    assert.deepEqual(
      sa,
      Array.from({ length: 8 }, () => b.u32())
    );
    assert.notDeepEqual(
      sa,
      Array.from({ length: 8 }, () => c.u32())
    );
    assert.notEqual(hashSeed('ab', 'c'), hashSeed('a', 'bc'));
  });

  it('samples weights and quantiles in proportion', () => {
    const rng = new Rng(42);
    const w = new Weighted([
      ['a', 3],
      ['b', 1],
    ] as const);
    let a = 0;
    for (let i = 0; i < 20_000; i++) if (w.pick(rng) === 'a') a++;
    assert.ok(Math.abs(a / 20_000 - 0.75) < 0.02, `share of a: ${a / 20_000}`);
    const q = new Quantiles([
      [0, 0],
      [0.5, 10],
      [1, 100],
    ]);
    const xs = Array.from({ length: 20_000 }, () => q.sample(rng));
    const below = xs.filter((x) => x <= 10).length / xs.length;
    assert.ok(Math.abs(below - 0.5) < 0.02, `share at or below the median: ${below}`);
    assert.ok(Math.min(...xs) >= 0 && Math.max(...xs) <= 100);
  });
});
