/**
 * 8. The activity panel in Chromium: a year of hourly points in 20 series (175,200 points) folded
 * into weekday × hour and drawn, ms from props to paint (two animation frames), against two
 * baselines measured in the same page: the same panel rendering an empty frame (what React, the
 * theme and Grafana's field config cost with no data), and the fold alone on the same points.
 * A third row draws the same year unfolded (day × hour: 365 × 24 = 8,760 cells, each a focusable
 * ARIA grid cell with its accessible name) against the folded render.
 */
import { openPanelPage } from '../lib/browser.js';
import { fmt, type Row, type Scenario } from '../lib/result.js';
import { median } from '../lib/stats.js';

const SERIES = 20;
const RUNS = 15;

export const panel: Scenario = async (ctx) => {
  const browser = await openPanelPage();
  try {
    const result = (await browser.page.evaluate(`benchPanel(${SERIES}, ${RUNS})`)) as {
      full: number[];
      overrides: number[];
      empty: number[];
      fold: number[];
      cells: number;
    };
    const full = median(result.full);
    const empty = median(result.empty);
    const fold = median(result.fold);
    const overrides = median(result.overrides);
    ctx.log(
      `render ${result.full.map((n) => n.toFixed(0)).join(', ')} ms; empty ${result.empty.map((n) => n.toFixed(0)).join(', ')}; fold ${result.fold.map((n) => n.toFixed(1)).join(', ')}; ${result.cells} cells drawn`
    );
    const unfolded = (await browser.page.evaluate(`(${UNFOLDED_RUNS})(${SERIES}, ${RUNS})`)) as {
      runs: number[];
      cells: number;
    };
    const dayHour = median(unfolded.runs);
    ctx.log(`day × hour render ${unfolded.runs.map((n) => n.toFixed(0)).join(', ')} ms; ${unfolded.cells} cells drawn`);
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
      {
        scenario: '8 panel in Chromium',
        figure: `render unfolded, day × hour, same data`,
        value: dayHour,
        unit: 'ms',
        baseline: 'folded render (weekday × hour)',
        baselineValue: full,
        baselineUnit: 'ms',
        ratio: dayHour / full,
        ratioIs: 'figure / baseline (smaller is better)',
        goal: '—',
        runs: unfolded.runs,
        baselineRuns: result.full,
        note: `${unfolded.cells} cells`,
      },
    ] satisfies Row[];
  } finally {
    await browser.close();
  }
};

/**
 * Runs in the page, as a string (tsx's helpers are not there): the year of hourly points in `series`
 * series drawn with layout day × hour, ms from props to paint (the same wait as benchPanel).
 */
const UNFOLDED_RUNS = `async (series, runs) => {
  const from = Date.parse('2025-01-01T00:00:00Z');
  const to = Date.parse('2026-01-01T00:00:00Z');
  const times = [];
  for (let t = from; t < to; t += 3600000) times.push(t);
  const frames = Array.from({ length: series }, (_, k) => ({
    name: 'simulations',
    fields: [
      { name: 'Time', type: 'time', config: {}, values: times },
      { name: 'Value', type: 'number', config: {}, labels: { exercise: 'exercise_' + k }, values: times.map((_, i) => ((i * (k + 1)) % 13) + (i % 24 > 8 ? 5 : 0)) },
    ],
  }));
  const paint = () => new Promise((done) => requestAnimationFrame(() => { const c = new MessageChannel(); c.port1.onmessage = done; c.port2.postMessage(0); }));
  const scenario = { theme: 'light', width: 900, height: 360, timeZone: 'Europe/Madrid', from, to, options: { layout: 'dayHour' }, fieldConfig: {}, frames };
  const out = [];
  for (let i = 0; i <= runs; i++) {
    const start = performance.now();
    window.grafanaShared.render(window.pluginModule.plugin, scenario);
    await paint();
    if (i > 0) out.push(performance.now() - start); // the first run warms up
  }
  return { runs: out, cells: document.querySelectorAll('#panel rect[data-index]').length };
}`;
