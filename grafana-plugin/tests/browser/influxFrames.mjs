/**
 * Frames shaped like Grafana's InfluxDB (InfluxQL) datasource answer to
 *   SELECT sum("count") FROM "simulations" WHERE $timeFilter GROUP BY time(15m), "exercise" fill(none)
 * one frame per series: a `Time` field and a `Value` field whose labels are the tags.
 *
 * The instants are written out by hand (Europe/Madrid: UTC+2 until 27 October 2019 03:00, UTC+1 after)
 * so that the expected cells below do not come from the code under test.
 */
const QUARTER = 15 * 60_000;
const at = (iso) => Date.parse(iso);

// Tuesday 10:00–11:00 and Friday 13:00–14:00 Madrid time, four weeks around the autumn change.
const classHours = [
  '2019-10-08T08:00:00Z',
  '2019-10-15T08:00:00Z',
  '2019-10-22T08:00:00Z',
  '2019-10-29T09:00:00Z',
  '2019-10-11T11:00:00Z',
  '2019-10-18T11:00:00Z',
  '2019-10-25T11:00:00Z',
  '2019-11-01T12:00:00Z',
].map(at);
// Sunday 27 October 2019, 02:00–03:00 Madrid time happened twice: 00:00–01:00Z (CEST) and 01:00–02:00Z (CET).
const repeatedHour = [at('2019-10-27T00:00:00Z'), at('2019-10-27T01:00:00Z')];

function quarters(starts) {
  return starts.flatMap((start) => [0, 1, 2, 3].map((q) => start + q * QUARTER)).sort((a, b) => a - b);
}

function influxFrame(exercise, times, value) {
  return {
    name: 'simulations',
    refId: 'A',
    meta: {
      executedQueryString:
        'SELECT sum("count") FROM "simulations" WHERE time >= … GROUP BY time(15m), "exercise" fill(none)',
    },
    fields: [
      { name: 'Time', type: 'time', config: {}, values: times },
      {
        name: 'Value',
        type: 'number',
        labels: { exercise },
        config: { displayNameFromDS: `simulations.sum {exercise: ${exercise}}` },
        values: times.map(() => value),
      },
    ],
  };
}

export const frames = [
  influxFrame('maze', quarters([...classHours, ...repeatedHour]), 1),
  influxFrame('drone', quarters(classHours), 2),
];

/** Monday 7 October 2019 00:00 → Monday 4 November 2019 00:00, Madrid time. */
export const fourWeeks = { from: at('2019-10-06T22:00:00Z'), to: at('2019-11-03T23:00:00Z') };
/** The same, starting on Wednesday 9 October. */
export const fromWednesday = { from: at('2019-10-08T22:00:00Z'), to: fourWeeks.to };

export const sessionsLink = {
  title: 'Sessions at ${__cell.hour}:00',
  url: 'https://grafana.example/d/sessions?from=${__cell.from}&to=${__cell.to}&var-weekday=${__cell.weekday}&var-hour=${__cell.hour}',
};

// Rows start on Monday: Tuesday is row 1, Friday row 4, Sunday row 6.
export const expectations = {
  /** Mean per occurrence, both series summed. */
  weekdayHourMean: [
    { row: 1, col: 10, value: 12 }, // 4 weeks × 4 quarters × (1 + 2) / 4 Tuesdays
    { row: 4, col: 13, value: 12 },
    { row: 6, col: 2, value: 1.6 }, // 8 quarters / 5 occurrences: 13, 20, 27 (twice) October, 3 November
    { row: 1, col: 11, value: 0 },
  ],
  /** The Tuesday 10:00 link: first occurrence 8 October 08:00Z, last ends 29 October 10:00Z. */
  tuesdayTenLink: 'https://grafana.example/d/sessions?from=1570521600000&to=1572343200000&var-weekday=2&var-hour=10',
  /** Week × weekday totals from Wednesday 9 October; Monday 7 and Tuesday 8 are outside the range. */
  weekWeekdayTotal: [
    { row: 0, col: 0, value: null },
    { row: 0, col: 1, value: null },
    { row: 0, col: 2, value: 0 },
    { row: 0, col: 4, value: 12 }, // Friday 11 October
    { row: 1, col: 1, value: 12 }, // Tuesday 15 October
    { row: 2, col: 6, value: 8 }, // Sunday 27 October, the repeated hour twice
  ],
  /** Zoom on Tuesday 15 October: the Madrid day in UTC. */
  tuesdayFifteenth: { from: at('2019-10-14T22:00:00Z'), to: at('2019-10-15T22:00:00Z') },
  /** Only the drone series, mean. */
  droneMean: [
    { row: 1, col: 10, value: 8 },
    { row: 6, col: 2, value: 0 },
  ],
};

/**
 * Eight weeks of classroom-shaped activity for the catalog screenshots: school hours on weekdays,
 * peaks on Tuesday and Friday at 10:00 and 13:00 Madrid time (Tuesday 10:00 the busiest), quiet
 * weekends. Local time comes from Intl here: the checks on these frames only compare cells.
 */
export function classroomFrames() {
  const local = new Intl.DateTimeFormat('en-US', {
    timeZone: 'Europe/Madrid',
    weekday: 'short',
    hour: 'numeric',
    hourCycle: 'h23',
  });
  const times = { maze: [], drone: [] };
  const values = { maze: [], drone: [] };
  for (let t = classroomWeeks.from, i = 0; t < classroomWeeks.to; t += QUARTER, i++) {
    const parts = Object.fromEntries(local.formatToParts(t).map((p) => [p.type, p.value]));
    const hour = Number(parts.hour);
    const weekend = parts.weekday === 'Sat' || parts.weekday === 'Sun';
    const noise = (i * 7919) % 3;
    let value = 0;
    if (weekend) {
      value = hour >= 10 && hour < 21 ? noise : 0;
    } else if (hour >= 9 && hour < 15) {
      value = 4 + noise;
      if (parts.weekday === 'Tue' && hour === 10) {
        value = 16;
      } else if ((parts.weekday === 'Tue' || parts.weekday === 'Fri') && (hour === 10 || hour === 13)) {
        value = 12;
      }
    } else if (hour >= 16 && hour < 21) {
      value = 1 + noise;
    }
    // Some weeks busier than others (exams, holidays), the same factor for every slot of a week.
    value = Math.round(value * (0.6 + 0.1 * ((Math.floor(i / (7 * 96)) * 5) % 6)));
    if (value > 0) {
      // fill(none): InfluxDB leaves empty 15-minute buckets out.
      times.maze.push(t);
      values.maze.push(Math.ceil(value * 0.6));
      times.drone.push(t);
      values.drone.push(Math.floor(value * 0.4));
    }
  }
  return ['maze', 'drone'].map((exercise) => {
    const frame = influxFrame(exercise, times[exercise], 0);
    frame.fields[1].values = values[exercise];
    return frame;
  });
}

/** Monday 30 September → Monday 25 November 2019, Madrid time (across the October change). */
export const classroomWeeks = { from: at('2019-09-29T22:00:00Z'), to: at('2019-11-24T23:00:00Z') };
