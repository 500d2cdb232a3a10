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
  '2019-10-08T08:00:00Z', '2019-10-15T08:00:00Z', '2019-10-22T08:00:00Z', '2019-10-29T09:00:00Z',
  '2019-10-11T11:00:00Z', '2019-10-18T11:00:00Z', '2019-10-25T11:00:00Z', '2019-11-01T12:00:00Z',
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
    meta: { executedQueryString: 'SELECT sum("count") FROM "simulations" WHERE time >= … GROUP BY time(15m), "exercise" fill(none)' },
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
  tuesdayTenLink:
    'https://grafana.example/d/sessions?from=1570521600000&to=1572343200000&var-weekday=2&var-hour=10',
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
