/**
 * A small typed model of the Grafana 12 dashboard JSON we provision: just the panels, queries,
 * variables and links the Kibotics dashboards use. Panels are placed left to right on the 24-column
 * grid in the order given, so a dashboard's source reads like its layout.
 */
import { PLATFORM_TIME_ZONE } from './influxql.js';

export const INFLUX_DATASOURCE = { type: 'influxdb', uid: 'kibotics-influxdb' } as const;
export const EXPRESSION_DATASOURCE = { type: '__expr__', uid: '__expr__' } as const;
export const ACTIVITY_PANEL = 'kibotics-activity-panel';
/** The folder the provider puts the dashboards in, and the alert rules' folder. */
export const FOLDER = 'Kibotics';

export interface InfluxTarget {
  refId: string;
  datasource: typeof INFLUX_DATASOURCE;
  query: string;
  rawQuery: true;
  resultFormat: 'time_series' | 'table';
  alias?: string;
  hide?: boolean;
}

export interface ExpressionTarget {
  refId: string;
  datasource: typeof EXPRESSION_DATASOURCE;
  type: 'math';
  expression: string;
  hide?: boolean;
}

export type Target = InfluxTarget | ExpressionTarget;

/** An InfluxQL query; `alias` names the series (`$tag_os` names it by a tag). */
export function influx(
  query: string,
  opts: { alias?: string; table?: boolean; hide?: boolean } = {}
): Omit<InfluxTarget, 'refId'> {
  return {
    datasource: INFLUX_DATASOURCE,
    query,
    rawQuery: true,
    resultFormat: opts.table ? 'table' : 'time_series',
    ...(opts.alias ? { alias: opts.alias } : {}),
    ...(opts.hide ? { hide: true } : {}),
  };
}

/** A server-side expression over other queries by refId, e.g. `$A / $B * 1000`. */
export function math(expression: string): Omit<ExpressionTarget, 'refId'> {
  return { datasource: EXPRESSION_DATASOURCE, type: 'math', expression };
}

export interface Panel {
  id: number;
  type: string;
  title: string;
  description?: string;
  gridPos: { x: number; y: number; w: number; h: number };
  datasource?: typeof INFLUX_DATASOURCE | { type: 'datasource'; uid: '-- Mixed --' };
  targets?: Target[];
  /** The smallest $__interval: a roll-up never has finer detail than its 15 minutes. */
  interval?: string;
  maxDataPoints?: number;
  fieldConfig: { defaults: Record<string, unknown>; overrides: unknown[] };
  options: Record<string, unknown>;
  transformations?: unknown[];
  collapsed?: boolean;
  panels?: Panel[];
}

export interface PanelSpec {
  type: string;
  title: string;
  /** A renamed panel keeps the id of its former title, so embeds of it (`panelId=`) keep working. */
  idOf?: string;
  description?: string;
  w: number;
  h: number;
  targets?: Array<Omit<InfluxTarget, 'refId'> | Omit<ExpressionTarget, 'refId'>>;
  interval?: string;
  maxDataPoints?: number;
  defaults?: Record<string, unknown>;
  overrides?: unknown[];
  options?: Record<string, unknown>;
  transformations?: unknown[];
}

export interface Variable {
  name: string;
  label: string;
  type: 'query' | 'custom';
  query: string;
  datasource?: typeof INFLUX_DATASOURCE;
  multi: boolean;
  includeAll: boolean;
  allValue?: string;
  current: { text: string | string[]; value: string | string[] };
  options: Array<{ text: string; value: string; selected: boolean }>;
  refresh?: 1 | 2;
  sort?: number;
  hide?: 0 | 2;
  description?: string;
}

export interface DashboardLink {
  title: string;
  type: 'link';
  url: string;
  icon: 'dashboard';
  keepTime: true;
  includeVars: true;
  targetBlank: false;
  asDropdown: false;
  tags: string[];
  tooltip: string;
}

