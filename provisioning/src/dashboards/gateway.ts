/** Gateway: its own health, from the figures it writes to InfluxDB (no other monitoring service). */
import { influx, type DashboardSpec } from '../grafana.js';
import { GATEWAY_STATS, influxql, tagVar, timeFilter } from '../influxql.js';
import { stat, timeseries } from '../panels.js';
import { instanceVar } from '../variables.js';

const filters = () => [timeFilter, tagVar('instance')];
/** Counters are totals since the process started: their increase per interval, per instance. */
const increase = (field: string) =>
  influx(
    influxql({
      select: `non_negative_difference(last("${field}"))`,
      from: GATEWAY_STATS,
      where: filters(),
      groupByTime: '$__interval',
      groupByTags: ['instance'],
      fill: 'none',
    }),
    {
      alias: `${field} $tag_instance`,
    }
  );
const gauge = (fn: 'max' | 'mean' | 'min', field: string) =>
  influx(
    influxql({
      select: `${fn}("${field}")`,
      from: GATEWAY_STATS,
      where: filters(),
      groupByTime: '$__interval',
      groupByTags: ['instance'],
      fill: 'none',
    }),
    { alias: `${field} $tag_instance` }
  );
const latest = (field: string) =>
  influx(influxql({ select: `last("${field}")`, from: GATEWAY_STATS, where: filters(), groupByTags: ['instance'] }), {
    alias: '$tag_instance',
  });

const small = { w: 6, h: 5 };
const reachable = [
  {
    matcher: { id: 'byType', options: 'number' },
    properties: [
      {
        id: 'mappings',
        value: [
          {
            type: 'value',
            options: { '0': { text: 'unreachable', color: 'red' }, '1': { text: 'reachable', color: 'green' } },
          },
        ],
      },
    ],
  },
];

export const gateway: DashboardSpec = {
  uid: 'kibotics-gateway',
  title: 'Kibotics gateway',
  description: 'Events received, delivered and refused; the spool; InfluxDB write latency and reachability',
  showsUserNames: false,
  time: 'now-6h',
  variables: [instanceVar],
  rows: [
    {
      panels: [
        stat('InfluxDB', [latest('influx_reachable')], {
          ...small,
          description: 'Whether the gateway reached InfluxDB at its latest report',
          overrides: reachable,
        }),
        stat('Waiting in the spool', [latest('spool_lines')], {
          ...small,
          description: 'Points accepted and not yet in InfluxDB',
        }),
        stat('Dead letters', [latest('dead_letters')], {
          ...small,
          description: 'Points InfluxDB refused: see `kibotics-analytics dead-letters`',
        }),
        stat(
          'Last report',
          [
            influx(
              influxql({
                select: 'last("received")',
                from: GATEWAY_STATS,
                where: filters(),
                groupByTags: ['instance'],
              }),
              { table: true }
            ),
          ],
          {
            ...small,
            unit: 'dateTimeFromNow',
            fields: '/^Time$/',
            description: 'A gateway reports every STATS_INTERVAL_S: an old report means it is down or cannot write',
          }
        ),
      ],
    },
    {
      panels: [
        timeseries('Events', ['received', 'accepted', 'duplicates', 'rejected', 'refused'].map(increase), {
          w: 12,
          h: 8,
          interval: '10s',
          description:
            'Per interval: received by HTTP, accepted (spooled), duplicates, rejected as invalid, refused (429/503)',
        }),
        timeseries('Delivered to InfluxDB', ['delivered', 'retries', 'dead_lettered'].map(increase), {
          w: 12,
          h: 8,
          interval: '10s',
          description: 'Points written, write retries, points moved to dead letters',
        }),
      ],
    },
    {
      panels: [
        timeseries(
          'Spool depth',
          [gauge('max', 'spool_lines'), gauge('max', 'spool_rollups'), gauge('max', 'dead_letters')],
          { w: 8, h: 8, interval: '10s' }
        ),
        timeseries('InfluxDB write latency', [gauge('mean', 'write_ms_mean')], {
          w: 8,
          h: 8,
          unit: 'ms',
          interval: '10s',
        }),
        timeseries('Oldest waiting point', [gauge('max', 'spool_oldest_age_s')], {
          w: 8,
          h: 8,
          unit: 's',
          interval: '10s',
        }),
      ],
    },
    {
      panels: [
        timeseries('InfluxDB reachable', [gauge('min', 'influx_reachable')], {
          w: 12,
          h: 6,
          interval: '10s',
          description: '1: reachable, 0: not (reported once InfluxDB is back)',
        }),
        timeseries('Memory', [gauge('max', 'rss_bytes')], { w: 12, h: 6, unit: 'bytes', interval: '10s' }),
      ],
    },
  ],
};
