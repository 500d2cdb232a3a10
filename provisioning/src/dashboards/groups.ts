/**
 * Groups: what a teacher wants of their classes. Reads the per-class roll-ups (`groups_15m`,
 * `group_exercises_15m`), the active days and, for the latest sessions, the raw points of the chosen
 * classes.
 */
import { influx, type DashboardSpec } from '../grafana.js';
import { RAW, classActiveUsers, influxql, rollup, sumOf, tagVar, timeFilter } from '../influxql.js';
import { activity, dropTime, stat, table, timeseries } from '../panels.js';
import { botVar, groupVar } from '../variables.js';
import { hideCount, userLink } from './links.js';

const chosen = () => [timeFilter, tagVar('group'), tagVar('bot')];
const per15m = (field: 'sessions' | 'simulations' | 'minutes') =>
  influxql({
    select: sumOf('groups', field),
    from: rollup('groups'),
    where: chosen(),
    groupByTime: '15m',
    fill: 'none',
  });
const perDay = (field: 'sessions' | 'simulations' | 'minutes', alias: string) =>
  influx(
    influxql({
      select: sumOf('groups', field, alias),
      from: rollup('groups'),
      where: chosen(),
      groupByTime: '1d',
      fill: '0',
      tz: true,
    }),
    { alias }
  );

export const groups: DashboardSpec = {
  uid: 'kibotics-groups',
  title: 'Kibotics groups',
  description:
    'One or more classes: logins, simulations and their minutes by day, weekday and hour; exercises; the latest sessions',
  showsUserNames: true,
  variables: [groupVar, botVar],
  rows: [
    {
      panels: [
        timeseries('Logins per day', [perDay('sessions', 'logins')], { w: 8, h: 8, bars: true }),
        timeseries('Simulations per day', [perDay('simulations', 'simulations')], { w: 8, h: 8, bars: true }),
        stat('Active users', [influx(classActiveUsers(timeFilter, tagVar('group')), { alias: 'active users' })], {
          w: 8,
          h: 8,
          description:
            'Distinct users with activity in the chosen classes in the range, exact: a user counts where their first event of a UTC day in a class falls (crawlers never count)',
        }),
      ],
    },
    {
      panels: [
        activity('Logins by weekday × hour', per15m('sessions'), {
          w: 12,
          h: 9,
          layout: 'weekdayHour',
          description: 'Mean logins per hour of each weekday over the range',
        }),
        activity('Simulation minutes by weekday × hour', per15m('minutes'), {
          w: 12,
          h: 9,
          layout: 'weekdayHour',
          unit: 'm',
          description: 'Mean minutes of running simulations per hour of each weekday',
        }),
      ],
    },
    {
      panels: [
        table(
          'Exercises of the chosen groups',
          [
            influx(
              influxql({
                select: [
                  `${sumOf('groupExercises', 'ends', 'runs')}`,
                  `${sumOf('groupExercises', 'duration_s')} / 3600 AS "hours"`,
                  `${sumOf('groupExercises', 'duration_s')} / ${sumOf('groupExercises', 'paired')} / 60 AS "mean minutes"`,
                ],
                from: rollup('groupExercises'),
                where: chosen(),
                groupByTags: ['exercise', 'simulation_type'],
              }),
              { table: true }
            ),
          ],
          { w: 12, h: 9, sortBy: 'hours', transformations: [dropTime] }
        ),
        table(
          'Latest sessions',
          [
            influx(
              influxql({
                select: ['"user"', '"group"', '"reason"', '"duration_s"', '"count"'],
                from: RAW.session_end,
                where: chosen(),
                orderDesc: true,
                limit: 200,
              }),
              { table: true }
            ),
          ],
          { w: 12, h: 9, overrides: [userLink], transformations: [hideCount] }
        ),
      ],
    },
  ],
};
