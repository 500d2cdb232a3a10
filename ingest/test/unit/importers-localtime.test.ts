import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  LocalTimeResolver,
  parseDmyTime,
  parseIsoDateTime,
  resolveUnordered,
  zoneClock,
} from '../../src/importers/localtime.js';

const madrid = zoneClock('Europe/Madrid');
const iso = (ms: number) => new Date(ms).toISOString();
const wall = (s: string) => {
  const w = parseDmyTime(s);
  assert.ok(w !== undefined, s);
  return w;
};

describe('parseDmyTime', () => {
  it('reads dd/mm/YYYY HH:MM:SS as wall-clock fields', () => {
    assert.equal(iso(wall('05/02/2020 18:06:05')), '2020-02-05T18:06:05.000Z');
  });
  it('rejects anything else, including impossible dates', () => {
    for (const s of [
      '',
      '5/02/2020 18:06:05',
      '05/02/2020 18:06',
      '05-02-2020 18:06:05',
      '31/02/2020 10:00:00',
      '29/02/2019 10:00:00',
      '05/13/2020 10:00:00',
      '05/02/2020 24:00:00',
      '05/02/2020 18:06:05 ',
      'aa/bb/cccc dd:ee:ff',
    ]) {
      assert.equal(parseDmyTime(s), undefined, s);
    }
    assert.ok(parseDmyTime('29/02/2020 10:00:00') !== undefined, 'leap day');
  });
  it('agrees with Date.UTC from line to line, whether the day changes or not (it remembers the last day)', () => {
    const p2 = (n: number) => String(n).padStart(2, '0');
    const times: Array<[number, number, number, number, number, number]> = [];
    for (const [y, mo, d] of [
      [2019, 10, 27],
      [2019, 10, 27],
      [2020, 2, 29],
      [2019, 10, 27],
      [1999, 12, 31],
      [2000, 1, 1],
      [50, 6, 15],
      [2020, 2, 29],
    ]) {
      for (const [h, mi, sec] of [
        [0, 0, 0],
        [23, 59, 59],
        [2, 30, 7],
      ])
        times.push([y!, mo!, d!, h!, mi!, sec!]);
    }
    for (const [y, mo, d, h, mi, sec] of times) {
      const s = `${p2(d)}/${p2(mo)}/${String(y).padStart(4, '0')} ${p2(h)}:${p2(mi)}:${p2(sec)}`;
      assert.equal(parseDmyTime(s), Date.UTC(y, mo - 1, d, h, mi, sec), s);
    }
    assert.equal(iso(parseIsoDateTime('2020-02-29T10:15:00.123456')!.wall), '2020-02-29T10:15:00.123Z');
  });
});

describe('ZoneClock (Europe/Madrid)', () => {
  it('winter is UTC+1 and summer UTC+2', () => {
    assert.deepEqual(madrid.instants(wall('15/01/2020 10:00:00')), { kind: 'unique', time: Date.UTC(2020, 0, 15, 9) });
    assert.deepEqual(madrid.instants(wall('15/07/2020 10:00:00')), { kind: 'unique', time: Date.UTC(2020, 6, 15, 8) });
  });
  it('the repeated autumn hour of 2019-10-27 (02:00–02:59) has two instants, one hour apart', () => {
    assert.deepEqual(madrid.instants(wall('27/10/2019 01:59:59')), {
      kind: 'unique',
      time: Date.UTC(2019, 9, 26, 23, 59, 59),
    });
    assert.deepEqual(madrid.instants(wall('27/10/2019 02:30:00')), {
      kind: 'ambiguous',
      first: Date.UTC(2019, 9, 27, 0, 30),
      second: Date.UTC(2019, 9, 27, 1, 30),
    });
    assert.deepEqual(madrid.instants(wall('27/10/2019 03:00:00')), { kind: 'unique', time: Date.UTC(2019, 9, 27, 2) });
  });
  it('the missing spring hour of 2020-03-29 (02:00–02:59) is shifted forward by the gap', () => {
    assert.deepEqual(madrid.instants(wall('29/03/2020 01:59:59')), {
      kind: 'unique',
      time: Date.UTC(2020, 2, 29, 0, 59, 59),
    });
    // 02:30 does not exist: read with the winter offset it is 01:30Z, i.e. 03:30 CEST.
    assert.deepEqual(madrid.instants(wall('29/03/2020 02:30:00')), { kind: 'gap', time: Date.UTC(2020, 2, 29, 1, 30) });
    assert.deepEqual(madrid.instants(wall('29/03/2020 03:00:00')), { kind: 'unique', time: Date.UTC(2020, 2, 29, 1) });
  });
  it('handles zones whose changes are not on the hour (Lord Howe: 30-minute DST)', () => {
    const lh = zoneClock('Australia/Lord_Howe');
    assert.equal(lh.instants(wall('05/04/2020 01:15:00')).kind, 'unique');
    assert.equal(lh.instants(wall('05/04/2020 01:45:00')).kind, 'ambiguous');
    assert.equal(lh.instants(wall('04/10/2020 02:15:00')).kind, 'gap');
    assert.equal(lh.instants(wall('04/10/2020 02:45:00')).kind, 'unique');
  });
  it('an unknown zone throws before anything is read', () => {
    assert.throws(() => zoneClock('Europe/Atlantis'), RangeError);
  });
});

