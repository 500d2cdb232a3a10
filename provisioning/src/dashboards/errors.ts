/** Errors: server errors over time, against traffic, and the latest ones. */
import { influx, math, type DashboardSpec } from '../grafana.js';
import { RAW, influxql, rollup, sumOf, tagVar, timeFilter } from '../influxql.js';
import { NONE, activity, nameRefId, pie, stat, table, timeseries } from '../panels.js';
import { statusVar } from '../variables.js';

const filters = () => [timeFilter, tagVar('status')];
const latest = (fields: string[], limit: number) =>
  influxql({ select: fields, from: RAW.error, where: filters(), orderDesc: true, limit });

export const errors: DashboardSpec = {
  uid: 'kibotics-errors',
  title: 'Kibotics errors',
  description: 'Server errors over time and per 1,000 page views; the last error',
  showsUserNames: true,
  variables: [statusVar],
  rows: [
    {
      panels: [
        timeseries(
          'Errors',
          [
            influx(
              influxql({
                select: sumOf('errors', 'errors'),
                from: rollup('errors'),
                where: filters(),
                groupByTime: '$__interval',
                groupByTags: ['status'],
                fill: '0',
              }),
              { alias: 'HTTP $tag_status' }
            ),
          ],
          { w: 12, h: 8, bars: true, stack: true, interval: '15m', noValue: NONE }
        ),
        timeseries(
          'Error rate against traffic',
          [
            influx(
              influxql({
                select: sumOf('errors', 'errors'),
                from: rollup('errors'),
                where: filters(),
                groupByTime: '$__interval',
                fill: '0',
              }),
              { hide: true }
            ),
            // Buckets without traffic are left out (fill none), so the rate is never a division by zero.
            influx(
              influxql({
                select: sumOf('visitTotals', 'visits'),
                from: rollup('visitTotals'),
                where: [timeFilter],
                groupByTime: '$__interval',
                fill: 'none',
              }),
              { hide: true }
            ),
            math('$A * 1000 / $B'),
          ],
          {
            w: 12,
            h: 8,
            interval: '15m',
            noValue: NONE,
            description: 'Errors per 1,000 page views (people and crawlers)',
            overrides: [nameRefId('C', 'errors per 1,000 visits')],
          }
        ),
      ],
    },
    {
      panels: [
        stat('Last error', [influx(latest(['"status"', '"path"'], 1), { table: true })], {
          w: 6,
          h: 6,
          calc: 'lastNotNull',
          unit: 'dateTimeFromNow',
          fields: '/^Time$/',
          noValue: 'none in the range',
          description: 'When the latest error of the range happened',
        }),
        stat(
          'Errors in the range',
          [
            influx(influxql({ select: sumOf('errors', 'errors'), from: rollup('errors'), where: filters() }), {
              alias: 'errors',
            }),
          ],
          { w: 6, h: 6, noValue: NONE }
        ),
        pie(
          'Errors by status',
          [
            influx(
              influxql({
                select: sumOf('errors', 'errors'),
                from: rollup('errors'),
                where: filters(),
                groupByTags: ['status'],
              }),
              { alias: 'HTTP $tag_status' }
            ),
          ],
          { w: 12, h: 6, noValue: NONE }
        ),
      ],
    },
    {
      panels: [
        activity(
          'Errors by week × weekday',
          influxql({
            select: sumOf('errors', 'errors'),
            from: rollup('errors'),
            where: filters(),
            groupByTime: '15m',
            fill: 'none',
          }),
          { w: 10, h: 9, layout: 'weekWeekday' }
        ),
        table('Latest errors', [influx(latest(['"status"', '"path"', '"message"'], 50), { table: true })], {
          w: 14,
          h: 9,
        }),
      ],
    },
  ],
};
