import { createDataFrame, FieldType } from '@grafana/data';

import { cellIndexAt, foldSeries } from './fold';
import { seriesFromFrames } from './series';
import { ActivityCell, ActivityGrid, FoldOptions, Series, TimeRangeMs } from './types';
import { offsetTimeline, resolveTimeZone } from './zone';

const HOUR = 3_600_000;
const QUARTER = HOUR / 4;

const options: FoldOptions = {
  layout: 'weekdayHour',
  calculation: 'total',
  percentOfTotal: false,
  slotMinutes: 60,
  hourFrom: 0,
  hourTo: 24,
  firstDay: 1,
};

const ms = (iso: string) => Date.parse(iso);
const range = (from: string, to: string): TimeRangeMs => ({ from: ms(from), to: ms(to) });

function series(points: Array<[number, number | null]>, labels: Record<string, string> = {}): Series {
  return { name: 'Value', labels, times: points.map(([t]) => t), values: points.map(([, v]) => v) };
}

/** One point of value 1 at the start of every UTC quarter hour in [from, to). */
function everyQuarter(from: string, to: string): Series {
  const points: Array<[number, number]> = [];
  for (let t = ms(from); t < ms(to); t += QUARTER) {
    points.push([t, 1]);
  }
  return series(points);
}

/** The weekday × hour cell for a weekday (0 = Sunday) and a minute of the day. */
function slot(grid: ActivityGrid, weekday: number, minute: number): ActivityCell {
  if (grid.layout !== 'weekdayHour') {
    throw new Error('weekday × hour grid expected');
  }
  const row = grid.rows.indexOf(weekday as 0);
  const col = grid.columns.indexOf(minute);
  return grid.cells[row * grid.columns.length + col];
}

describe('fold: weekday × hour in UTC', () => {
  const twoWeeks = range('2024-01-01T00:00:00Z', '2024-01-15T00:00:00Z');

  it('puts points in their weekday and hour, Monday first, 24 columns', () => {
    const data = series([
      [ms('2024-01-02T10:30:00Z'), 3],
      [ms('2024-01-09T10:05:00Z'), 3],
    ]);
    const grid = foldSeries([data], options, twoWeeks, 'UTC');
    expect(grid.rows).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(grid.columns).toHaveLength(24);
    expect(slot(grid, 2, 600)).toMatchObject({
      value: 6,
      sum: 6,
      count: 2,
      occurrences: 2,
      days: 2,
      from: ms('2024-01-02T10:00:00Z'),
      to: ms('2024-01-09T11:00:00Z'),
    });
    expect(slot(grid, 2, 660)).toMatchObject({ value: 0, occurrences: 2 });
    expect(grid.points).toBe(2);
    expect([grid.min, grid.max]).toEqual([0, 6]);
  });

  it('divides the mean by the slot occurrences in the range, not by the data points', () => {
    const minutes: Array<[number, number]> = [];
    for (let m = 0; m < 60; m++) {
      minutes.push([ms('2024-01-02T10:00:00Z') + m * 60_000, 1]);
    }
    const grid = foldSeries([series(minutes)], { ...options, calculation: 'mean' }, twoWeeks, 'UTC');
    expect(slot(grid, 2, 600).value).toBe(30);
    expect(slot(grid, 2, 600).count).toBe(60);
  });

  it('computes max per occurrence, count of points and percent of total', () => {
    const data = series([
      [ms('2024-01-02T10:00:00Z'), 1],
      [ms('2024-01-02T10:15:00Z'), 1],
      [ms('2024-01-02T10:30:00Z'), 1],
      [ms('2024-01-09T10:00:00Z'), 5],
      [ms('2024-01-03T08:00:00Z'), 2],
    ]);
    const fold = (extra: Partial<FoldOptions>) => foldSeries([data], { ...options, ...extra }, twoWeeks, 'UTC');
    expect(slot(fold({ calculation: 'max' }), 2, 600).value).toBe(5);
    expect(slot(fold({ calculation: 'count' }), 2, 600).value).toBe(4);
    expect(slot(fold({ calculation: 'mean' }), 2, 600).value).toBe(4);
    const percent = fold({ calculation: 'total', percentOfTotal: true });
    expect(slot(percent, 2, 600).value).toBe(80);
    expect(slot(percent, 3, 480).value).toBe(20);
    expect(percent.max).toBe(80);
  });

  it('counts occurrences of a range that starts and ends mid-week', () => {
    const tenDays = range('2024-01-03T12:07:00Z', '2024-01-13T12:00:00Z'); // Wed 12:07 → Sat 12:00
    const grid = foldSeries([], { ...options, calculation: 'mean' }, tenDays, 'UTC');
    expect(slot(grid, 2, 600).occurrences).toBe(1); // Tue 9th
    expect(slot(grid, 3, 600).occurrences).toBe(1); // Wed 10th (the 3rd starts at 12:07)
    expect(slot(grid, 3, 720).occurrences).toBe(2); // Wed 3rd, from 12:00 (the quarter of 12:07), and 10th
    expect(slot(grid, 6, 600).occurrences).toBe(2); // Sat 6th and 13th
    expect(slot(grid, 6, 720).occurrences).toBe(1); // Sat 13th ends at 12:00
  });

  it('keeps only the hours asked for and honours 15-minute columns and the first day', () => {
    const data = series([
      [ms('2024-01-07T07:00:00Z'), 9],
      [ms('2024-01-07T09:45:00Z'), 2],
    ]);
    const grid = foldSeries(
      [data],
      { ...options, slotMinutes: 15, hourFrom: 8, hourTo: 18, firstDay: 0 },
      twoWeeks,
      'UTC'
    );
    expect(grid.rows).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(grid.columns).toHaveLength(40);
    expect(grid.columns[0]).toBe(480);
    expect(slot(grid, 0, 585).value).toBe(2);
    expect(grid.points).toBe(1);
  });

  it('returns zeros and no points for an empty series list, and skips nulls', () => {
    const empty = foldSeries([], options, twoWeeks, 'UTC');
    expect(empty.points).toBe(0);
    expect(empty.cells.every((cell) => cell.value === 0 && cell.occurrences === 2)).toBe(true);

    const withNulls = foldSeries(
      [
        series([
          [ms('2024-01-02T10:00:00Z'), null],
          [ms('2024-01-02T10:15:00Z'), NaN],
          [ms('2024-01-02T10:30:00Z'), 4],
        ]),
      ],
      { ...options, calculation: 'count' },
      twoWeeks,
      'UTC'
    );
    expect(slot(withNulls, 2, 600).value).toBe(1);
    expect(withNulls.points).toBe(1);
  });

  it('ignores points outside the range', () => {
    const data = series([
      [ms('2023-12-31T23:00:00Z'), 7],
      [ms('2024-01-15T00:00:00Z'), 7],
    ]);
    expect(foldSeries([data], options, twoWeeks, 'UTC').points).toBe(0);
  });
});

