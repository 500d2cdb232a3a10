/**
 * 8. The activity panel in Chromium: a year of hourly points in 20 series (175,200 points) folded
 * into weekday × hour and drawn, ms from props to paint (two animation frames), against two
 * baselines measured in the same page: the same panel rendering an empty frame (what React, the
 * theme and Grafana's field config cost with no data), and the fold alone on the same points.
 */
import { openPanelPage } from '../lib/browser.js';
import { fmt, type Row, type Scenario } from '../lib/result.js';
import { median } from '../lib/stats.js';

const SERIES = 20;
const RUNS = 15;

export const panel: Scenario = async (ctx) => {
  const browser = await openPanelPage();
  try {
    const result = (await browser.page.evaluate(`benchPanel(${SERIES}, ${RUNS})`)) as { full: number[]; overrides: number[]; empty: number[]; fold: number[]; cells: number };
    const full = median(result.full);
    const empty = median(result.empty);
    const fold = median(result.fold);
    const overrides = median(result.overrides);
    ctx.log(`render ${result.full.map((n) => n.toFixed(0)).join(', ')} ms; empty ${result.empty.map((n) => n.toFixed(0)).join(', ')}; fold ${result.fold.map((n) => n.toFixed(1)).join(', ')}; ${result.cells} cells drawn`);
    const points = SERIES * 8760;
    return [
      {
        scenario: '8 panel in Chromium',
        figure: `render, 1 year hourly × ${SERIES} series (props → paint)`,
        value: full,
        unit: 'ms',
        baseline: 'same panel, empty frame',
        baselineValue: empty,
        baselineUnit: 'ms',
        ratio: full / empty,
        ratioIs: 'figure / baseline (smaller is better)',
        goal: '—',
        runs: result.full,
        baselineRuns: result.empty,
        note: `${fmt(points)} points, ${result.cells} cells; of the render, ${fmt(overrides)} ms is Grafana's applyFieldOverrides, ${fmt(fold, 1)} ms the fold; built dist/module.js in /usr/bin/chromium`,
      },
      {
        scenario: '8 panel in Chromium',
        figure: `render, same data`,
        value: full,
        unit: 'ms',
        baseline: 'fold alone, same page',
        baselineValue: fold,
        baselineUnit: 'ms',
        ratio: full / fold,
        ratioIs: 'figure / baseline',
        goal: '—',
        runs: result.full,
        baselineRuns: result.fold,
      },
    ] satisfies Row[];
  } finally {
    await browser.close();
  }
};
