/** Sessions: when and how long pupils are logged in, and how sessions end. */
import { influx, type DashboardSpec } from '../grafana.js';
import {
  RAW,
  influxql,
  lastDayOfRange,
  medianSession,
  platformFilters,
  rollup,
  sessionLengths,
  sumOf,
} from '../influxql.js';
import { activity, barchart, dropTime, foldedBars, pie, stat, table, timeseries } from '../panels.js';
import { botVar } from '../variables.js';
import { hideCount, userLink } from './links.js';

const starts15m = influxql({
  select: sumOf('sessions', 'starts'),
  from: rollup('sessions'),
  where: platformFilters(),
  groupByTime: '15m',
  fill: 'none',
});

export const sessions: DashboardSpec = {
  uid: 'kibotics-sessions',
  title: 'Kibotics sessions',
  description: 'Logins per day, weekday and hour; session lengths; how sessions end; the latest sessions',
  showsUserNames: true,
  variables: [botVar],
  rows: [
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
          { w: 16, h: 8, bars: true }
        ),
        stat(
          'Mean session',
          [
            influx(
              influxql({
                select: 'sum("duration_s") / sum("paired")',
                from: rollup('sessions'),
                where: platformFilters(),
              }),
              { alias: 'mean' }
            ),
          ],
          {
            w: 4,
            h: 8,
            unit: 's',
            description: 'Over every session of the range whose login and logout were paired',
          }
        ),
        // A point per paired session would make the median read every session of the range (seconds at
        // 50× over 90 days); counts below a grid of lengths per 15 minutes give it from ~70 sums.
        stat('Median session', [influx(medianSession(platformFilters()), { alias: 'median' })], {
          w: 4,
          h: 8,
          unit: 's',
          description:
            'The middle length of the paired sessions of the range (login and logout or inactivity both seen; the shorter of the two middle ones when their number is even), rounded down to the minute below 1 hour and to the quarter hour up to 4 hours; 4 hours means 4 hours or more. Sessions count in the quarter hour they ended in',
        }),
      ],
    },
    {
      panels: [
        activity('Sessions by weekday × hour', starts15m, {
          w: 12,
          h: 9,
          layout: 'weekdayHour',
          description: 'Mean logins per hour of each weekday over the range',
        }),
        activity('Sessions by week × weekday', starts15m, {
          w: 12,
          h: 9,
          layout: 'weekWeekday',
          description: 'Logins per day, a row per week',
        }),
      ],
    },
    {
      panels: [
        foldedBars('Sessions per weekday', starts15m, 'weekday', { w: 8, h: 8, value: 'sessions' }),
        foldedBars('Sessions per hour of the day', starts15m, 'hour', { w: 8, h: 8, value: 'sessions' }),
        pie(
          'Logout or inactivity',
          [
            influx(
              influxql({
                select: sumOf('sessions', 'ends'),
                from: rollup('sessions'),
                where: platformFilters(),
                groupByTags: ['reason'],
              }),
              { alias: '$tag_reason' }
            ),
          ],
          {
            w: 8,
            h: 8,
            description: 'How sessions ended: the user logged out, or the site closed the session after inactivity',
          }
        ),
      ],
    },
    {
      panels: [
        {
          ...barchart(
            'Session lengths',
            [
              influx(
                influxql({
                  select: 'count("duration_s") AS "sessions"',
                  from: sessionLengths,
                  where: platformFilters(),
                  groupByTags: ['length'],
                }),
                { table: true }
              ),
            ],
            {
              w: 10,
              h: 10,
              x: 'length',
              vertical: true,
              transformations: [dropTime],
              description: 'Paired sessions of the range (login and logout or inactivity both seen) by length, h:mm',
            }
          ),
          idOf: 'Session durations',
        },
        {
          ...table(
            'Latest sessions, last 24 h',
            [
              influx(
                influxql({
                  select: [
                    '"user"',
                    '"group"',
                    '"reason"',
                    '"duration_s"',
                    '"count"',
                    '"device"',
                    '"os"',
                    '"browser"',
                    '"country"',
                  ],
                  from: RAW.session_end,
                  where: platformFilters(lastDayOfRange),
                  orderDesc: true,
                  limit: 100,
                }),
                { table: true }
              ),
            ],
            {
              w: 14,
              h: 10,
              description:
                'The latest 100 sessions that ended in the last 24 hours of the range (older ones: the per-user and groups dashboards)',
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
          idOf: 'Latest sessions',
        },
      ],
    },
  ],
};