describe('LocalTimeResolver', () => {
  const run = (lines: string[]) => {
    const r = new LocalTimeResolver(madrid);
    return lines.map((s) => r.resolve(wall(s)));
  };

  it('a file running 02:59 (first) → 02:00 (second occurrence) → 02:30 comes out monotonic', () => {
    const out = run([
      '27/10/2019 02:10:00',
      '27/10/2019 02:59:00',
      '27/10/2019 02:00:00',
      '27/10/2019 02:30:00',
      '27/10/2019 03:05:00',
    ]);
    assert.deepEqual(
      out.map((o) => [iso(o.time), o.note]),
      [
        ['2019-10-27T00:10:00.000Z', 'dst_repeat_first'],
        ['2019-10-27T00:59:00.000Z', 'dst_repeat_first'],
        ['2019-10-27T01:00:00.000Z', 'dst_repeat_second'],
        ['2019-10-27T01:30:00.000Z', 'dst_repeat_second'],
        ['2019-10-27T02:05:00.000Z', undefined],
      ]
    );
    for (let i = 1; i < out.length; i++) assert.ok(out[i].time >= out[i - 1].time);
  });

  it('a few seconds of disorder inside the first occurrence does not jump an hour', () => {
    const out = run(['27/10/2019 02:40:10', '27/10/2019 02:40:05']);
    assert.deepEqual(
      out.map((o) => o.note),
      ['dst_repeat_first', 'dst_repeat_first']
    );
  });

  it('once the clock has gone back, later lines of the repeated hour stay on the second occurrence', () => {
    const out = run([
      '27/10/2019 01:30:00',
      '27/10/2019 02:55:00',
      '27/10/2019 02:05:00',
      '27/10/2019 02:06:00',
      '27/10/2019 02:50:00',
    ]);
    assert.deepEqual(
      out.map((o) => iso(o.time)),
      [
        '2019-10-26T23:30:00.000Z',
        '2019-10-27T00:55:00.000Z',
        '2019-10-27T01:05:00.000Z',
        '2019-10-27T01:06:00.000Z',
        '2019-10-27T01:50:00.000Z',
      ]
    );
  });

  it('reports the spring gap and is deterministic', () => {
    const lines = ['29/03/2020 01:59:00', '29/03/2020 02:15:00', '29/03/2020 03:20:00'];
    const a = run(lines);
    assert.deepEqual(
      a.map((o) => o.note),
      [undefined, 'dst_gap_shifted', undefined]
    );
    assert.equal(iso(a[1].time), '2020-03-29T01:15:00.000Z');
    assert.deepEqual(run(lines), a);
  });
});

describe('resolveUnordered', () => {
  it('takes the first occurrence unless that would put an end before its start', () => {
    const w = wall('27/10/2019 02:10:00');
    assert.equal(resolveUnordered(madrid, w).time, Date.UTC(2019, 9, 27, 0, 10));
    assert.equal(resolveUnordered(madrid, w, Date.UTC(2019, 9, 27, 0, 50)).time, Date.UTC(2019, 9, 27, 1, 10));
  });
});

describe('parseIsoDateTime', () => {
  it('reads naive (Python isoformat, microseconds) and offset forms', () => {
    assert.deepEqual(parseIsoDateTime('2020-01-31T10:15:00.123456'), { wall: Date.UTC(2020, 0, 31, 10, 15, 0, 123) });
    assert.deepEqual(parseIsoDateTime('2020-01-31 10:15'), { wall: Date.UTC(2020, 0, 31, 10, 15) });
    assert.deepEqual(parseIsoDateTime('2020-01-31T10:15:00Z'), { wall: Date.UTC(2020, 0, 31, 10, 15), offset: 0 });
    assert.deepEqual(parseIsoDateTime('2020-01-31T10:15:00+0100'), {
      wall: Date.UTC(2020, 0, 31, 10, 15),
      offset: 3_600_000,
    });
    assert.deepEqual(parseIsoDateTime('2020-01-31T10:15:00-05:30'), {
      wall: Date.UTC(2020, 0, 31, 10, 15),
      offset: -19_800_000,
    });
    assert.deepEqual(parseIsoDateTime('2020-01-31'), { wall: Date.UTC(2020, 0, 31) });
  });
  it('rejects malformed strings', () => {
    for (const s of [
      '2020-1-31',
      '2020-01-31T',
      '2020-01-31T10',
      '2020-02-30T10:00:00',
      '2020-01-31T10:15:00+1',
      '2020-01-31T10:15:00.Z',
      '2020-01-31T10:15:00 junk',
    ]) {
      assert.equal(parseIsoDateTime(s), undefined, s);
    }
  });
});
