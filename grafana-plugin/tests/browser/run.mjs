// Real-browser test: loads the BUILT dist/module.js through an AMD `define`, as Grafana's SystemJS
// does, with the shared modules Grafana provides, renders the exported plugin's panel in Debian's
// Chromium (playwright-core, no browser download) and checks the cells drawn, the tooltip, data links
// and that the page logged no error. Screenshots go to test-artifacts/. Exits non-zero on failure.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium } from 'playwright-core';
import { grafanaPage } from './grafanaPage.mjs';

import {
  classroomFrames,
  classroomWeeks,
  expectations,
  fourWeeks,
  frames,
  fromWednesday,
  sessionsLink,
} from './influxFrames.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const pluginDir = resolve(here, '../..');
const dist = join(pluginDir, 'dist');
const artifacts = join(pluginDir, 'test-artifacts');
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

if (!existsSync(join(dist, 'module.js'))) {
  throw new Error('dist/module.js is missing: run `npm run build` first');
}
mkdirSync(artifacts, { recursive: true });

const shared = await build({
  entryPoints: [join(here, 'sharedModules.ts')],
  bundle: true,
  write: false,
  format: 'iife',
  globalName: 'grafanaShared',
  platform: 'browser',
  minify: true,
  define: { 'process.env.NODE_ENV': '"production"', global: 'globalThis' },
  loader: {
    '.css': 'empty',
    '.svg': 'text',
    '.woff': 'empty',
    '.woff2': 'empty',
    '.ttf': 'empty',
    '.png': 'dataurl',
    '.gif': 'dataurl',
  },
  logLevel: 'error',
});

const page = grafanaPage({ language: 'es-ES' });

const server = createServer((request, response) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  const send = (type, body) => response.writeHead(200, { 'content-type': type }).end(body);
  if (path === '/') {
    return send('text/html', page);
  }
  if (path === '/shared.js') {
    return send('text/javascript', shared.outputFiles[0].contents);
  }
  const file = join(dist, path.replace('/public/plugins/kibotics-activity-panel/', ''));
  if (path.startsWith('/public/plugins/kibotics-activity-panel/') && file.startsWith(dist) && existsSync(file)) {
    return send(file.endsWith('.js') ? 'text/javascript' : 'application/octet-stream', readFileSync(file));
  }
  response.writeHead(404).end();
});
await new Promise((done) => server.listen(0, '127.0.0.1', done));
const origin = `http://127.0.0.1:${server.address().port}`;

const userDataDir = mkdtempSync(join(tmpdir(), 'activity-chromium-'));
const context = await chromium.launchPersistentContext(userDataDir, {
  executablePath: chromiumPath,
  headless: true,
  locale: 'es-ES',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
});

const problems = [];
const results = [];
const notes = [];
const test = async (name, body) => {
  try {
    await body();
    results.push(`ok   ${name}`);
  } catch (error) {
    results.push(`FAIL ${name}\n     ${String(error.message).split('\n').join('\n     ')}`);
    process.exitCode = 1;
  }
};

