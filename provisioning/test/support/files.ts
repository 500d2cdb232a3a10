/** The provisioned files as Grafana and Docker read them, from the repository. */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import yaml from 'js-yaml';
import type { Dashboard, Panel, Target } from '../../src/grafana.js';

export const REPO = join(import.meta.dirname, '../../..');
export const PROVISIONING = join(REPO, 'provisioning');

export const readYaml = <T = any>(path: string): T => yaml.load(readFileSync(join(REPO, path), 'utf8')) as T;
export const readJson = <T = any>(path: string): T => JSON.parse(readFileSync(join(REPO, path), 'utf8')) as T;

export function dashboards(): Dashboard[] {
  const dir = join(PROVISIONING, 'dashboards/json');
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(dir, f), 'utf8')) as Dashboard);
}

/** Every panel, rows' own panels included, with its dashboard. */
export function panels(all = dashboards()): Array<{ dashboard: Dashboard; panel: Panel }> {
  return all.flatMap((dashboard) =>
    dashboard.panels.flatMap((p) => [p, ...(p.panels ?? [])]).map((panel) => ({ dashboard, panel }))
  );
}

export const influxTargets = (panel: Panel) =>
  (panel.targets ?? []).filter((t): t is Extract<Target, { rawQuery: true }> => 'query' in t);

/** `${VAR:-default}` and `${VAR}` of a compose file, as compose resolves them with an empty environment. */
export const composeValue = (value: unknown) =>
  String(value).replace(/\$\{(\w+)(?::?-([^}]*))?\}/g, (_m, _name, fallback: string | undefined) => fallback ?? '');

export interface ComposeService {
  image?: string;
  build?: { context: string; dockerfile?: string; target?: string };
  environment?: Record<string, string | number | boolean>;
  ports?: string[];
  volumes?: string[];
  command?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test: string[] };
  profiles?: string[];
}

export const compose = () =>
  readYaml<{ services: Record<string, ComposeService>; volumes: Record<string, unknown> }>('docker-compose.yml');

/** A service's environment with compose's defaults applied. */
export function composeEnv(service: ComposeService): Record<string, string> {
  return Object.fromEntries(Object.entries(service.environment ?? {}).map(([k, v]) => [k, composeValue(v)]));
}
