/** Overview: is the platform used, more or less than before? The five figures and the daily trend. */
import { influx, math, type DashboardSpec } from '../grafana.js';
import {
  activeUsers,
  errorsIn,
  influxql,
  platformFilters,
  previousPeriod,
  rollup,
  sumOf,
  tagVar,
  timeFilter,
  visitsIn,
  type Cond,
} from '../influxql.js';
import { NONE, nameRefId, stat, timeseries } from '../panels.js';
import { botVar } from '../variables.js';

/** The same roll-up sum over the range and over the period before it. */
function nowAndBefore(query: (period: Cond) => string) {
  return [
    influx(query(timeFilter), { alias: 'This period' }),
    influx(query(previousPeriod), { alias: 'Previous period' }),
  ];
}

const periodFilters = (period: Cond) => [period, tagVar('bot')];

export const overview: DashboardSpec = {
  uid: 'kibotics-overview',
  title: 'Kibotics overview',
  description: 'Active users, sessions, simulations, visits and errors, against the period before',
  showsUserNames: false,
  variables: [botVar],
  rows: [
    {
      panels: [
        stat(
          'Active users',
          [
            influx(activeUsers(timeFilter), { alias: 'This period' }),
            influx(activeUsers(previousPeriod), { alias: 'Previous period' }),
          ],
          {
            w: 5,
            h: 5,
            description:
              'Distinct users with any activity in the range, exact: a user counts where their first event of a UTC day falls (crawlers and anonymous visitors never count)',
          }
        ),
        stat(
          'Sessions',
          nowAndBefore((p) =>
            influxql({ select: sumOf('sessions', 'starts'), from: rollup('sessions'), where: periodFilters(p) })
          ),
          { w: 5, h: 5, description: 'Logins' }
        ),
        stat(
          'Simulations',
          nowAndBefore((p) =>
            influxql({ select: sumOf('simulations', 'starts'), from: rollup('simulations'), where: periodFilters(p) })
          ),
          {
            w: 5,
            h: 5,
            description: 'Exercise runs started',
          }
        ),
        stat(
          'Visits',
          nowAndBefore((p) =>
            influxql({ select: sumOf('visitTotals', 'visits'), from: rollup('visitTotals'), where: [p, tagVar('bot')] })
          ),
          { w: 5, h: 5, description: 'Page views' }
        ),
        stat(
          'Error rate',
          [
            influx(errorsIn(timeFilter), { hide: true }),
            influx(visitsIn(timeFilter), { hide: true }),
            influx(errorsIn(previousPeriod), { hide: true }),
            influx(visitsIn(previousPeriod), { hide: true }),
            math('$A * 1000 / $B'),
            math('$C * 1000 / $D'),
          ],
          {
            w: 4,
            h: 5,
            decimals: 1,
            noValue: NONE,
            description: 'HTTP errors per 1,000 page views',
            overrides: [nameRefId('E', 'This period'), nameRefId('F', 'Previous period')],
          }
        ),
      ],
    },
    {
      panels: [
        timeseries(
          'Sessions per day',
          [
            influx(
              influxql({
                select: sumOf('sessions', 'starts', 'sessions'),
                from: rollup('sessions'),
                where: platformFilters(),
                groupByTime: '1d',
                fill: '0',
                tz: true,
              }),
              { alias: 'sessions' }
            ),
          ],
          { w: 12, h: 8, bars: true }
        ),
        timeseries(
          'Simulations per day',
          [
            influx(
              influxql({
                select: sumOf('simulations', 'starts', 'simulations'),
                from: rollup('simulations'),
                where: platformFilters(),
                groupByTime: '1d',
                fill: '0',
                tz: true,
              }),
              { alias: 'simulations' }
            ),
          ],
          { w: 12, h: 8, bars: true }
        ),
      ],
    },
  ],
};