try {
  const tab = context.pages()[0] ?? (await context.newPage());
  tab.on('console', (message) => message.type() === 'error' && problems.push(`console: ${message.text()}`));
  tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  tab.on('requestfailed', (request) => problems.push(`request failed: ${request.url()}`));
  await tab.goto(origin);

  const show = async (scenario) => {
    await tab.setViewportSize({ width: scenario.width, height: scenario.height });
    await tab.evaluate((s) => grafanaShared.render(pluginModule.plugin, s), scenario);
    await tab.waitForSelector('#panel svg rect[data-index]');
  };
  const cellValue = (row, col) =>
    tab
      .getAttribute(`#panel rect[data-row="${row}"][data-col="${col}"]`, 'data-value')
      .then((v) => (v === '' ? null : Number(v)));
  const expectCells = async (cells) => {
    for (const { row, col, value } of cells) {
      const drawn = await cellValue(row, col);
      assert.ok(
        value === null ? drawn === null : Math.abs(drawn - value) < 1e-9,
        `cell ${row},${col}: drew ${drawn}, expected ${value}`
      );
    }
  };
  const base = { timeZone: 'Europe/Madrid', frames, fieldConfig: {} };

  await test('the built module registers a panel plugin through AMD define', async () => {
    const id = await tab.evaluate(() => typeof pluginModule.plugin?.panel);
    assert.equal(id, 'function');
  });

  await test('light, weekday × hour, Europe/Madrid: cells, Spanish weekdays, tooltip and data link', async () => {
    await show({
      ...base,
      ...fourWeeks,
      theme: 'light',
      width: 900,
      height: 360,
      options: {},
      fieldConfig: { links: [sessionsLink] },
    });
    assert.equal(await tab.locator('#panel rect[data-index]').count(), 7 * 24);
    await expectCells(expectations.weekdayHourMean);
    const labels = await tab.locator('#panel svg text').allTextContents();
    assert.ok(labels.includes('lunes') && labels.includes('domingo'), `weekday labels: ${labels.slice(0, 7)}`);
    await tab.screenshot({ path: join(artifacts, 'light.png') });

    await tab.hover('#panel rect[data-row="1"][data-col="10"]');
    const tooltip = tab.getByTestId('activity-tooltip');
    assert.match(await tooltip.innerText(), /martes 10:00–11:00[\s\S]*12[\s\S]*4 weeks/);
    await tab.hover('#panel rect[data-row="6"][data-col="2"]');
    assert.match(await tooltip.innerText(), /4 weeks \(5 occurrences\)/);
    await tab.click('#panel rect[data-row="1"][data-col="10"]');
    const link = tooltip.getByRole('link');
    assert.equal(await link.getAttribute('href'), expectations.tuesdayTenLink);
    assert.equal(await link.innerText(), 'Sessions at 10:00');
    await tab.screenshot({ path: join(artifacts, 'light-tooltip.png') });
  });

  await test('dark, week × weekday from a Wednesday: values in cells, empty days, zoom to a day', async () => {
    await show({
      ...base,
      ...fromWednesday,
      theme: 'dark',
      width: 900,
      height: 360,
      options: { layout: 'weekWeekday', calculation: 'total', showValues: true },
    });
    assert.equal(await tab.locator('#panel rect[data-index]').count(), 4 * 7);
    await expectCells(expectations.weekWeekdayTotal);
    const texts = await tab.locator('#panel svg text').allTextContents();
    assert.ok(texts.filter((t) => t === '12').length >= 7, `values written in cells: ${texts.join(' ')}`);
    assert.ok(texts.includes('mar.') || texts.includes('mar'), `short Spanish weekday on top: ${texts.slice(0, 12)}`);
    await tab.screenshot({ path: join(artifacts, 'dark.png') });
    await tab.click('#panel rect[data-row="1"][data-col="1"]');
    await tab.getByRole('button', { name: 'Zoom to this day' }).click();
    assert.deepEqual(await tab.evaluate(() => window.timeRangeChanges), [expectations.tuesdayFifteenth]);
  });

  await test('300 × 200 embed, one series picked by label: everything inside, narrow labels', async () => {
    await show({
      ...base,
      ...fourWeeks,
      theme: 'light',
      width: 300,
      height: 200,
      options: { seriesLabel: 'exercise', seriesLabelValue: 'drone' },
    });
    await expectCells(expectations.droneMean);
    const overflow = await tab.evaluate(() => {
      const panel = document.getElementById('panel').getBoundingClientRect();
      return [...document.querySelectorAll('#panel svg text, #panel rect, [data-testid="activity-legend"] *')]
        .map((node) => node.getBoundingClientRect())
        .filter(
          (box) =>
            box.width > 0 &&
            (box.left < panel.left - 0.5 ||
              box.right > panel.right + 0.5 ||
              box.top < panel.top - 0.5 ||
              box.bottom > panel.bottom + 0.5)
        ).length;
    });
    assert.equal(overflow, 0, 'nodes drawn outside the 300 × 200 panel');
    const labels = await tab.locator('#panel svg text').allTextContents();
    assert.ok(labels.includes('L') && !labels.includes('lunes'), `narrow weekday labels: ${labels.slice(0, 7)}`);
    assert.ok(await tab.getByTestId('activity-legend').isVisible());
    await tab.screenshot({ path: join(artifacts, 'embed-300x200.png') });
  });

  await test('catalog screenshots: eight classroom weeks, busiest slot Tuesday 10:00', async () => {
    const classroom = { ...base, ...classroomWeeks, frames: classroomFrames(), width: 1000, height: 380 };
    const busiest = async () =>
      tab.evaluate(() => {
        const cells = [...document.querySelectorAll('#panel rect[data-index]')].filter((r) => r.dataset.value !== '');
        const top = cells.reduce((a, b) => (Number(b.dataset.value) > Number(a.dataset.value) ? b : a));
        return [Number(top.dataset.row), Number(top.dataset.col)];
      });
    await show({ ...classroom, theme: 'light', options: { showValues: true, hourFrom: 7, hourTo: 22 } });
    assert.deepEqual(await busiest(), [1, 3]); // Tuesday, 10:00 is the fourth column from 07:00
    await tab.screenshot({ path: join(artifacts, 'catalog-weekday-hour-light.png') });
    await show({
      ...classroom,
      theme: 'dark',
      options: { layout: 'weekWeekday', calculation: 'total', showValues: true },
    });
    assert.equal(await tab.locator('#panel rect[data-index]').count(), 8 * 7);
    await tab.screenshot({ path: join(artifacts, 'catalog-week-weekday-dark.png') });
    await show({ ...classroom, theme: 'dark', width: 300, height: 200, options: {} });
    assert.deepEqual(await busiest(), [1, 10]);
    await tab.screenshot({ path: join(artifacts, 'catalog-embed-dark.png') });
  });

  await test('a year of 1-minute points from three series: folded and drawn (time printed, not asserted)', async () => {
    const from = Date.parse('2023-01-01T23:00:00Z');
    const to = Date.parse('2023-12-31T23:00:00Z');
    await tab.setViewportSize({ width: 900, height: 360 });
    const [ms, fieldOverridesMs] = await tab.evaluate(
      ({ from, to }) => {
        const times = [];
        for (let t = from; t < to; t += 60_000) {
          times.push(t);
        }
        const frames = ['maze', 'drone', 'tello'].map((exercise, k) => ({
          name: 'simulations',
          fields: [
            { name: 'Time', type: 'time', config: {}, values: times },
            {
              name: 'Value',
              type: 'number',
              config: {},
              labels: { exercise },
              values: times.map((_, i) => (i * (k + 1)) % 7),
            },
          ],
        }));
        const start = performance.now();
        const { fieldOverridesMs } = grafanaShared.render(pluginModule.plugin, {
          theme: 'light',
          width: 900,
          height: 360,
          timeZone: 'Europe/Madrid',
          from,
          to,
          options: {},
          fieldConfig: {},
          frames,
        });
        // Two animation frames: React has committed and the browser has painted.
        return new Promise((done) =>
          requestAnimationFrame(() => requestAnimationFrame(() => done([performance.now() - start, fieldOverridesMs])))
        );
      },
      { from, to }
    );
    assert.equal(await tab.locator('#panel rect[data-index]').count(), 7 * 24);
    notes.push(
      `${((3 * (to - from)) / 60_000).toLocaleString('en')} points: ${ms.toFixed(0)} ms from props to paint, of which ` +
        `${fieldOverridesMs.toFixed(0)} ms Grafana's applyFieldOverrides and ${(ms - fieldOverridesMs).toFixed(0)} ms the panel (fold, draw, paint)`
    );
  });

  await test('the page logged no error', async () => {
    assert.deepEqual(problems, []);
  });
} finally {
  await context.close();
  server.close();
  rmSync(userDataDir, { recursive: true, force: true });
}

console.log(results.join('\n'));
console.log(notes.join('\n'));
console.log(
  `${results.filter((r) => r.startsWith('ok')).length}/${results.length} browser checks passed; screenshots in ${artifacts}`
);
