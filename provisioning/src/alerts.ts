/**
 * Grafana alert rules (file provisioning, apiVersion 1). Their queries come from the same builders
 * as the dashboards. Where notifications go is in the hand-edited contact-points.yaml and policies.yaml.
 */
import { EXPRESSION_DATASOURCE, FOLDER, INFLUX_DATASOURCE } from './grafana.js';
import { errorsIn, influxql, rollup, sumOf, timeFilter, visitsIn } from './influxql.js';

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

/** A over `a.seconds` and B over `b.seconds` (roll-up sums), their totals C and D, E = `math` of them, F = E above `above`. */
function sums(a: { seconds: number; query: string }, b: { seconds: number; query: string }, math: string, above: number): Query[] {
  return [influx('A', a.seconds, a.query), influx('B', b.seconds, b.query), total('C', 'A'), total('D', 'B'), expr('E', { type: 'math', expression: math }), threshold('F', 'E', above)];
}
const [errorsQuery, visitsQuery] = [errorsIn(timeFilter), visitsIn(timeFilter)];
const sessionsQuery = influxql({ select: sumOf('sessions', 'starts'), from: rollup('sessions'), where: [timeFilter] });

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
            data: sums(
              { seconds: SPIKE.window_s, query: errorsQuery },
              { seconds: SPIKE.traffic_s, query: visitsQuery },
              `($C >= ${SPIKE.minErrors}) * ($C * 1000 / ($D / ${SPIKE.traffic_s / SPIKE.window_s} + 1))`,
              SPIKE.perThousand,
            ),
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
            // E is 1 when nothing arrived: Kibotics stopped posting, or the gateway or InfluxDB is down.
            data: sums({ seconds: SILENCE.window_s, query: sessionsQuery }, { seconds: SILENCE.window_s, query: visitsQuery }, '($C + $D) < 1', 0),
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
