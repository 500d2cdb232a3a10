import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { SILENCE_LABEL } from '../src/alerts.js';
import {
  ACTIVITY_PANEL,
  EXPRESSION_DATASOURCE,
  FOLDER,
  INFLUX_DATASOURCE,
  type Dashboard,
  type Panel,
} from '../src/grafana.js';
import { RAW_MEASUREMENTS, ROLLUP_MEASUREMENTS, ROLLUP_RP } from '../src/influxql.js';
import { renderAll } from '../src/render.js';
import { PROVISIONING, dashboards, influxTargets, panels, readJson, readYaml } from './support/files.js';
import { variablesUsed } from './support/grafana-macros.js';
import { muted } from './support/mute-timing.js';

/** Panel plugins built into Grafana 12.4 (public/app/plugins/panel), plus rows. */
const CORE_PANELS_12_4 = new Set([
  'alertlist',
  'annolist',
  'barchart',
  'bargauge',
  'candlestick',
  'canvas',
  'dashlist',
  'datagrid',
  'debug',
  'flamegraph',
  'gauge',
  'geomap',
  'gettingstarted',
  'heatmap',
  'histogram',
  'live',
  'logs',
  'news',
  'nodeGraph',
  'piechart',
  'stat',
  'state-timeline',
  'status-history',
  'table',
  'text',
  'timeseries',
  'traces',
  'trend',
  'welcome',
  'xychart',
  'row',
]);
/** Datasource uids Grafana itself provides. */
const BUILTIN_DATASOURCES = new Set([EXPRESSION_DATASOURCE.uid, '-- Mixed --']);

const all = dashboards();
const uids = new Set(all.map((d) => d.uid));
const datasources = readYaml('provisioning/datasources/influxdb.yaml').datasources as Array<{
  uid: string;
  type: string;
  jsonData: Record<string, string>;
}>;
const datasourceUids = new Set(datasources.map((d) => d.uid));
const pluginJson = readJson('grafana-plugin/src/plugin.json');
const rules = readYaml('provisioning/alerting/rules.yaml');
const allRules = rules.groups.flatMap((g: any) => g.rules) as any[];

/** Every InfluxQL query provisioned: panels' and variables' of each dashboard, and the alert rules'. */
const queries = [
  ...panels(all).flatMap(({ dashboard, panel }) =>
    influxTargets(panel).map((t) => ({ where: `${dashboard.title} / ${panel.title}`, dashboard, query: t.query }))
  ),
  ...all.flatMap((dashboard) =>
    dashboard.templating.list
      .filter((v) => v.type === 'query')
      .map((v) => ({ where: `${dashboard.title} / $${v.name}`, dashboard, query: v.query }))
  ),
];
const ruleQueries = allRules.flatMap((r) =>
  r.data
    .filter((d: any) => d.datasourceUid === INFLUX_DATASOURCE.uid)
    .map((d: any) => ({ where: r.title, query: d.model.query as string }))
);

describe('generated files', () => {
  test('every provisioned file is what its TypeScript source makes (npm run generate -w provisioning)', () => {
    for (const { path, text } of renderAll())
      assert.equal(readFileSync(join(PROVISIONING, path), 'utf8'), text, `${path} differs from its source`);
  });
});

