import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { GatewayProcess } from '@kibotics/test-kit/gateway-process';
import { Influxd } from '@kibotics/test-kit/influxd';
import { waitFor } from '@kibotics/test-kit/ports';
import { SILENCE_LABEL, SPIKE } from '../src/alerts.js';
import { FOLDER } from '../src/grafana.js';
import { evaluateRule, type RuleState } from './support/alert-eval.js';
import { evaluate } from './support/expressions.js';
import { readYaml } from './support/files.js';
import { muted } from './support/mute-timing.js';

/**
 * Both alert rules under Grafana's "no data" semantics (support/alert-eval.ts), on a real InfluxDB fed
 * by the real gateway (as a process, its figures every second), in the situations a school platform
 * meets: normal traffic, logins without page views (a site that posts only /v1/logs), no traffic at
 * all, errors without page views, a gateway that reports nothing; then whether a firing alert is
 * notified inside and outside the mute timings (Alertmanager's routing and time intervals).
 */

const rules = readYaml('provisioning/alerting/rules.yaml').groups.flatMap((g: any) => g.rules) as any[];
const rule = (uid: string) => rules.find((r) => r.uid === uid) ?? assert.fail(`no rule ${uid}`);
const policies = readYaml('provisioning/alerting/policies.yaml').policies as any[];
const muteTimes = readYaml('provisioning/alerting/mute-timings.yaml').muteTimes as any[];

let influx: Influxd;
before(async () => {
  influx = await Influxd.start();
});
after(async () => influx?.stop());

interface Outcome {
  db: string;
  spike: RuleState;
  silence: RuleState;
  values: Record<string, unknown>;
}

let scenarios = 0;
const now = () => Date.now();
/** `n` events of a kind, distinct (else the gateway stores them once), within the last minutes. */
function events(n: number, make: (i: number) => Record<string, unknown>) {
  const t = now();
  return Array.from({ length: n }, (_, i) => ({ time: t - i * 37, ...make(i) }));
}
const logins = (n: number) => events(n, (i) => ({ type: 'session_start', user: `pupil-${i}`, session_id: `s-${i}` }));
const visits = (n: number) => events(n, (i) => ({ type: 'visit', path: `/exercises/${i}` }));
const errors = (n: number) =>
  events(n, (i) => ({ type: 'error', status: 500, path: `/exercises/${i}`, message: 'boom' }));

/** A gateway on its own database posts `batch`, then both rules are evaluated now. */
async function scenario(batch: Array<Record<string, unknown>>): Promise<Outcome> {
  const db = `alerts_${++scenarios}`;
  const gateway = await GatewayProcess.start({
    INFLUX_URL: influx.url,
    INFLUX_DB: db,
    STATS_INTERVAL_S: '1',
    LOG_LEVEL: 'warn',
  });
  try {
    const accepted = async () =>
      (await influx.query('SELECT last("accepted") FROM "gateway"', db).catch(() => []))[0]?.values[0]?.[1] as
        number | undefined;
    // A report before the events: the rules read the counters' increase.
    await waitFor('a first gateway report', async () => (await accepted()) !== undefined, 15_000, 100);
    for (let i = 0; i < batch.length; i += 1000) {
      const r = await gateway.post(batch.slice(i, i + 1000));
      assert.equal(r.status, 202, JSON.stringify(r.body));
    }
    await gateway.drained(60_000);
    const firstAfter = (await influx.query('SELECT count("accepted") FROM "gateway"', db))[0]!.values[0]![1] as number;
    // A report that counts every event, and one more (no traffic: two reports, no increase).
    await waitFor('a report of every event', async () => (await accepted()) === batch.length, 20_000, 100);
    await waitFor(
      'a later report',
      async () =>
        ((await influx.query('SELECT count("accepted") FROM "gateway"', db))[0]!.values[0]![1] as number) >
        firstAfter + 1,
      20_000,
      100
    );
    const at = now();
    const spike = await evaluateRule(influx, db, rule('kibotics-error-spike'), at);
    const silence = await evaluateRule(influx, db, rule('kibotics-silence'), at);
    return { db, spike: spike.state, silence: silence.state, values: { spike: spike.values, silence: silence.values } };
  } finally {
    await gateway.stop();
  }
}

/** The notification policy's route for a rule's labels (the first child route whose matchers all match, else the root). */
function routeOf(labels: Record<string, string>) {
  const root = policies[0];
  const child = (root.routes ?? []).find((r: any) =>
    (r.object_matchers ?? []).every(([k, op, v]: string[]) => {
      if (op !== '=') throw new Error(`matcher ${op} is not modelled here`);
      return labels[k] === v;
    })
  );
  return child ?? root;
}
const notified = (uid: string, state: RuleState, instant: number) => {
  const r = rule(uid);
  const route = routeOf({ ...r.labels, alertname: r.title, grafana_folder: FOLDER });
  return state === 'firing' && !muted(muteTimes, route.mute_time_intervals ?? [], instant);
};

