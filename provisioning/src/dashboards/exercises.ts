/** Exercises: which exercises are used, for how long, in which simulator; runs left unfinished. */
import { influx, type DashboardSpec } from '../grafana.js';
import { RAW, influxql, lastDayOfRange, platformFilters, rollup, sumOf, tagVar, timeFilter } from '../influxql.js';
import { activity, barchart, dropTime, pie, table, timeseries } from '../panels.js';
import { botVar, exerciseVar, simulationTypeVar } from '../variables.js';
import { hideCount, userLink } from './links.js';

const filters = () => platformFilters(tagVar('exercise'), tagVar('simulation_type'));
const minutes15m = influxql({
  select: sumOf('simulations', 'minutes'),
  from: rollup('simulations'),
  where: filters(),
  groupByTime: '15m',
  fill: 'none',
});
/** Starts per exercise over the range, the input of the most and least used rankings. */
const startsPerExercise = influxql({
  select: sumOf('simulations', 'starts', 'starts'),
  from: rollup('simulations'),
  where: filters(),
  groupByTags: ['exercise'],
});
const ranked = (fn: 'top' | 'bottom') =>
  influxql({
    select: `${fn}("starts", "exercise", 10) AS "starts"`,
    from: { subquery: startsPerExercise },
    where: [timeFilter],
  });

export const exercises: DashboardSpec = {
  uid: 'kibotics-exercises',
  title: 'Kibotics exercises',
  description: 'Simulations per day and type, time per exercise, most and least used exercises, unfinished runs',
  showsUserNames: true,
  variables: [exerciseVar, simulationTypeVar, botVar],
  rows: [
    {
      panels: [
        timeseries(
          'Simulations per day by type',
          [
            influx(
              influxql({
                select: sumOf('simulations', 'starts'),
                from: rollup('simulations'),
                where: filters(),
                groupByTime: '1d',
                groupByTags: ['simulation_type'],
                fill: '0',
                tz: true,
              }),
              { alias: '$tag_simulation_type' }
            ),
          ],
          { w: 16, h: 8, bars: true, stack: true }
        ),
        pie(
          'Starts by simulation type',
          [
            influx(
              influxql({
                select: sumOf('simulations', 'starts'),
                from: rollup('simulations'),
                where: filters(),
                groupByTags: ['simulation_type'],
              }),
              { alias: '$tag_simulation_type' }
            ),
          ],
          {
            w: 8,
            h: 8,
            description: 'simulator: Gazebo on the server farm; websim: in the browser; real: a physical robot',
          }
        ),
      ],
    },
    {
      panels: [
        activity('Simulation minutes by weekday × hour', minutes15m, {
          w: 12,
          h: 9,
          layout: 'weekdayHour',
          unit: 'm',
          description: 'Mean minutes of simulation running in each hour of each weekday',
        }),
        activity('Simulation minutes by week × weekday', minutes15m, {
          w: 12,
          h: 9,
          layout: 'weekWeekday',
          unit: 'm',
          description: 'Minutes of simulation per day, a row per week',
        }),
      ],
    },
    {
      panels: [
        table(
          'Time per exercise',
          [
            influx(
              influxql({
                select: [
                  sumOf('simulations', 'starts', 'starts'),
                  sumOf('simulations', 'ends', 'ends'),
                  'sum("duration_s") / 3600 AS "total hours"',
                  'sum("duration_s") / sum("paired") / 60 AS "mean minutes"',
                ],
                from: rollup('simulations'),
                where: filters(),
                groupByTags: ['exercise'],
              }),
              { table: true }
            ),
          ],
          {
            w: 12,
            h: 10,
            sortBy: 'total hours',
            description: 'Total and mean time of the runs whose start and end were paired',
            overrides: [
              { matcher: { id: 'byName', options: 'total hours' }, properties: [{ id: 'decimals', value: 1 }] },
              { matcher: { id: 'byName', options: 'mean minutes' }, properties: [{ id: 'decimals', value: 1 }] },
            ],
            transformations: [dropTime],
          }
        ),
        barchart('Most used exercises', [influx(ranked('top'), { table: true })], {
          w: 6,
          h: 10,
          x: 'exercise',
          transformations: [dropTime],
        }),
        barchart('Least used exercises', [influx(ranked('bottom'), { table: true })], {
          w: 6,
          h: 10,
          x: 'exercise',
          transformations: [dropTime],
        }),
      ],
    },
    {
      panels: [
        barchart(
          'Unfinished simulations',
          [
            influx(
              influxql({
                select: ['sum("starts") - sum("paired") AS "never ended"'],
                from: rollup('simulations'),
                where: filters(),
                groupByTags: ['exercise'],
              }),
              { table: true }
            ),
          ],
          {
            w: 8,
            h: 10,
            x: 'exercise',
            transformations: [dropTime, sortedDesc('never ended')],
            description: 'Runs started in the range that no end was paired with: closed tabs, crashes, a second start',
          }
        ),
        {
          ...table(
            'Latest simulations, last 24 h',
            [
              influx(
                influxql({
                  select: [
                    '"user"',
                    '"group"',
                    '"exercise"',
                    '"simulation_type"',
                    '"duration_s"',
                    '"count"',
                    '"host"',
                    '"device"',
                  ],
                  from: RAW.simulation_end,
                  where: [...filters(), lastDayOfRange],
                  orderDesc: true,
                  limit: 100,
                }),
                { table: true }
              ),
            ],
            {
              w: 16,
              h: 10,
              description:
                'The latest 100 runs that ended in the last 24 hours of the range (a busy platform runs thousands a day: older ones are in the per-user dashboard)',
              overrides: [
                userLink,
                {
                  matcher: { id: 'byName', options: 'duration_s' },
                  properties: [
                    { id: 'unit', value: 's' },
                    { id: 'displayName', value: 'duration' },
                  ],
                },
              ],
              transformations: [hideCount],
            }
          ),
          idOf: 'Latest simulations',
        },
      ],
    },
  ],
};

function sortedDesc(field: string) {
  return { id: 'sortBy', options: { sort: [{ field, desc: true }] } };
}
