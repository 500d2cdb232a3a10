import { PanelModel } from '@grafana/data';

import { ActivityOptions } from './types';

/**
 * Options saved by earlier versions → today's. Grafana calls this when a panel's pluginVersion differs
 * from the installed plugin's (provisioned panels usually carry none). Nothing was renamed; one meaning
 * changed: before 1.1, "mean" in week × weekday was the day's total (a day occurred once), and is now
 * the mean per hour, so such panels keep showing totals.
 */
export function migrateOptions(panel: PanelModel<Partial<ActivityOptions>>): Partial<ActivityOptions> {
  const options = { ...panel.options };
  if (olderThan(panel.pluginVersion, [1, 1]) && options.layout === 'weekWeekday' && options.calculation === 'mean') {
    options.calculation = 'total';
  }
  return options;
}

function olderThan(version: string | undefined, [major, minor]: [number, number]): boolean {
  const match = /^(\d+)\.(\d+)/.exec(version ?? '');
  if (!match) {
    return true;
  }
  const [have, haveMinor] = [Number(match[1]), Number(match[2])];
  return have < major || (have === major && haveMinor < minor);
}
