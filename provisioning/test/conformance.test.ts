import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { INFLUX_DATASOURCE } from '../src/grafana.js';
import { compose, composeEnv, dashboards, readJson, readYaml } from './support/files.js';
import {
  checkAlertRules,
  checkContactPoints,
  checkDashboardProviders,
  checkDashboards,
  checkDatasources,
  checkMuteTimings,
  checkPolicies,
} from './support/conformance.js';

/**
 * Every kind of file Grafana provisions from this repository, held to the checks Grafana applies when
 * it loads it (support/conformance.ts names the Grafana source of each), and a deliberately broken
 * copy of each kind, which must fail them: a check that cannot fail proves nothing.
 */

const clone = <T>(x: T): T => structuredClone(x);
const files = {
  datasources: readYaml('provisioning/datasources/influxdb.yaml'),
  providers: readYaml('provisioning/dashboards/kibotics.yaml'),
  rules: readYaml('provisioning/alerting/rules.yaml'),
  contactPoints: readYaml('provisioning/alerting/contact-points.yaml'),
  policies: readYaml('provisioning/alerting/policies.yaml'),
  muteTimings: readYaml('provisioning/alerting/mute-timings.yaml'),
};
const grafana = compose().services.grafana!;
/** Grafana's environment as compose gives it, on a host without a .env file. */
const grafanaEnv = composeEnv(grafana);
/** Where compose puts the repository's folders in Grafana's container (bind mounts, not volumes). */
const mounts = (grafana.volumes ?? []).filter((v) => v.startsWith('./')).map((v) => v.split(':')[1]!);
const mounted = (path: string) => mounts.some((m) => path === m || path.startsWith(`${m}/`));
const dashboardFiles = () => dashboards().map((json) => ({ file: `${json.uid}.json`, json: clone(json) as any }));

const ctx = () => ({
  datasourceUids: new Set<string>(files.datasources.datasources.map((d: any) => d.uid)),
  dashboards: dashboards().map((d) => ({ uid: d.uid, panels: d.panels.flatMap((p) => [p, ...(p.panels ?? [])]) })),
});
const policyCtx = () => ({
  receivers: new Set<string>(files.contactPoints.contactPoints.map((c: any) => c.name)),
  timeIntervals: new Set<string>(files.muteTimings.muteTimes.map((m: any) => m.name)),
});

/** Each breakage must be reported with a message matching `expect`. */
function assertBreaks<T>(
  name: string,
  original: T,
  check: (copy: T) => string[],
  breakages: Array<{ what: string; apply: (copy: T) => void; expect: RegExp }>
) {
  for (const { what, apply, expect } of breakages) {
    const copy = clone(original);
    apply(copy);
    const problems = check(copy);
    assert.ok(
      problems.some((p) => expect.test(p)),
      `${name}, ${what}: expected ${expect}, got ${JSON.stringify(problems)}`
    );
  }
}

describe('datasources (pkg/services/provisioning/datasources/config_reader.go)', () => {
  test('the provisioned file passes', () => assert.deepEqual(checkDatasources(files.datasources), []));
  test('broken copies fail', () =>
    assertBreaks('datasources', files.datasources, checkDatasources, [
      {
        what: 'two defaults',
        apply: (f) => f.datasources.push({ ...f.datasources[0], name: 'second', uid: 'second' }),
        expect: /only one datasource per organization/,
      },
      {
        what: 'an org that does not exist',
        apply: (f) => (f.datasources[0].orgId = 2),
        expect: /organisation 2 does not exist/,
      },
      {
        what: 'a uid with a slash',
        apply: (f) => (f.datasources[0].uid = 'kibotics/influx'),
        expect: /uid: holds characters/,
      },
      { what: 'no database', apply: (f) => delete f.datasources[0].jsonData.dbName, expect: /dbName/ },
      {
        what: 'Flux misspelt',
        apply: (f) => (f.datasources[0].jsonData.version = 'influxql'),
        expect: /jsonData.version/,
      },
    ]));
});

describe('dashboard provider (pkg/services/provisioning/dashboards/config_reader.go)', () => {
  const check = (f: any) => checkDashboardProviders(f, mounted);
  test('the provisioned file passes, and reads where compose mounts the dashboards', () =>
    assert.deepEqual(check(files.providers), []));
  test('broken copies fail', () =>
    assertBreaks('providers', files.providers, check, [
      { what: 'no path', apply: (f) => delete f.providers[0].options.path, expect: /path: must be set/ },
      {
        what: 'a path compose does not mount',
        apply: (f) => (f.providers[0].options.path = '/var/lib/grafana/dashboards'),
        expect: /not where the dashboards are mounted/,
      },
      { what: 'another org', apply: (f) => (f.providers[0].orgId = 3), expect: /does not exist/ },
      { what: 'two providers of one name', apply: (f) => f.providers.push(clone(f.providers[0])), expect: /twice/ },
    ]));
});