export interface Dashboard {
  uid: string;
  title: string;
  description: string;
  tags: string[];
  timezone: string;
  editable: boolean;
  graphTooltip: 1;
  refresh: string;
  schemaVersion: number;
  version: 1;
  time: { from: string; to: string };
  timepicker: Record<string, unknown>;
  templating: { list: Variable[] };
  annotations: { list: unknown[] };
  links: DashboardLink[];
  panels: Panel[];
}

export interface DashboardSpec {
  uid: string;
  title: string;
  description: string;
  time?: string;
  /**
   * Whether a viewer can read users' (children's) names in it: a name column, the user variable, or
   * the site's free text (error paths and messages). Such dashboards need a login (README "Embedding").
   */
  showsUserNames: boolean;
  variables: Variable[];
  /** Rows of panels; a row's title, when given, becomes a Grafana row header. */
  rows: Array<{ title?: string; panels: PanelSpec[] }>;
}

const refIds = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A panel's id from its title (FNV-1a, 1–9999): embeds in the Kibotics site name panels by id
 * (`/d-solo/…?panelId=`), so adding or moving a panel must not renumber the others.
 */
export function panelId(title: string): number {
  let h = 0x811c9dc5;
  for (const ch of title) {
    h ^= ch.codePointAt(0)!;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return (h % 9999) + 1;
}

export function dashboard(spec: DashboardSpec, links: DashboardLink[]): Dashboard {
  const panels: Panel[] = [];
  let y = 0;
  for (const row of spec.rows) {
    if (row.title) {
      panels.push({
        id: panelId(row.title),
        type: 'row',
        title: row.title,
        collapsed: false,
        panels: [],
        gridPos: { x: 0, y, w: 24, h: 1 },
        fieldConfig: { defaults: {}, overrides: [] },
        options: {},
      });
      y += 1;
    }
    let x = 0;
    let rowHeight = 0;
    for (const p of row.panels) {
      if (x + p.w > 24) {
        y += rowHeight;
        x = 0;
        rowHeight = 0;
      }
      const mixed = p.targets?.some((t) => t.datasource.uid === EXPRESSION_DATASOURCE.uid);
      panels.push({
        id: panelId(p.idOf ?? p.title),
        type: p.type,
        title: p.title,
        ...(p.description ? { description: p.description } : {}),
        gridPos: { x, y, w: p.w, h: p.h },
        ...(p.targets
          ? {
              datasource: mixed ? { type: 'datasource', uid: '-- Mixed --' } : INFLUX_DATASOURCE,
              targets: p.targets.map((t, i) => ({ refId: refIds[i]!, ...t }) as Target),
            }
          : {}),
        ...(p.interval ? { interval: p.interval } : {}),
        ...(p.maxDataPoints ? { maxDataPoints: p.maxDataPoints } : {}),
        fieldConfig: { defaults: p.defaults ?? {}, overrides: p.overrides ?? [] },
        options: p.options ?? {},
        ...(p.transformations ? { transformations: p.transformations } : {}),
      });
      x += p.w;
      rowHeight = Math.max(rowHeight, p.h);
    }
    y += rowHeight;
  }
  return {
    uid: spec.uid,
    title: spec.title,
    description: spec.description,
    tags: ['kibotics'],
    timezone: PLATFORM_TIME_ZONE,
    editable: false,
    graphTooltip: 1,
    refresh: '1m',
    schemaVersion: 41,
    version: 1,
    time: { from: spec.time ?? 'now-30d', to: 'now' },
    timepicker: {},
    templating: { list: spec.variables },
    annotations: { list: [] },
    links,
    panels,
  };
}

/** A link in the dashboard header that keeps the time range and the variables it shares. */
export function link(uid: string, slug: string, title: string): DashboardLink {
  return {
    title,
    type: 'link',
    url: `/d/${uid}/${slug}`,
    icon: 'dashboard',
    keepTime: true,
    includeVars: true,
    targetBlank: false,
    asDropdown: false,
    tags: [],
    tooltip: `Open ${title} with this time range and these filters`,
  };
}

/** A dashboard's slug as Grafana makes it from its title (lower case, dashes). */
export const slugOf = (title: string) =>
  title
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '');
