import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { Dashboard } from '../src/grafana.js';
import { buildDashboards } from '../src/dashboards/index.js';
import { compose, composeEnv, readJson } from './support/files.js';

/**
 * Who sees children's names. Each dashboard says whether it shows users' names (`showsUserNames` in
 * its source, carried into panels.md and the Django app's panels.json); this holds it to what its
 * queries read, so a new name column cannot slip into a dashboard said to be name-free.
 */

/** Raw fields and tags that name a user, and free text from the site that may (error paths and messages). */
const NAMING = [/"user"/, /"path"/, /"message"/];

/** Whether any query or variable of the dashboard can put a user's name on screen. */
function readsNames(d: Dashboard): boolean {
  const queries = [
    ...d.panels
      .flatMap((p) => [p, ...(p.panels ?? [])])
      .flatMap((p) => (p.targets ?? []).flatMap((t) => ('query' in t ? [t.query] : []))),
    ...d.templating.list.filter((v) => v.type === 'query').map((v) => v.query),
  ];
  // count(distinct("user")) counts users without showing any, also those its subqueries select for it alone.
  const counted = (q: string) =>
    (/^SELECT count\(distinct\("user"\)\)(?: AS "[^"]*")? FROM \(/.test(q)
      ? q.replace(/\(SELECT "user" FROM /g, '(')
      : q
    ).replace(/count\(distinct\("user"\)\)/g, '');
  return (
    queries.some((q) => NAMING.some((re) => re.test(counted(q)))) || d.templating.list.some((v) => v.name === 'user')
  );
}

describe("who sees children's names", () => {
  const built = buildDashboards();

  test('each dashboard says whether it shows names, and says it truly', () => {
    for (const { dashboard, showsUserNames } of built)
      assert.equal(showsUserNames, readsNames(dashboard), dashboard.title);
    assert.deepEqual(
      built
        .filter((b) => !b.showsUserNames)
        .map((b) => b.dashboard.uid)
        .sort(),
      ['kibotics-gateway', 'kibotics-overview', 'kibotics-visitors']
    );
  });

  test('a broken copy: a name column added to a dashboard said to be name-free is caught', () => {
    const overview = structuredClone(built.find((b) => b.dashboard.uid === 'kibotics-overview')!);
    assert.equal(readsNames(overview.dashboard), false);
    overview.dashboard.panels[0]!.targets!.push({
      refId: 'Z',
      datasource: { type: 'influxdb', uid: 'kibotics-influxdb' },
      query: 'SELECT "user", "group" FROM "session_end" WHERE $timeFilter LIMIT 10',
      rawQuery: true,
      resultFormat: 'table',
    });
    assert.equal(readsNames(overview.dashboard), true);
  });

  test('the Django app gets the flag of every dashboard (panels.json)', () => {
    const manifest = readJson('clients/django/kibotics_analytics/panels.json').dashboards as Record<
      string,
      { showsUserNames: boolean | null }
    >;
    for (const { dashboard, showsUserNames } of built)
      assert.equal(manifest[dashboard.uid]?.showsUserNames, showsUserNames, dashboard.uid);
  });

  test('no anonymous viewer: the datasource that draws name-free panels answers any query, names included', () => {
    // All dashboards and the one datasource are provisioned into organisation 1 (the only one a fresh
    // Grafana has): an anonymous viewer there could send SELECT "user" … through /api/ds/query.
    const grafana = composeEnv(compose().services.grafana!);
    assert.equal(grafana.GF_AUTH_ANONYMOUS_ENABLED, 'false');
    assert.ok(
      built.some((b) => b.showsUserNames),
      'names live in the same organisation and database'
    );
  });
});