describe('dashboards (pkg/services/dashboards/service/dashboard_service.go, pkg/services/provisioning/dashboards/validator.go)', () => {
  test('the generated dashboards pass', () => assert.deepEqual(checkDashboards(dashboardFiles()), []));
  test('broken copies fail', () =>
    assertBreaks('dashboards', dashboardFiles(), checkDashboards, [
      { what: 'an empty title', apply: (f) => (f[0]!.json.title = ' '), expect: /title cannot be empty/ },
      { what: 'a uid of 41 characters', apply: (f) => (f[0]!.json.uid = 'k'.repeat(41)), expect: /longer than 40/ },
      { what: 'one uid twice', apply: (f) => (f[1]!.json.uid = f[0]!.json.uid), expect: /is also/ },
      { what: 'one title twice', apply: (f) => (f[1]!.json.title = f[0]!.json.title), expect: /title: .* is also/ },
      {
        what: 'two panels of one id',
        apply: (f) => (f[0]!.json.panels[1].id = f[0]!.json.panels[0].id),
        expect: /id \d+ twice/,
      },
    ]));
});

describe('alert rules (pkg/services/provisioning/alerting/rules_types.go, pkg/services/ngalert/models/alert_rule.go)', () => {
  const check = (f: any) => checkAlertRules(f, ctx());
  test('the generated rules pass', () => assert.deepEqual(check(files.rules), []));
  test('a dashboard annotation names its panel too, an existing one (Grafana exits at start-up otherwise)', () => {
    for (const rule of files.rules.groups.flatMap((g: any) => g.rules)) {
      assert.ok(rule.annotations.__dashboardUid__ && rule.annotations.__panelId__, rule.title);
    }
  });
  test('broken copies fail', () =>
    assertBreaks('rules', files.rules, check, [
      {
        what: '__dashboardUid__ without __panelId__ (fatal in Grafana 10.4–13.2)',
        apply: (f) => delete f.groups[0].rules[0].annotations.__panelId__,
        expect: /both annotations __dashboardUid__ and __panelId__ must be specified/,
      },
      {
        what: '__panelId__ not a number',
        apply: (f) => (f.groups[0].rules[0].annotations.__panelId__ = 'Errors'),
        expect: /valid integer Panel ID/,
      },
      {
        what: 'a panel that does not exist',
        apply: (f) => (f.groups[0].rules[0].annotations.__panelId__ = '1'),
        expect: /no panel 1/,
      },
      {
        what: 'an interval the scheduler cannot divide',
        apply: (f) => (f.groups[0].interval = '15s'),
        expect: /divided exactly by scheduler interval/,
      },
      { what: 'no folder', apply: (f) => (f.groups[0].folder = ''), expect: /no folder set/ },
      {
        what: 'an unknown noDataState',
        apply: (f) => (f.groups[0].rules[0].noDataState = 'Firing'),
        expect: /unknown NoData state option Firing/,
      },
      {
        what: 'two rules of one title',
        apply: (f) => (f.groups[0].rules[1].title = f.groups[0].rules[0].title),
        expect: /rule title under the same organisation and folder should be unique/,
      },
      {
        what: 'a condition that is no refId',
        apply: (f) => (f.groups[0].rules[0].condition = 'Z'),
        expect: /condition: Z/,
      },
      {
        what: 'math over an undefined refId',
        apply: (f) => (f.groups[0].rules[0].data.find((d: any) => d.model.type === 'math').model.expression = '$Q > 1'),
        expect: /Q is not a query/,
      },
      {
        what: 'an unknown datasource',
        apply: (f) => (f.groups[0].rules[0].data[0].datasourceUid = 'influx'),
        expect: /not a provisioned datasource/,
      },
      {
        what: 'a reserved label',
        apply: (f) => (f.groups[0].rules[0].labels.__grafana_receiver__ = 'x'),
        expect: /system reserved label/,
      },
    ]));
  test('every rule query targets the provisioned InfluxDB', () => {
    for (const r of files.rules.groups.flatMap((g: any) => g.rules)) {
      for (const d of r.data.filter((d: any) => d.datasourceUid !== '__expr__'))
        assert.equal(d.datasourceUid, INFLUX_DATASOURCE.uid);
    }
  });
});

