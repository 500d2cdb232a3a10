/** The text of every generated provisioning file, by its path under provisioning/. */
import yaml from 'js-yaml';
import { alertRules } from './alerts.js';
import { buildDashboards } from './dashboards/index.js';
import { panelsManifest, panelsPage } from './embed.js';

export const DASHBOARD_DIR = 'dashboards/json';
export const RULES_FILE = 'alerting/rules.yaml';
/** The Django app's copy of the panel list, inside its Python package (paths are relative to provisioning/). */
export const DJANGO_MANIFEST = '../clients/django/kibotics_analytics/panels.json';

const GENERATED =
  '# Generated from provisioning/src/alerts.ts by `npm run generate -w provisioning`: edit the source, not this file.\n';

export function renderAll(): Array<{ path: string; text: string }> {
  const dashboards = buildDashboards();
  return [
    ...dashboards.map(({ file, dashboard }) => ({
      path: `${DASHBOARD_DIR}/${file}`,
      text: `${JSON.stringify(dashboard, null, 2)}\n`,
    })),
    { path: 'panels.md', text: panelsPage(dashboards) },
    { path: DJANGO_MANIFEST, text: panelsManifest(dashboards) },
    { path: RULES_FILE, text: GENERATED + yaml.dump(alertRules(), { lineWidth: 160, noRefs: true, quotingType: "'" }) },
  ];
}
