/** Sessions: when and how long pupils are logged in, and how sessions end. */
import { influx, type DashboardSpec } from '../grafana.js';
import { RAW, influxql, lastDayOfRange, platformFilters, rollup, sumOf } from '../influxql.js';
import { activity, foldedBars, histogram, pie, stat, table, timeseries } from '../panels.js';
import { botVar } from '../variables.js';
import { hideCount, userLink } from './links.js';

const starts15m = influxql({ select: sumOf('sessions', 'starts'), from: rollup('sessions'), where: platformFilters(), groupByTime: '15m', fill: 'none' });
/** Median and distribution need single durations: the latest 5,000 of the range keep the cost bounded. */
export const SAMPLE = 5000;
const latestDurations = influxql({ select: '"duration_s"', from: RAW.session_end, where: platformFilters(), orderDesc: true, limit: SAMPLE });

export const sessions: DashboardSpec = {
  uid: 'kibotics-sessions',
  title: 'Kibotics sessions',
  description: 'Logins per day, weekday and hour; session lengths; how sessions end; the latest sessions',
  variables: [botVar],
  rows: [
    {
      panels: [
        timeseries(
          'Sessions per day',
          [influx(influxql({ select: sumOf('sessions', 'starts', 'sessions'), from: rollup('sessions'), where: platformFilters(), groupByTime: '1d', fill: '0', tz: true }), { alias: 'sessions' })],
          { w: 16, h: 8, bars: true },
        ),
        stat('Mean session', [influx(influxql({ select: 'sum("duration_s") / sum("paired")', from: rollup('sessions'), where: platformFilters() }), { alias: 'mean' })], {
          w: 4,
          h: 8,
          unit: 's',
          description: 'Over every session of the range whose login and logout were paired',
        }),
        // The histogram's own query, reduced to its median by Grafana: one raw read for both panels
        // (InfluxDB answers the same text from the same shards) instead of a second, costlier subquery.
        stat('Median session', [influx(latestDurations, { alias: 'median' })], {
          w: 4,
          h: 8,
          unit: 's',
          calc: 'median',
          description: `Of the latest ${SAMPLE.toLocaleString('en')} paired sessions of the range`,
        }),
      ],
    },
    {
      panels: [
        activity('Sessions by weekday × hour', starts15m, { w: 12, h: 9, layout: 'weekdayHour', description: 'Mean logins per hour of each weekday over the range' }),
        activity('Sessions by week × weekday', starts15m, { w: 12, h: 9, layout: 'weekWeekday', description: 'Logins per day, a row per week' }),
      ],
    },
    {
      panels: [
        foldedBars('Sessions per weekday', starts15m, 'weekday', { w: 8, h: 8, value: 'sessions' }),
        foldedBars('Sessions per hour of the day', starts15m, 'hour', { w: 8, h: 8, value: 'sessions' }),
        pie('Logout or inactivity', [influx(influxql({ select: sumOf('sessions', 'ends'), from: rollup('sessions'), where: platformFilters(), groupByTags: ['reason'] }), { alias: '$tag_reason' })], {
          w: 8,
          h: 8,
          description: 'How sessions ended: the user logged out, or the site closed the session after inactivity',
        }),
      ],
    },
    {
      panels: [
        histogram('Session durations', [influx(latestDurations, { alias: 'duration' })], {
          w: 10,
          h: 10,
          unit: 's',
          bucketSize: 300,
          description: `The latest ${SAMPLE.toLocaleString('en')} paired sessions of the range, in 5-minute buckets`,
        }),
        {
          ...table(
            'Latest sessions, last 24 h',
            [
              influx(
                influxql({
                  select: ['"user"', '"group"', '"reason"', '"duration_s"', '"count"', '"device"', '"os"', '"browser"', '"country"'],
                  from: RAW.session_end,
                  where: platformFilters(lastDayOfRange),
                  orderDesc: true,
                  limit: 100,
                }),
                { table: true },
              ),
            ],
            {
              w: 14,
              h: 10,
              description: 'The latest 100 sessions that ended in the last 24 hours of the range (older ones: the per-user and groups dashboards)',
              overrides: [userLink, { matcher: { id: 'byName', options: 'duration_s' }, properties: [{ id: 'unit', value: 's' }, { id: 'displayName', value: 'duration' }] }],
              transformations: [hideCount],
            },
          ),
          idOf: 'Latest sessions',
        },
      ],
    },
  ],
};