describe('fold: Europe/Madrid across DST', () => {
  it('counts the repeated autumn hour (2019-10-27 02:00) once per occurrence', () => {
    const week = range('2019-10-20T22:00:00Z', '2019-10-27T23:00:00Z'); // Mon 21 00:00 CEST → Mon 28 00:00 CET
    const data = everyQuarter('2019-10-20T22:00:00Z', '2019-10-27T23:00:00Z');
    const grid = foldSeries([data], options, week, 'Europe/Madrid');
    expect(slot(grid, 0, 120)).toMatchObject({
      sum: 8,
      occurrences: 2,
      days: 1,
      from: ms('2019-10-27T00:00:00Z'),
      to: ms('2019-10-27T02:00:00Z'),
    });
    expect(slot(grid, 0, 60)).toMatchObject({ sum: 4, occurrences: 1 });
    expect(slot(grid, 0, 180)).toMatchObject({ sum: 4, occurrences: 1 });
    const mean = foldSeries([data], { ...options, calculation: 'mean' }, week, 'Europe/Madrid');
    expect(mean.cells.filter((cell) => cell.value !== 4)).toEqual([]);
  });

  it('leaves the missing spring hour (2020-03-29 02:00) as a gap, not a zero', () => {
    const week = range('2020-03-22T23:00:00Z', '2020-03-29T22:00:00Z'); // Mon 23 00:00 CET → Mon 30 00:00 CEST
    const data = everyQuarter('2020-03-22T23:00:00Z', '2020-03-29T22:00:00Z');
    const grid = foldSeries([data], options, week, 'Europe/Madrid');
    expect(slot(grid, 0, 120)).toMatchObject({ value: null, occurrences: 0, sum: 0 });
    expect(slot(grid, 0, 60)).toMatchObject({ value: 4, occurrences: 1 });
    expect(slot(grid, 0, 180)).toMatchObject({ value: 4, occurrences: 1, from: ms('2020-03-29T01:00:00Z') });
    expect(grid.points).toBe(7 * 96 - 4);
    expect(grid.cells.filter((cell) => cell.value === null)).toHaveLength(1);
  });

  it('divides by the Sundays that had a 02:00 when the range spans the spring change', () => {
    const twoWeeks = range('2020-03-22T23:00:00Z', '2020-04-05T22:00:00Z');
    const data = series([[ms('2020-04-05T00:30:00Z'), 6]]); // Sunday 5 April 02:30 CEST
    const grid = foldSeries([data], { ...options, calculation: 'mean' }, twoWeeks, 'Europe/Madrid');
    expect(slot(grid, 0, 120)).toMatchObject({ value: 6, occurrences: 1, days: 1 });
    expect(slot(grid, 1, 120)).toMatchObject({ occurrences: 2 });
  });

  it('folds in local hours on both sides of the change', () => {
    const data = series([
      [ms('2019-10-22T08:00:00Z'), 1], // Tue 10:00 CEST
      [ms('2019-10-29T09:00:00Z'), 1], // Tue 10:00 CET
    ]);
    const grid = foldSeries([data], options, range('2019-10-20T22:00:00Z', '2019-11-03T23:00:00Z'), 'Europe/Madrid');
    expect(slot(grid, 2, 600).value).toBe(2);
  });

  it('finds the transitions to the minute', () => {
    const timeline = offsetTimeline('Europe/Madrid', ms('2019-10-01T00:00:00Z'), ms('2020-04-30T00:00:00Z'));
    expect(timeline.starts.slice(1)).toEqual([ms('2019-10-27T01:00:00Z'), ms('2020-03-29T01:00:00Z')]);
    expect(timeline.offsets).toEqual([2 * HOUR, HOUR, 2 * HOUR]);
  });
});

