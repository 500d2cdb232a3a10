/** Visitors: page views of people logged in or not, their systems and countries; crawlers apart. */
import { influx, type DashboardSpec } from '../grafana.js';
import { influxql, rollup, sumOf, tagIs, tagVar, timeFilter } from '../influxql.js';
import { activity, countryMap, dropTime, foldedBars, pie, table, timeseries } from '../panels.js';
import { booleanTag, botVar } from '../variables.js';

const anonymousVar = booleanTag(
  'anonymous',
  'Visitors',
  'All',
  'true: not logged in; false: logged-in users; All: both'
);

const filters = () => [timeFilter, tagVar('bot'), tagVar('anonymous')];
// Counts only (no os, browser, device or country): visit_totals_15m, a few series instead of one per client kind.
const visits15m = influxql({
  select: sumOf('visitTotals', 'visits'),
  from: rollup('visitTotals'),
  where: filters(),
  groupByTime: '15m',
  fill: 'none',
});
const share = (tag: string) =>
  influx(
    influxql({ select: sumOf('visits', 'visits'), from: rollup('visits'), where: filters(), groupByTags: [tag] }),
    { alias: `$tag_${tag}` }
  );
const byCountry = influxql({
  select: sumOf('visits', 'visits', 'visits'),
  from: rollup('visits'),
  where: filters(),
  groupByTags: ['country'],
});
const crawlers = [timeFilter, tagIs('bot', 'true')];

export const visitors: DashboardSpec = {
  uid: 'kibotics-visitors',
  title: 'Kibotics visitors',
  description: 'Visits per hour and weekday, systems, devices, browsers and countries; crawlers apart',
  showsUserNames: false,
  variables: [botVar, anonymousVar],
  rows: [
    {
      panels: [
        timeseries(
          'Visits',
          [
            influx(
              influxql({
                select: sumOf('visitTotals', 'visits'),
                from: rollup('visitTotals'),
                where: filters(),
                groupByTime: '$__interval',
                groupByTags: ['anonymous'],
                fill: '0',
              }),
              { alias: 'anonymous: $tag_anonymous' }
            ),
          ],
          { w: 12, h: 8, bars: true, stack: true, interval: '15m' }
        ),
        activity('Visits by weekday × hour', visits15m, { w: 12, h: 8, layout: 'weekdayHour' }),
      ],
    },
    {
      panels: [
        foldedBars('Visits per hour of the day', visits15m, 'hour', { w: 12, h: 7, value: 'visits' }),
        foldedBars('Visits per weekday', visits15m, 'weekday', { w: 12, h: 7, value: 'visits' }),
      ],
    },
    {
      panels: [
        pie('Operating systems', [share('os')], { w: 8, h: 8 }),
        pie('Devices', [share('device')], { w: 8, h: 8 }),
        pie('Browsers', [share('browser')], { w: 8, h: 8 }),
      ],
    },
    {
      panels: [
        countryMap('Countries', byCountry, {
          w: 16,
          h: 11,
          value: 'visits',
          description: 'Visits by the country of the visitor address (the address itself is never stored)',
        }),
        table('Top countries', [influx(byCountry, { table: true })], {
          w: 8,
          h: 11,
          sortBy: 'visits',
          transformations: [dropTime],
        }),
      ],
    },
    {
      title: 'Crawlers (never counted above unless Crawlers is set)',
      panels: [
        timeseries(
          'Crawler visits',
          [
            influx(
              influxql({
                select: sumOf('visitTotals', 'visits'),
                from: rollup('visitTotals'),
                where: crawlers,
                groupByTime: '$__interval',
                fill: '0',
              }),
              { alias: 'crawlers' }
            ),
          ],
          {
            w: 12,
            h: 7,
            bars: true,
            interval: '15m',
          }
        ),
        table(
          'Crawlers by name',
          [
            influx(
              influxql({
                select: sumOf('visits', 'visits', 'visits'),
                from: rollup('visits'),
                where: crawlers,
                groupByTags: ['browser'],
              }),
              { table: true }
            ),
          ],
          {
            w: 12,
            h: 7,
            sortBy: 'visits',
            transformations: [{ ...dropTime, options: { ...dropTime.options, renameByName: { browser: 'crawler' } } }],
          }
        ),
      ],
    },
  ],
};
