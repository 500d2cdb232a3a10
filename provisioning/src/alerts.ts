/**
 * Grafana alert rules (file provisioning, apiVersion 1). Their queries come from the same builders
 * as the dashboards. Where notifications go is in the hand-edited contact-points.yaml and policies.yaml.
 */
import { EXPRESSION_DATASOURCE, FOLDER, INFLUX_DATASOURCE } from './grafana.js';
import { influxql, rollup, sumOf, timeFilter } from './influxql.js';

export const ALERT_GROUP = 'kibotics';
/** Matched by the notification policy that mutes the silence alert outside school hours. */
export const SILENCE_LABEL = { kibotics_alert: 'silence' } as const;

interface Query {
  refId: string;
  relativeTimeRange?: { from: number; to: number };
  datasourceUid: string;
  model: Record<string, unknown>;
}

const influx = (refId: string, seconds: number, query: string): Query => ({
  refId,
  relativeTimeRange: { from: seconds, to: 0 },
  datasourceUid: INFLUX_DATASOURCE.uid,
  model: { refId, datasource: INFLUX_DATASOURCE, query, rawQuery: true, resultFormat: 'time_series', intervalMs: 60_000, maxDataPoints: 43_200 },
});
const expr = (refId: string, model: Record<string, unknown>): Query => ({ refId, datasourceUid: EXPRESSION_DATASOURCE.uid, model: { refId, datasource: EXPRESSION_DATASOURCE, ...model } });
/** A query's single value, 0 when it returned nothing (no errors is zero errors, not "no data"). */
const total = (refId: string, of: string) => expr(refId, { type: 'reduce', expression: of, reducer: 'sum', settings: { mode: 'replaceNN', replaceWithValue: 0 } });
const threshold = (refId: string, of: string, above: number) => expr(refId, { type: 'threshold', expression: of, conditions: [{ evaluator: { type: 'gt', params: [above] } }] });

/**
 * Spike: the last 30 minutes had at least 10 errors and more than 20 per 1,000 page views of an
 * average half hour of the last day. The traffic is a day's so that a quiet half hour is not "no
 * data" (Grafana would then call the whole rule NoData and stay silent during a burst at night).
 */
export const SPIKE = { window_s: 1800, traffic_s: 86_400, minErrors: 10, perThousand: 20 };
/** Silence: no login, simulation or page view for an hour (only notified during school hours). */
export const SILENCE = { window_s: 3600 };

const window = [timeFilter];

export function alertRules() {
  return {
    apiVersion: 1,
    groups: [
      {
        orgId: 1,
        name: ALERT_GROUP,
        folder: FOLDER,
        interval: '1m',
        rules: [
          {
            uid: 'kibotics-error-spike',
            title: 'Error rate spike',
            condition: 'F',
            data: [
              influx('A', SPIKE.window_s, influxql({ select: sumOf('errors', 'errors'), from: rollup('errors'), where: window })),
              influx('B', SPIKE.traffic_s, influxql({ select: sumOf('visits', 'visits'), from: rollup('visits'), where: window })),
              total('C', 'A'),
              total('D', 'B'),
              expr('E', { type: 'math', expression: `($C >= ${SPIKE.minErrors}) * ($C * 1000 / ($D / ${SPIKE.traffic_s / SPIKE.window_s} + 1))` }),
              threshold('F', 'E', SPIKE.perThousand),
            ],
            noDataState: 'OK',
            execErrState: 'Error',
            for: '5m',
            annotations: {
              summary: 'Kibotics answers many requests with server errors',
              description: `At least ${SPIKE.minErrors} errors in the last ${SPIKE.window_s / 60} minutes, more than ${SPIKE.perThousand} per 1,000 page views of an average ${SPIKE.window_s / 60} minutes of the last day. See the Errors dashboard.`,
              __dashboardUid__: 'kibotics-errors',
            },
            labels: { severity: 'warning' },
            isPaused: false,
          },
          {
            uid: 'kibotics-silence',
            title: 'No events during school hours',
            condition: 'F',
            data: [
              influx('A', SILENCE.window_s, influxql({ select: sumOf('sessions', 'starts'), from: rollup('sessions'), where: window })),
              influx('B', SILENCE.window_s, influxql({ select: sumOf('visits', 'visits'), from: rollup('visits'), where: window })),
              total('C', 'A'),
              total('D', 'B'),
              // 1 when nothing arrived: Kibotics stopped posting, or the gateway or InfluxDB is down.
              expr('E', { type: 'math', expression: '($C + $D) < 1' }),
              threshold('F', 'E', 0),
            ],
            noDataState: 'Alerting',
            execErrState: 'Alerting',
            for: '15m',
            annotations: {
              summary: 'No events reached InfluxDB for an hour while the platform is normally in use',
              description: 'Check that Kibotics posts to the gateway, the gateway /healthz and the Gateway dashboard.',
              __dashboardUid__: 'kibotics-gateway',
            },
            labels: { severity: 'critical', ...SILENCE_LABEL },
            isPaused: false,
          },
        ],
      },
    ],
  };
}