describe('fold: other zones', () => {
  it('America/New_York: local hours before and after the March change, and its missing 02:00', () => {
    const week = range('2024-03-04T05:00:00Z', '2024-03-11T04:00:00Z'); // Mon 4 00:00 EST → Mon 11 00:00 EDT
    const data = series([
      [ms('2024-03-09T15:00:00Z'), 1], // Sat 10:00 EST
      [ms('2024-03-10T14:00:00Z'), 1], // Sun 10:00 EDT
    ]);
    const grid = foldSeries([data], options, week, 'America/New_York');
    expect(slot(grid, 6, 600).value).toBe(1);
    expect(slot(grid, 0, 600).value).toBe(1);
    expect(slot(grid, 0, 120).value).toBeNull();
  });

  it('Asia/Kolkata (UTC+5:30): half-hour offsets land in the right local hour', () => {
    const week = range('2024-01-07T18:30:00Z', '2024-01-14T18:30:00Z'); // Mon 8 00:00 IST → Mon 15
    const data = series([
      [ms('2024-01-09T04:30:00Z'), 1], // Tue 10:00 IST
      [ms('2024-01-09T04:15:00Z'), 2], // Tue 09:45 IST
    ]);
    const hourly = foldSeries([data], options, week, 'Asia/Kolkata');
    expect(slot(hourly, 2, 600).value).toBe(1);
    expect(slot(hourly, 2, 540).value).toBe(2);
    expect(slot(hourly, 2, 600)).toMatchObject({ from: ms('2024-01-09T04:30:00Z'), to: ms('2024-01-09T05:30:00Z') });
    const halfHourly = foldSeries([data], { ...options, slotMinutes: 30 }, week, 'Asia/Kolkata');
    expect(slot(halfHourly, 2, 570).value).toBe(2);
    expect(slot(halfHourly, 2, 600).value).toBe(1);
  });

  it('resolves Grafana zone values', () => {
    expect(resolveTimeZone('utc')).toBe('UTC');
    expect(resolveTimeZone('browser')).toBe(Intl.DateTimeFormat().resolvedOptions().timeZone);
    expect(resolveTimeZone('Europe/Madrid')).toBe('Europe/Madrid');
    expect(() => resolveTimeZone('Mars/Olympus_Mons')).toThrow(RangeError);
  });
});