describe('contact points (pkg/services/provisioning/alerting/contact_point_types.go)', () => {
  const check = (f: any) => checkContactPoints(f, grafanaEnv);
  test('the provisioned file passes with the environment compose gives Grafana', () =>
    assert.deepEqual(check(files.contactPoints), []));
  test('broken copies fail', () => {
    assertBreaks('contact points', files.contactPoints, check, [
      { what: 'no receiver uid', apply: (f) => delete f.contactPoints[0].receivers[0].uid, expect: /no uid is set/ },
      { what: 'no name', apply: (f) => (f.contactPoints[0].name = ''), expect: /no name is set/ },
      {
        what: 'no settings',
        apply: (f) => (f.contactPoints[0].receivers[0].settings = {}),
        expect: /no settings are set/,
      },
      {
        what: 'an unknown type',
        apply: (f) => (f.contactPoints[0].receivers[0].type = 'e-mail'),
        expect: /not a notifier/,
      },
    ]);
    // The address comes from the environment: without ALERT_EMAIL the email notifier has no address.
    assert.ok(
      checkContactPoints(files.contactPoints, { ...grafanaEnv, ALERT_EMAIL: '' }).some((p) =>
        /addresses: empty/.test(p)
      )
    );
  });
});

describe('notification policies (pkg/services/provisioning/alerting/notification_policy_types.go, pkg/services/ngalert/provisioning/notification_policies.go)', () => {
  const check = (f: any) => checkPolicies(f, policyCtx());
  test('the provisioned file passes', () => assert.deepEqual(check(files.policies), []));
  test('broken copies fail', () =>
    assertBreaks('policies', files.policies, check, [
      {
        what: 'an unknown receiver',
        apply: (f) => (f.policies[0].routes[0].receiver = 'admins'),
        expect: /admins does not exist/,
      },
      {
        what: 'an unknown mute timing',
        apply: (f) => f.policies[0].routes[0].mute_time_intervals.push('holidays'),
        expect: /undefined time interval holidays/,
      },
      {
        what: 'matchers on the root',
        apply: (f) => (f.policies[0].object_matchers = [['a', '=', 'b']]),
        expect: /root route must not have any matchers/,
      },
      {
        what: 'a bad duration',
        apply: (f) => (f.policies[0].group_wait = '30 seconds'),
        expect: /group_wait: cannot parse/,
      },
    ]));
});

describe('mute timings (pkg/services/provisioning/alerting/mute_times_types.go, alertmanager timeinterval/timeinterval.go)', () => {
  test('the provisioned file passes', () => assert.deepEqual(checkMuteTimings(files.muteTimings), []));
  test('broken copies fail', () =>
    assertBreaks('mute timings', files.muteTimings, checkMuteTimings, [
      {
        what: 'an end before the start',
        apply: (f) => (f.muteTimes[0].time_intervals[1].times[0] = { start_time: '09:00', end_time: '08:00' }),
        expect: /start time cannot be equal or greater/,
      },
      {
        what: '24:30',
        apply: (f) => (f.muteTimes[0].time_intervals[1].times[1].end_time = '24:30'),
        expect: /invalid format/,
      },
      {
        what: 'a Spanish weekday',
        apply: (f) => (f.muteTimes[0].time_intervals[0].weekdays = ['sábado']),
        expect: /not a valid weekday/,
      },
      {
        what: 'friday:monday',
        apply: (f) => (f.muteTimes[0].time_intervals[1].weekdays = ['friday:monday']),
        expect: /start day cannot be before end day/,
      },
      {
        what: 'day 32',
        apply: (f) => (f.muteTimes[1].time_intervals[0].days_of_month = ['23:32']),
        expect: /out of range/,
      },
      {
        what: 'an unknown zone',
        apply: (f) => (f.muteTimes[0].time_intervals[0].location = 'Europe/Madird'),
        expect: /unknown time zone/,
      },
      {
        what: 'time_zone for location (silently UTC)',
        apply: (f) => (f.muteTimes[0].time_intervals[0].time_zone = 'Europe/Madrid'),
        expect: /time_zone: not a field/,
      },
    ]));
});

test('the panel ids the rules name are those of the dashboards (generated together)', () => {
  const byUid = new Map(dashboards().map((d) => [d.uid, d]));
  for (const r of files.rules.groups.flatMap((g: any) => g.rules)) {
    const d = byUid.get(r.annotations.__dashboardUid__)!;
    assert.ok(
      d.panels.some((p) => String(p.id) === r.annotations.__panelId__),
      `${r.title}: ${r.annotations.__panelId__}`
    );
  }
  assert.ok(readJson('provisioning/dashboards/json/errors.json'));
});