describe("alert rules under Grafana's no-data semantics, fed by the real gateway", { timeout: 300_000 }, () => {
  const outcome: Record<string, Outcome> = {};

  test('normal traffic: logins, page views and a stray error: neither fires', async () => {
    outcome.normal = await scenario([...logins(20), ...visits(200), ...errors(2)]);
    assert.deepEqual(
      [outcome.normal.spike, outcome.normal.silence],
      ['normal', 'normal'],
      JSON.stringify(outcome.normal.values)
    );
  });

  test('logins without page views (a site posting only its logs): silence stays quiet', async () => {
    outcome.loginsOnly = await scenario(logins(5));
    assert.deepEqual(
      [outcome.loginsOnly.spike, outcome.loginsOnly.silence],
      ['normal', 'normal'],
      JSON.stringify(outcome.loginsOnly.values)
    );
  });

  test('no traffic at all, the gateway running: silence fires, spike does not', async () => {
    outcome.quiet = await scenario([]);
    assert.deepEqual(
      [outcome.quiet.spike, outcome.quiet.silence],
      ['normal', 'firing'],
      JSON.stringify(outcome.quiet.values)
    );
  });

  test(`errors without page views: ${SPIKE.minErrors + 2} errors fire the spike; fewer than ${SPIKE.minErrors} do not`, async () => {
    outcome.errorsOnly = await scenario(errors(SPIKE.minErrors + 2));
    assert.deepEqual(
      [outcome.errorsOnly.spike, outcome.errorsOnly.silence],
      ['firing', 'normal'],
      JSON.stringify(outcome.errorsOnly.values)
    );
    const few = await scenario(errors(SPIKE.minErrors - 1));
    assert.equal(few.spike, 'normal', JSON.stringify(few.values));
  });

  test("the same errors amid a day's heavy traffic are no spike (the rate is per 1,000 events)", async () => {
    // (errors × 1000) / (events / 48 + 1) ≤ 20 needs about 29,000 events for 12 errors.
    const heavy = await scenario([...errors(SPIKE.minErrors + 2), ...visits(30_000)]);
    assert.equal(heavy.spike, 'normal', JSON.stringify(heavy.values));
  });

  test('no gateway report for an hour (the gateway or InfluxDB down): silence fires', async () => {
    // The normal scenario's database two hours later: its gateway has stopped reporting.
    const later = now() + 2 * 3_600_000;
    const silence = await evaluateRule(influx, outcome.normal!.db, rule('kibotics-silence'), later);
    assert.equal(silence.state, 'firing', JSON.stringify(silence.values));
    assert.equal(silence.values.A, 'no data');
    assert.equal((await evaluateRule(influx, outcome.normal!.db, rule('kibotics-error-spike'), later)).state, 'normal');
  });

  test('inside the mute timings silence is not notified, a spike still is; in school hours both are', () => {
    assert.equal(outcome.quiet?.silence, 'firing', 'the no-traffic scenario ran');
    assert.equal(outcome.errorsOnly?.spike, 'firing', 'the errors scenario ran');
    const [[key, value]] = Object.entries(SILENCE_LABEL);
    assert.deepEqual(routeOf(rule('kibotics-silence').labels).object_matchers, [[key, '=', value]]);
    const saturday = Date.parse('2026-11-21T11:00:00+01:00');
    const tuesdayNight = Date.parse('2026-11-17T22:00:00+01:00');
    const christmas = Date.parse('2026-12-23T11:00:00+01:00');
    const tuesdayClass = Date.parse('2026-11-17T11:00:00+01:00');
    for (const instant of [saturday, tuesdayNight, christmas]) {
      assert.equal(
        notified('kibotics-silence', outcome.quiet!.silence, instant),
        false,
        new Date(instant).toISOString()
      );
      assert.equal(
        notified('kibotics-error-spike', outcome.errorsOnly!.spike, instant),
        true,
        new Date(instant).toISOString()
      );
    }
    assert.equal(notified('kibotics-silence', outcome.quiet!.silence, tuesdayClass), true);
    assert.equal(notified('kibotics-error-spike', outcome.errorsOnly!.spike, tuesdayClass), true);
    // A quiet rule is never notified, muted or not.
    assert.equal(notified('kibotics-silence', outcome.normal!.silence, tuesdayClass), false);
  });
});

describe("the expression model against pkg/expr/mathexp/exp.go's binaryOp", () => {
  const at = (expression: string, refs: Record<string, number>) =>
    [
      ...evaluate(
        expression,
        Object.fromEntries(Object.entries(refs).map(([k, v]) => [k, new Map([[0, v]])]))
      ).values(),
    ][0];

  test('NaN operands give NaN, comparisons included; || and && short-circuit first', () => {
    assert.ok(Number.isNaN(at('$A > 1', { A: NaN })));
    assert.ok(Number.isNaN(at('$A + 1', { A: NaN })));
    assert.equal(at('$A || $B', { A: 1, B: NaN }), 1);
    assert.equal(at('$A && $B', { A: 0, B: NaN }), 0);
    assert.equal(at('($A >= 10) * ($A * 1000 / ($B / 48 + 1))', { A: 12, B: 0 }), 12_000);
  });

  test('an operand missing from a series leaves no value at that time (series join on time)', () => {
    const out = evaluate('$A + $B', {
      A: new Map([
        [0, 1],
        [1, 2],
      ]),
      B: new Map([[1, 5]]),
    });
    assert.deepEqual([...out], [[1, 7]]);
  });
});