describe('fold: week × weekday', () => {
  const week = { ...options, layout: 'weekWeekday' as const };

  it('makes one row per calendar week of the range and leaves days outside it empty', () => {
    const data = series([
      [ms('2024-01-09T10:00:00Z'), 2],
      [ms('2024-01-09T18:00:00Z'), 3],
    ]);
    const grid = foldSeries([data], week, range('2024-01-03T00:00:00Z', '2024-01-17T00:00:00Z'), 'UTC');
    if (grid.layout !== 'weekWeekday') {
      throw new Error('week × weekday grid expected');
    }
    expect(grid.rows).toEqual([19723, 19730, 19737]); // Mondays 1, 8 and 15 January 2024
    expect(grid.columns).toEqual([1, 2, 3, 4, 5, 6, 0]);
    expect(grid.cells[7 + 1]).toMatchObject({
      value: 5,
      days: 1,
      from: ms('2024-01-09T00:00:00Z'),
      to: ms('2024-01-10T00:00:00Z'),
    });
    expect(grid.cells.map((cell) => cell.value === null)).toEqual([
      ...[true, true, false, false, false, false, false],
      ...[false, false, false, false, false, false, false],
      ...[false, false, true, true, true, true, true],
    ]);
  });

  it('starts weeks on the chosen day and uses the zone for day boundaries', () => {
    const data = series([[ms('2019-10-26T22:30:00Z'), 1]]); // Sun 27 Oct 00:30 CEST
    const grid = foldSeries(
      [data],
      { ...week, firstDay: 0 },
      range('2019-10-20T22:00:00Z', '2019-11-02T23:00:00Z'),
      'Europe/Madrid'
    );
    expect(grid.columns[0]).toBe(0);
    expect(grid.rows).toEqual([18189, 18196]); // Sundays 20 and 27 October: the range ends as 3 November starts
    expect(grid.cells[7]).toMatchObject({ value: 1, from: ms('2019-10-26T22:00:00Z'), to: ms('2019-10-27T23:00:00Z') });
  });
});

describe('fold: calculations over occurrences', () => {
  // Tuesday 10:00 UTC over four weeks: 4, 0 (no points), 1 and 9.
  const fourWeeks = range('2024-01-01T00:00:00Z', '2024-01-29T00:00:00Z');
  const data = series([
    [ms('2024-01-02T10:00:00Z'), 4],
    [ms('2024-01-16T10:15:00Z'), 1],
    [ms('2024-01-23T10:30:00Z'), 5],
    [ms('2024-01-23T10:45:00Z'), 4],
  ]);
  const value = (calculation: FoldOptions['calculation']) =>
    slot(foldSeries([data], { ...options, calculation }, fourWeeks, 'UTC'), 2, 600).value;

  it('gives min, median, mean, max and total of the weeks, a week without points counting as zero', () => {
    expect(value('min')).toBe(0);
    expect(value('median')).toBe(2.5); // of 0, 1, 4, 9
    expect(value('mean')).toBe(3.5);
    expect(value('max')).toBe(9);
    expect(value('total')).toBe(14);
    expect(value('count')).toBe(4);
  });

  it('in week × weekday, takes them over the hours of each day: mean per hour is not the total', () => {
    const week = { ...options, layout: 'weekWeekday' as const };
    const day = (calculation: FoldOptions['calculation']) =>
      foldSeries([data], { ...week, calculation }, fourWeeks, 'UTC').cells[3 * 7 + 1];
    expect(day('total')).toMatchObject({ value: 9, occurrences: 24 });
    expect(day('mean').value).toBe(9 / 24);
    expect(day('max').value).toBe(9);
    expect(day('median').value).toBe(0);
  });

  it('in week × weekday, counts 25 hours on the autumn change day and 23 on the spring one', () => {
    const week = { ...options, layout: 'weekWeekday' as const, calculation: 'mean' as const };
    const autumn = foldSeries(
      [everyQuarter('2019-10-26T22:00:00Z', '2019-10-27T23:00:00Z')],
      week,
      range('2019-10-21T00:00:00Z', '2019-10-28T00:00:00Z'),
      'Europe/Madrid'
    );
    const sunday = autumn.cells.find((cell) => cell.sum > 0)!;
    expect(sunday).toMatchObject({ occurrences: 25, sum: 100, value: 4 });
    const spring = foldSeries(
      [everyQuarter('2019-03-30T23:00:00Z', '2019-03-31T22:00:00Z')],
      week,
      range('2019-03-25T00:00:00Z', '2019-04-01T00:00:00Z'),
      'Europe/Madrid'
    );
    expect(spring.cells.find((cell) => cell.sum > 0)).toMatchObject({ occurrences: 23, sum: 92, value: 4 });
  });
});

