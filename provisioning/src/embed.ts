/** The embeddable URL of every panel (`/d-solo/…`), as a Markdown page for the Kibotics site's admins. */
import { slugOf, type Dashboard } from './grafana.js';

export const soloUrl = (d: Dashboard, panelId: number) => `/d-solo/${d.uid}/${slugOf(d.title)}?orgId=1&panelId=${panelId}`;

export function panelsPage(dashboards: Dashboard[]): string {
  const out = [
    '# Panels and their embed URLs',
    '',
    'Generated from provisioning/src by `npm run generate -w provisioning`. Prefix a URL with your Grafana',
    "address and add `&from=now-30d&to=now&theme=light` and `&var-group=…` as needed (see README.md). Panel",
    "ids come from panel titles, so they stay the same when panels are added or moved.",
    '',
  ];
  for (const d of dashboards) {
    out.push(`## ${d.title} — \`/d/${d.uid}/${slugOf(d.title)}\``, '', d.description, '', '| panel | embed URL |', '| --- | --- |');
    for (const p of d.panels.filter((p) => p.type !== 'row')) out.push(`| ${p.title} | \`${soloUrl(d, p.id)}\` |`);
    out.push('');
  }
  return out.join('\n');
}