describe('dashboards', () => {
  test('uids are unique and stable, titles English and distinct', () => {
    assert.equal(uids.size, all.length);
    for (const d of all) assert.match(d.uid, /^kibotics-[a-z]+$/);
    assert.deepEqual([...uids].sort(), [
      'kibotics-errors',
      'kibotics-exercises',
      'kibotics-gateway',
      'kibotics-groups',
      'kibotics-overview',
      'kibotics-sessions',
      'kibotics-user',
      'kibotics-visitors',
    ]);
    assert.equal(new Set(all.map((d) => d.title)).size, all.length);
  });

  test("every panel type exists in the pinned Grafana or is our plugin, whose id is plugin.json's", () => {
    assert.equal(ACTIVITY_PANEL, pluginJson.id);
    for (const { dashboard, panel } of panels(all))
      assert.ok(
        CORE_PANELS_12_4.has(panel.type) || panel.type === pluginJson.id,
        `${dashboard.title} / ${panel.title}: ${panel.type}`
      );
    assert.ok(panels(all).some(({ panel }) => panel.type === ACTIVITY_PANEL));
  });

  // Their options are type-checked against the plugin's own ActivityOptions in typecheck.test.ts.
  test('the activity panels read 15-minute buckets', () => {
    const activity = panels(all).filter(({ panel }) => panel.type === ACTIVITY_PANEL);
    assert.ok(activity.length >= 5);
    // The panel folds 15-minute buckets: anything coarser straddles local hours in some zones.
    for (const { panel } of activity)
      for (const t of influxTargets(panel)) assert.match(t.query, /GROUP BY time\(15m\)/, panel.title);
  });

  test('every datasource uid a panel or query refers to is provisioned or built in', () => {
    for (const { dashboard, panel } of panels(all)) {
      for (const ds of [panel.datasource, ...(panel.targets ?? []).map((t) => t.datasource)].filter(Boolean)) {
        assert.ok(
          datasourceUids.has(ds!.uid) || BUILTIN_DATASOURCES.has(ds!.uid),
          `${dashboard.title} / ${panel.title}: ${ds!.uid}`
        );
      }
    }
    for (const d of all)
      for (const v of d.templating.list) if (v.datasource) assert.ok(datasourceUids.has(v.datasource.uid));
  });

  test('every variable a query uses is defined in its dashboard', () => {
    for (const { where, dashboard, query } of queries) {
      const defined = new Set(dashboard.templating.list.map((v) => v.name));
      for (const name of variablesUsed(query)) assert.ok(defined.has(name), `${where}: $${name} is not defined`);
    }
  });

  test('links between dashboards point to provisioned uids and keep the time range and variables', () => {
    for (const d of all) {
      assert.equal(d.links.length, all.length - 1);
      for (const l of d.links) {
        assert.ok(uids.has(/^\/d\/([\w-]+)\//.exec(l.url)?.[1] ?? ''), `${d.title}: ${l.url}`);
        assert.ok(l.keepTime && l.includeVars);
      }
    }
    const dataLinks = panels(all).flatMap(
      ({ panel }) => JSON.stringify(panel.fieldConfig).match(/\/d\/[\w-]+\//g) ?? []
    );
    assert.ok(dataLinks.length > 0);
    for (const url of dataLinks) assert.ok(uids.has(url.split('/')[2]!), url);
  });

  test('panels lie inside the 24-column grid without overlapping', () => {
    for (const d of all) {
      const taken = new Set<string>();
      for (const p of d.panels) {
        const { x, y, w, h } = p.gridPos;
        assert.ok(x >= 0 && w > 0 && x + w <= 24, `${d.title} / ${p.title}`);
        for (let i = x; i < x + w; i++)
          for (let j = y; j < y + h; j++) {
            assert.ok(!taken.has(`${i},${j}`), `${d.title} / ${p.title} overlaps`);
            taken.add(`${i},${j}`);
          }
      }
      assert.equal(new Set(d.panels.map((p: Panel) => p.id)).size, d.panels.length);
    }
  });

  test('whole-platform panels read roll-ups: raw points only for one user, chosen groups, or the latest few', () => {
    const fromRe = /FROM\s+(?:"([^"]+)"\.)?"([^"]+)"/g;
    const checked: Array<{ where: string; query: string; dashboard?: Dashboard }> = [...queries, ...ruleQueries];
    const seen = { rollup: 0, raw: 0 };
    for (const { where, dashboard, query } of checked) {
      for (const [, rp, measurement] of query.matchAll(fromRe)) {
        if (ROLLUP_MEASUREMENTS.includes(measurement!)) {
          assert.equal(rp, ROLLUP_RP, `${where}: roll-ups live in "${ROLLUP_RP}"`);
          seen.rollup++;
        }
        if (!RAW_MEASUREMENTS.includes(measurement!) || query.startsWith('SHOW')) continue;
        seen.raw++;
        const userVar = dashboard?.templating.list.find((v) => v.name === 'user');
        const oneUser =
          /"user" =~ \/\^\$user\$\//.test(query) && userVar !== undefined && !userVar.includeAll && !userVar.multi;
        // Chosen classes (no "All"): their few dozen series, found through the group tag's index.
        const groupVar = dashboard?.templating.list.find((v) => v.name === 'group');
        const chosenGroups = /"group" =~ \/\^\$group\$\//.test(query) && groupVar !== undefined && !groupVar.includeAll;
        const limit = Number(/LIMIT (\d+)/.exec(query)?.[1] ?? Infinity);
        assert.ok(
          oneUser || chosenGroups || limit <= 5000,
          `${where} reads raw "${measurement}" without a user, chosen groups or a LIMIT: ${query}`
        );
      }
    }
    assert.ok(seen.rollup > 30 && seen.raw > 5, JSON.stringify(seen));
  });

  test('a query over a subquery repeats the time condition outside it (InfluxDB 1.x maps shards from the outer range)', () => {
    const checked: Array<{ where: string; query: string }> = [...queries, ...ruleQueries];
    let seen = 0;
    for (const { where, query } of checked) {
      const m = /^SELECT .*? FROM \((.*)\)(.*)$/.exec(query);
      if (!m) continue;
      seen++;
      // Without it 1.6.7 opens every shard of the database: the cost follows the retention, not the range.
      assert.match(m[2]!, /WHERE .*(\$timeFilter|time [<>]=?)/, `${where}: ${query}`);
    }
    assert.ok(seen >= 2, `${seen} subqueries (the most and least used exercises at least)`);
  });

  test('crawlers are excluded by default wherever people are counted', () => {
    for (const d of all.filter((d) => d.templating.list.some((v) => v.name === 'bot'))) {
      assert.equal(d.templating.list.find((v) => v.name === 'bot')!.current.value, 'false', d.title);
    }
  });
});

describe('datasource', () => {
  test('one InfluxQL datasource with the uid the dashboards use', () => {
    assert.deepEqual([...datasourceUids], [INFLUX_DATASOURCE.uid]);
    assert.equal(datasources[0]!.type, 'influxdb');
    assert.equal(datasources[0]!.jsonData.version, 'InfluxQL');
  });

  test('the dashboards provider loads the folder the generator writes into', () => {
    const provider = readYaml('provisioning/dashboards/kibotics.yaml').providers[0];
    assert.equal(provider.folder, FOLDER);
    assert.equal(provider.options.path, '/etc/grafana/provisioning/dashboards/json');
  });
});

describe('alerting', () => {
  const contactPoints = readYaml('provisioning/alerting/contact-points.yaml').contactPoints as any[];
  const policies = readYaml('provisioning/alerting/policies.yaml').policies as any[];
  const muteTimes = readYaml('provisioning/alerting/mute-timings.yaml').muteTimes as any[];

  test('rules have what Grafana requires, and their refs and datasources exist', () => {
    assert.equal(rules.apiVersion, 1);
    assert.deepEqual(allRules.map((r) => r.uid).sort(), ['kibotics-error-spike', 'kibotics-silence']);
    for (const g of rules.groups) {
      assert.equal(g.folder, FOLDER);
      assert.match(g.interval, /^\d+[smh]$/);
    }
    for (const r of allRules) {
      for (const key of ['uid', 'title', 'condition', 'data', 'noDataState', 'execErrState', 'for'])
        assert.ok(r[key] !== undefined, `${r.title}: ${key}`);
      assert.ok(['Alerting', 'NoData', 'OK', 'KeepLast'].includes(r.noDataState));
      assert.ok(['Alerting', 'Error', 'OK', 'KeepLast'].includes(r.execErrState));
      const refs = new Set(r.data.map((d: any) => d.refId));
      assert.ok(refs.has(r.condition), `${r.title}: condition ${r.condition}`);
      for (const d of r.data) {
        assert.equal(d.model.refId, d.refId);
        assert.ok(
          datasourceUids.has(d.datasourceUid) || d.datasourceUid === EXPRESSION_DATASOURCE.uid,
          d.datasourceUid
        );
        if (d.datasourceUid !== EXPRESSION_DATASOURCE.uid) assert.ok(d.relativeTimeRange.from > 0);
        else {
          const used =
            d.model.type === 'math'
              ? [...d.model.expression.matchAll(/\$([A-Z])/g)].map((m: string[]) => m[1])
              : [d.model.expression];
          for (const u of used) assert.ok(refs.has(u) && u !== d.refId, `${r.title} ${d.refId} uses ${u}`);
        }
      }
      assert.ok(uids.has(r.annotations.__dashboardUid__));
    }
  });

  test('the policy sends to a provisioned contact point and mutes silence outside school hours', () => {
    const receivers = new Set(contactPoints.map((c) => c.name));
    const policy = policies[0];
    assert.ok(receivers.has(policy.receiver));
    const silence = allRules.find((r) => r.uid === 'kibotics-silence');
    const route = policy.routes.find((r: any) =>
      r.object_matchers.some(([k, op, v]: string[]) => op === '=' && silence.labels[k] === v)
    );
    assert.ok(route, 'no route matches the silence rule');
    assert.deepEqual(
      Object.entries(SILENCE_LABEL)[0],
      route.object_matchers[0].filter((_: string, i: number) => i !== 1)
    );
    const muted = new Set(muteTimes.map((m) => m.name));
    for (const name of route.mute_time_intervals) assert.ok(muted.has(name), name);
    assert.ok(muteTimes.every((m) => m.time_intervals.every((t: any) => t.location === 'Europe/Madrid')));
  });

  test('silence is muted at night, at weekends and in school holidays, and heard in term-time school hours', () => {
    const route = policies[0].routes.find((r: any) =>
      r.object_matchers.some(([k]: string[]) => k === Object.keys(SILENCE_LABEL)[0])
    );
    const at = (local: string) => Date.parse(`${local}+01:00`); // Madrid in winter time
    // and in summer time (the last Sunday of March to the last Sunday of October)
    const summer = (local: string) => Date.parse(`${local}+02:00`);
    const isMuted = (instant: number) => muted(muteTimes, route.mute_time_intervals, instant);
    const heard = [
      at('2026-11-17T11:00:00'),
      at('2026-11-17T15:59:00'),
      summer('2026-06-22T10:00:00'),
      summer('2026-09-08T09:30:00'),
      at('2027-01-08T12:00:00'),
      summer('2027-04-07T11:00:00'),
    ];
    const quiet = [
      at('2026-11-17T16:00:00'), // after school
      at('2026-11-17T08:59:00'),
      at('2026-11-21T11:00:00'), // Saturday
      summer('2026-06-23T10:00:00'), // summer holidays
      summer('2027-08-11T11:00:00'),
      at('2026-12-22T11:00:00'), // Christmas
      at('2027-01-07T11:00:00'),
      summer('2026-10-12T11:00:00'), // national day
      at('2027-03-24T11:00:00'), // Holy Week 2027 (Easter on 28 March)
      summer('2027-03-29T11:00:00'), // Easter Monday
    ];
    for (const t of heard) assert.equal(isMuted(t), false, `heard at ${new Date(t).toISOString()}`);
    for (const t of quiet) assert.equal(isMuted(t), true, `muted at ${new Date(t).toISOString()}`);
  });

  test('the contact point is left for the user to fill in, through an environment variable', () => {
    const addresses = contactPoints[0].receivers[0].settings.addresses as string;
    assert.match(addresses, /^\$\{?ALERT_EMAIL\}?$/);
  });
});
