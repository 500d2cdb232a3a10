/**
 * Grafana alert rules (file provisioning, apiVersion 1). Their queries come from the same builders
 * as the dashboards. Where notifications go is in the hand-edited contact-points.yaml and policies.yaml.
 */
import { EXPRESSION_DATASOURCE, FOLDER, INFLUX_DATASOURCE, panelId } from './grafana.js';
import { GATEWAY_STATS, errorsIn, influxql, q, timeFilter } from './influxql.js';

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
  model: {
    refId,
    datasource: INFLUX_DATASOURCE,
    query,
    rawQuery: true,
    resultFormat: 'time_series',
    intervalMs: 60_000,
    maxDataPoints: 43_200,
  },
});
const expr = (refId: string, model: Record<string, unknown>): Query => ({
  refId,
  datasourceUid: EXPRESSION_DATASOURCE.uid,
  model: { refId, datasource: EXPRESSION_DATASOURCE, ...model },
});
const total = (refId: string, of: string) =>
  expr(refId, { type: 'reduce', expression: of, reducer: 'sum', settings: { mode: 'replaceNN', replaceWithValue: 0 } });
const threshold = (refId: string, of: string, type: 'gt' | 'lt', value: number) =>
  expr(refId, { type: 'threshold', expression: of, conditions: [{ evaluator: { type, params: [value] } }] });

/*
 * Grafana's expressions turn a query without series into "no data", a Reduce of it into no data, and
 * math with a no-data operand into no data (pkg/expr/mathexp/exp.go); a rule whose condition is no
 * data takes its noDataState. InfluxQL answers no series where nothing happened, so each rule is
 * built so that "no data" means one thing only.
 */

/**
 * Events the gateways accepted over the window, summed over instances: their `accepted` counters
 * (totals since each process started, reported every STATS_INTERVAL_S) grow with every event of any
 * kind. No report at all means the gateway is down or its figures cannot reach InfluxDB.
 */
const gatewayIncrease = (counter: 'accepted' | 'received') =>
  influxql({
    select: `sum(${q(counter)})`,
    from: {
      subquery: influxql({
        select: `non_negative_difference(${q(counter)}) AS ${q(counter)}`,
        from: GATEWAY_STATS,
        where: [timeFilter],
        groupByTags: ['instance'],
      }),
    },
    where: [timeFilter],
  });

/**
 * Spike: at least 10 errors in the last 30 minutes, and more than 20 per 1,000 events the gateway
 * received in an average half hour of the last day. The traffic is every event (logins, page views,
 * the errors themselves), so a site that posts no page views is covered, and it is never "no data"
 * while errors arrive. No errors is "no data": OK.
 */
export const SPIKE = { window_s: 1800, traffic_s: 86_400, minErrors: 10, perThousand: 20 };
/** Silence: no event of any kind accepted for an hour, or no gateway report (only notified during school hours). */
export const SILENCE = { window_s: 3600 };

const errorsQuery = errorsIn(timeFilter);

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
              influx('A', SPIKE.window_s, errorsQuery),
              influx('B', SPIKE.traffic_s, gatewayIncrease('received')),
              total('C', 'A'),
              total('D', 'B'),
              expr('E', {
                type: 'math',
                expression: `($C >= ${SPIKE.minErrors}) * ($C * 1000 / ($D / ${SPIKE.traffic_s / SPIKE.window_s} + 1))`,
              }),
              threshold('F', 'E', 'gt', SPIKE.perThousand),
            ],
            noDataState: 'OK',
            execErrState: 'Error',
            for: '5m',
            annotations: {
              summary: 'Kibotics answers many requests with server errors',
              description: `At least ${SPIKE.minErrors} errors in the last ${SPIKE.window_s / 60} minutes, more than ${SPIKE.perThousand} per 1,000 events of an average ${SPIKE.window_s / 60} minutes of the last day. See the Errors dashboard.`,
              // Grafana refuses a rule with one of these two without the other, and then stops (pkg/services/ngalert/models/alert_rule.go).
              __dashboardUid__: 'kibotics-errors',
              __panelId__: String(panelId('Errors')),
            },
            labels: { severity: 'warning' },
            isPaused: false,
          },
          {
            uid: 'kibotics-silence',
            title: 'No events during school hours',
            condition: 'F',
            // No data (no gateway report) is firing too: the gateway or InfluxDB is down.
            data: [
              influx('A', SILENCE.window_s, gatewayIncrease('accepted')),
              total('C', 'A'),
              threshold('F', 'C', 'lt', 1),
            ],
            noDataState: 'Alerting',
            execErrState: 'Alerting',
            for: '15m',
            annotations: {
              summary: 'No event reached the gateway for an hour while the platform is normally in use',
              description: 'Check that Kibotics posts to the gateway, the gateway /healthz and the Gateway dashboard.',
              __dashboardUid__: 'kibotics-gateway',
              __panelId__: String(panelId('Events')),
            },
            labels: { severity: 'critical', ...SILENCE_LABEL },
            isPaused: false,
          },
        ],
      },
    ],
  };
}
