/** Every provisioned dashboard, each linked to all the others (time range and variables kept). */
import { dashboard, link, slugOf, type Dashboard, type DashboardSpec } from '../grafana.js';
import { errors } from './errors.js';
import { exercises } from './exercises.js';
import { gateway } from './gateway.js';
import { groups } from './groups.js';
import { overview } from './overview.js';
import { sessions } from './sessions.js';
import { user } from './user.js';
import { visitors } from './visitors.js';

export const SPECS: DashboardSpec[] = [overview, sessions, exercises, groups, visitors, errors, user, gateway];

/** The file name of a dashboard under provisioning/dashboards/json/. */
export const fileOf = (spec: DashboardSpec) => `${spec.uid.replace(/^kibotics-/, '')}.json`;

export function buildDashboards(): Array<{ file: string; dashboard: Dashboard; showsUserNames: boolean }> {
  return SPECS.map((spec) => ({
    file: fileOf(spec),
    showsUserNames: spec.showsUserNames,
    dashboard: dashboard(
      spec,
      SPECS.filter((other) => other !== spec).map((other) =>
        link(other.uid, slugOf(other.title), other.title.replace(/^Kibotics /, ''))
      )
    ),
  }));
}
