/** One user: everything a pupil or teacher did, from the raw points (tagged by user, so this is fast). */
import { influx, type DashboardSpec } from '../grafana.js';
import { RAW, influxql, tagVar, timeFilter } from '../influxql.js';
import { activity, dropTime, table, timeseries } from '../panels.js';
import { userVar } from '../variables.js';
import { USER_DASHBOARD } from './links.js';

const mine = () => [timeFilter, tagVar('user')];
const perDay = (measurement: string, select: string, alias: string) =>
  influx(influxql({ select, from: measurement, where: mine(), groupByTime: '1d', fill: '0', tz: true }), { alias });

export const user: DashboardSpec = {
  uid: USER_DASHBOARD.uid,
  title: 'Kibotics user',
  description: "One user's sessions, simulations and exercises: pick the user, or follow a link from a table",
  showsUserNames: true,
  variables: [userVar],
  rows: [
    {
      panels: [
        timeseries('Sessions per day', [perDay(RAW.session_start, 'count("count")', 'sessions')], {
          w: 12,
          h: 8,
          bars: true,
        }),
        timeseries('Simulation minutes per day', [perDay(RAW.simulation_end, 'sum("duration_s") / 60', 'minutes')], {
          w: 12,
          h: 8,
          bars: true,
          unit: 'm',
        }),
      ],
    },
    {
      panels: [
        activity(
          'Simulations by weekday × hour',
          influxql({
            select: 'count("count")',
            from: RAW.simulation_start,
            where: mine(),
            groupByTime: '15m',
            fill: 'none',
          }),
          {
            w: 12,
            h: 9,
            layout: 'weekdayHour',
            calculation: 'total',
          }
        ),
        table(
          'Exercises',
          [
            influx(
              influxql({
                select: [
                  'count("count") AS "runs"',
                  'sum("duration_s") / 60 AS "minutes"',
                  'mean("duration_s") / 60 AS "mean minutes"',
                ],
                from: RAW.simulation_end,
                where: mine(),
                groupByTags: ['exercise', 'simulation_type'],
              }),
              { table: true }
            ),
          ],
          { w: 12, h: 9, sortBy: 'minutes', transformations: [dropTime] }
        ),
      ],
    },
    {
      panels: [
        table(
          'Sessions',
          [
            influx(
              influxql({
                select: ['"group"', '"reason"', '"duration_s"', '"device"', '"browser"', '"country"'],
                from: RAW.session_end,
                where: mine(),
                orderDesc: true,
                limit: 200,
              }),
              { table: true }
            ),
          ],
          {
            w: 12,
            h: 9,
          }
        ),
        table(
          'Simulations',
          [
            influx(
              influxql({
                select: ['"exercise"', '"simulation_type"', '"duration_s"', '"host"'],
                from: RAW.simulation_end,
                where: mine(),
                orderDesc: true,
                limit: 200,
              }),
              { table: true }
            ),
          ],
          { w: 12, h: 9 }
        ),
      ],
    },
  ],
};
