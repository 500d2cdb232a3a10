/** The embeddable URL of every panel (`/d-solo/…`): a Markdown page for the Kibotics site's admins, a manifest for its Django app. */
import { slugOf, type Dashboard } from './grafana.js';

export const soloUrl = (d: Dashboard, panelId: number) =>
  `/d-solo/${d.uid}/${slugOf(d.title)}?orgId=1&panelId=${panelId}`;

export function panelsPage(dashboards: Array<{ dashboard: Dashboard; showsUserNames: boolean }>): string {
  const out = [
    '# Panels and their embed URLs',
    '',
    'Generated from provisioning/src by `npm run generate -w provisioning`. Prefix a URL with your Grafana',
    'address and add `&from=now-30d&to=now&theme=light` and `&var-group=…` as needed (see README.md). Panel',
    'ids come from panel titles, so they stay the same when panels are added or moved.',
    '',
  ];
  for (const { dashboard: d, showsUserNames } of dashboards) {
    const names = showsUserNames
      ? "**Shows users' names**: only for viewers allowed to see them."
      : 'No user names in its panels (though, through Grafana\'s datasource, any viewer can query them: README "Embedding").';
    out.push(
      `## ${d.title} — \`/d/${d.uid}/${slugOf(d.title)}\``,
      '',
      d.description,
      '',
      names,
      '',
      '| panel | embed URL |',
      '| --- | --- |'
    );
    for (const p of d.panels.filter((p) => p.type !== 'row')) out.push(`| ${p.title} | \`${soloUrl(d, p.id)}\` |`);
    out.push('');
  }
  return out.join('\n');
}

/**
 * The same panels as JSON for the Django app (clients/django): its template tag builds embed URLs
 * from it and its Grafana auth view decides who may open which dashboard. `showsUserNames` is
 * null while a dashboard does not say; the app then treats it as showing names (staff only).
 */
export function panelsManifest(built: Array<{ dashboard: Dashboard; showsUserNames?: boolean }>): string {
  const dashboards = Object.fromEntries(
    built.map(({ dashboard: d, showsUserNames }) => [
      d.uid,
      {
        title: d.title,
        slug: slugOf(d.title),
        showsUserNames: showsUserNames ?? null,
        variables: d.templating.list.map((v) => v.name),
        panels: Object.fromEntries(d.panels.filter((p) => p.type !== 'row').map((p) => [p.title, p.id])),
      },
    ])
  );
  return `${JSON.stringify({ generated: 'by npm run generate -w provisioning from provisioning/src: edit the source, not this file', dashboards }, null, 2)}\n`;
}