describe('fold: day × hour (unfolded)', () => {
  const unfolded = { ...options, layout: 'dayHour' as const };

  it('makes a row per local day of the range and a column per slot', () => {
    const data = series([[ms('2024-01-02T10:30:00Z'), 3]]);
    const grid = foldSeries([data], unfolded, range('2024-01-01T00:00:00Z', '2024-01-04T00:00:00Z'), 'UTC');
    if (grid.layout !== 'dayHour') {
      throw new Error('day × hour grid expected');
    }
    expect(grid.rows).toEqual([19723, 19724, 19725]);
    expect(grid.columns).toHaveLength(24);
    expect(grid.cells[24 + 10]).toMatchObject({ value: 3, occurrences: 1, from: ms('2024-01-02T10:00:00Z') });
    expect(grid.cells.filter((cell) => cell.value === 0)).toHaveLength(3 * 24 - 1);
  });

  it('draws the missing spring hour empty and counts the autumn one twice, in Madrid', () => {
    const spring = foldSeries(
      [everyQuarter('2019-03-30T23:00:00Z', '2019-03-31T22:00:00Z')],
      unfolded,
      range('2019-03-30T23:00:00Z', '2019-03-31T22:00:00Z'),
      'Europe/Madrid'
    );
    expect(spring.rows).toHaveLength(1);
    expect(spring.cells[2]).toMatchObject({ value: null, occurrences: 0 });
    expect(spring.cells[3]).toMatchObject({ value: 4 });
    const autumn = foldSeries(
      [everyQuarter('2019-10-26T22:00:00Z', '2019-10-27T23:00:00Z')],
      unfolded,
      range('2019-10-26T22:00:00Z', '2019-10-27T23:00:00Z'),
      'Europe/Madrid'
    );
    expect(autumn.cells[2]).toMatchObject({ value: 8, occurrences: 2 });
  });
});

describe('cellIndexAt: the cell of an instant, for the "now" outline', () => {
  const fourWeeks = range('2024-01-01T00:00:00Z', '2024-01-29T00:00:00Z');
  const t = ms('2024-01-16T09:20:00Z'); // Tuesday 10:20 in Madrid

  it('finds the weekday and hour in the zone in each layout, and nothing outside the grid', () => {
    const hours = foldSeries([], options, fourWeeks, 'Europe/Madrid');
    expect(hours.cells[cellIndexAt(hours, t)!]).toBe(slot(hours, 2, 600));
    const week = foldSeries([], { ...options, layout: 'weekWeekday' }, fourWeeks, 'Europe/Madrid');
    expect(cellIndexAt(week, t)).toBe(2 * 7 + 1);
    const days = foldSeries([], { ...options, layout: 'dayHour' }, fourWeeks, 'Europe/Madrid');
    expect(cellIndexAt(days, t)).toBe(15 * 24 + 10);
    const school = foldSeries([], { ...options, hourFrom: 8, hourTo: 10 }, fourWeeks, 'Europe/Madrid');
    expect(cellIndexAt(school, t)).toBeUndefined();
    expect(cellIndexAt(days, ms('2025-01-01T00:00:00Z'))).toBeUndefined();
  });
});

describe('series from InfluxQL-shaped frames', () => {
  const t0 = ms('2024-01-02T10:00:00Z');
  const frame = (exercise: string, value: number) =>
    createDataFrame({
      name: 'simulations',
      fields: [
        { name: 'Time', type: FieldType.time, values: [t0, t0 + QUARTER] },
        { name: 'Value', type: FieldType.number, values: [value, value], labels: { exercise } },
      ],
    });
  const frames = [frame('maze', 1), frame('drone', 10)];
  const twoWeeks = range('2024-01-01T00:00:00Z', '2024-01-15T00:00:00Z');

  it('sums every series by default', () => {
    const picked = seriesFromFrames(frames, { valueField: '', label: '', labelValue: '' });
    expect(slot(foldSeries(picked, options, twoWeeks, 'UTC'), 2, 600).value).toBe(22);
  });

  it('keeps one series chosen by a label value', () => {
    const picked = seriesFromFrames(frames, { valueField: '', label: 'exercise', labelValue: 'drone' });
    expect(picked.map((s) => s.labels.exercise)).toEqual(['drone']);
    expect(slot(foldSeries(picked, options, twoWeeks, 'UTC'), 2, 600).value).toBe(20);
  });

  it('reads the chosen number field of a wide frame, and skips frames without time', () => {
    const wide = createDataFrame({
      fields: [
        { name: 'time', type: FieldType.time, values: [t0] },
        { name: 'sessions', type: FieldType.number, values: [3] },
        { name: 'minutes', type: FieldType.number, values: [40] },
      ],
    });
    const noTime = createDataFrame({ fields: [{ name: 'minutes', type: FieldType.number, values: [1] }] });
    const picked = seriesFromFrames([wide, noTime], { valueField: 'minutes', label: '', labelValue: '' });
    expect(picked).toHaveLength(1);
    expect(picked[0].values).toEqual([40]);
    expect(seriesFromFrames([wide], { valueField: '', label: '', labelValue: '' })[0].values).toEqual([3]);
  });
});
