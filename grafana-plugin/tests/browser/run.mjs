// Real-browser test: loads the BUILT dist/module.js through an AMD `define`, as Grafana's SystemJS
// does, with the shared modules Grafana provides, renders the exported plugin's panel in Debian's
// Chromium (playwright-core, no browser download) and checks the cells drawn, the tooltip, data links
// and that the page logged no error. Screenshots go to test-artifacts/. Exits non-zero on failure.
/* global axe, grafanaShared, pluginModule -- globals of the test page (grafanaPage.mjs), read in tab.evaluate */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { chromium } from 'playwright-core';
import {
  CHROMIUM_ARGS,
  CHROMIUM_PATH,
  PLUGIN_DIST,
  SHARED_MODULES,
  bundleForPage,
  grafanaPage,
} from './grafanaPage.mjs';

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
const dist = PLUGIN_DIST;
const artifacts = join(pluginDir, 'test-artifacts');

if (!existsSync(join(dist, 'module.js'))) {
  throw new Error('dist/module.js is missing: run `npm run build` first');
}
mkdirSync(artifacts, { recursive: true });

const shared = await bundleForPage(SHARED_MODULES, 'grafanaShared');

const page = grafanaPage({ language: 'es-ES', scripts: ['/axe.js'] });
const axeSource = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'));

const server = createServer((request, response) => {
  const path = new URL(request.url, 'http://localhost').pathname;
  const send = (type, body) => response.writeHead(200, { 'content-type': type }).end(body);
  if (path === '/') {
    return send('text/html', page);
  }
  if (path === '/shared.js') {
    return send('text/javascript', shared);
  }
  if (path === '/axe.js') {
    return send('text/javascript', axeSource);
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
  executablePath: CHROMIUM_PATH,
  headless: true,
  locale: 'es-ES',
  args: CHROMIUM_ARGS,
});

const problems = [];
let axeRenders = 0;
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

  // axe-core (WCAG 2.x A and AA rules) on the panel as drawn; every scenario shown goes through it.

  const checkAccessibility = async (label) => {
    const violations = await tab.evaluate(async () => {
      const result = await axe.run('#panel', {
        runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
      });
      return result.violations.map((v) => `${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes[0]?.html.slice(0, 120)}`);
    });
    axeRenders++;
    assert.deepEqual(violations, [], `axe-core on ${label}`);
  };
  const show = async (scenario, { cells = true } = {}) => {
    await tab.setViewportSize({ width: scenario.width, height: scenario.height });
    await tab.evaluate((s) => grafanaShared.render(pluginModule.plugin, s), scenario);
    await tab.waitForSelector(cells ? '#panel svg rect[data-index]' : '#panel');
    await checkAccessibility(
      `${scenario.theme} ${scenario.width}×${scenario.height} ${JSON.stringify(scenario.options)}`
    );
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
    // Unambiguous when small: the shortest prefixes that tell the days apart, not "L M X J V S D".
    assert.deepEqual(labels.slice(0, 7), ['lu', 'ma', 'mi', 'ju', 'vi', 'sá', 'do']);
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
    const twoWeeks = { from: classroomWeeks.from, to: classroomWeeks.from + 14 * 86_400_000 };
    await show({ ...classroom, ...twoWeeks, theme: 'light', options: { layout: 'dayHour', hourFrom: 7, hourTo: 22 } });
    assert.equal(await tab.locator('#panel rect[data-index]').count(), 14 * 15);
    await tab.screenshot({ path: join(artifacts, 'catalog-day-hour-light.png') });
    await show({
      ...classroom,
      theme: 'dark',
      options: { colorScale: 'sqrt', hourFrom: 7, hourTo: 22, highlightNow: true },
      fieldConfig: { displayName: 'logins' },
    });
    await tab.screenshot({ path: join(artifacts, 'catalog-sqrt-dark.png') });
    await show({
      ...classroom,
      theme: 'light',
      width: 300,
      height: 200,
      options: {},
      fieldConfig: { links: [sessionsLink] },
    });
    await tab.locator('#panel rect[data-row="4"][data-col="13"]').focus();
    await tab.keyboard.press('Enter');
    await tab.screenshot({ path: join(artifacts, 'catalog-keyboard-embed-light.png') });
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
        const { fieldOverridesMs } = grafanaShared.render(
          pluginModule.plugin,
          grafanaShared.timedScenario(frames, from, to)
        );
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

  const inside = (box, panel) =>
    box.left >= panel.left - 0.5 &&
    box.right <= panel.right + 0.5 &&
    box.top >= panel.top - 0.5 &&
    box.bottom <= panel.bottom + 0.5;
  const boxes = (selector) =>
    tab.evaluate((selector) => {
      const rect = (node) => {
        const { left, right, top, bottom, width, height } = node.getBoundingClientRect();
        return { left, right, top, bottom, width, height };
      };
      return {
        panel: rect(document.getElementById('panel')),
        nodes: [...document.querySelectorAll(selector)].map(rect),
      };
    }, selector);
  const fills = (selector) =>
    tab.$$eval(selector, (nodes) => nodes.map((n) => [Number(n.dataset.value), n.getAttribute('fill')]));
  // One busy hour (Tuesday 10:00, 400 a week) among quiet ones (1 to 8), four weeks.
  const outlierFrames = () => {
    const times = [];
    const values = [];
    for (let week = 0; week < 4; week++) {
      const monday = fourWeeks.from + week * 7 * 86_400_000 + (week >= 3 ? 3_600_000 : 0); // CET from the 4th week
      for (let hour = 8; hour < 16; hour++) {
        times.push(monday + 86_400_000 + hour * 3_600_000); // Tuesday, local hour
        values.push(hour === 10 ? 400 : hour - 7);
      }
    }
    return [
      {
        name: 'sessions',
        fields: [
          { name: 'Time', type: 'time', config: {}, values: times },
          { name: 'Value', type: 'number', config: {}, values },
        ],
      },
    ];
  };
  const links2 = [
    {
      title: 'Sessions on ${__cell.day}',
      url: 'https://grafana.example/d/sessions?from=${__cell.from}&to=${__cell.to}',
    },
    {
      title: 'Visitors on ${__cell.day}',
      url: 'https://grafana.example/d/visitors?from=${__cell.from}&to=${__cell.to}',
    },
  ];

  for (const theme of ['light', 'dark']) {
    await test(`${theme}: colour scales resist an outlier (linear pales the quiet hours; sqrt, log, percentile tell them apart)`, async () => {
      const distinctQuiet = async (options) => {
        await show({
          ...base,
          ...fourWeeks,
          frames: outlierFrames(),
          theme,
          width: 900,
          height: 360,
          options: { ...options, hourFrom: 8, hourTo: 16 },
        });
        const quiet = (await fills('#panel rect[data-row="1"]')).filter(([value]) => value > 0 && value < 10);
        return new Set(quiet.map(([, fill]) => fill)).size;
      };
      const linear = await distinctQuiet({ colorScale: 'linear' });
      const log = await distinctQuiet({ colorScale: 'log' });
      const sqrt = await distinctQuiet({ colorScale: 'sqrt' });
      const capped = await distinctQuiet({ colorScale: 'percentile', colorPercentile: 75 });
      assert.ok(
        log > linear && sqrt > linear && capped > linear,
        `distinct quiet colours: linear ${linear}, sqrt ${sqrt}, log ${log}, cap ${capped}`
      );
      assert.match(await tab.getByTestId('activity-legend').innerText(), /≥\s*\d/);
      await tab.screenshot({ path: join(artifacts, `scale-percentile-${theme}.png`) });
      await distinctQuiet({ colorScale: 'log' });
      await tab.screenshot({ path: join(artifacts, `scale-log-${theme}.png`) });
      await distinctQuiet({ colorScale: 'log', reverseColors: true });
      const reversed = await fills('#panel rect[data-row="1"]');
      const busy = reversed.find(([value]) => value === 400)[1];
      const quietest = reversed.find(([value]) => value === 1)[1];
      assert.notEqual(busy, quietest);
    });

    await test(`${theme}: zero cells differ from the faintest, hidden cells are empty, the legend names calculation and unit`, async () => {
      await show({
        ...base,
        ...fourWeeks,
        theme,
        width: 900,
        height: 360,
        options: {},
        fieldConfig: { displayName: 'starts' },
      });
      const drawn = await fills('#panel rect[data-index]');
      const zero = drawn.find(([value]) => value === 0)[1];
      const lowest = drawn.filter(([value]) => value > 0).sort((a, b) => a[0] - b[0])[0][1];
      assert.notEqual(zero, lowest);
      assert.equal(await tab.getByTestId('activity-legend-zero').count(), 1, 'a "0" swatch in the legend');
      assert.equal(await tab.getByTestId('activity-legend-title').innerText(), 'mean per week, starts');
      await show({ ...base, ...fourWeeks, theme, width: 900, height: 360, options: { hideAtOrBelow: 1.6 } });
      const hidden = await tab.$$eval('#panel rect[data-hidden]', (nodes) => nodes.map((n) => Number(n.dataset.value)));
      assert.ok(hidden.length > 0 && hidden.every((value) => value <= 1.6), `hidden: ${hidden.slice(0, 5)}`);
      assert.ok(hidden.includes(1.6));
      const hiddenFills = new Set(
        await tab.$$eval('#panel rect[data-hidden]', (n) => n.map((r) => r.getAttribute('fill')))
      );
      const shownFills = new Set(
        await tab.$$eval('#panel rect:not([data-hidden])[data-index]', (n) => n.map((r) => r.getAttribute('fill')))
      );
      assert.equal(hiddenFills.size, 1, 'hidden cells share the empty colour');
      assert.ok(![...hiddenFills].some((fill) => shownFills.has(fill)), 'no shown cell has the empty colour');
    });

    await test(`${theme}: hour labels centred on their hours; week start from the dashboard; now outlined`, async () => {
      await show({ ...base, ...fourWeeks, theme, width: 900, height: 360, options: { highlightNow: true } });
      const centred = await tab.evaluate(() => {
        const rect = (col) =>
          document.querySelector(`#panel rect[data-row="0"][data-col="${col}"]`).getBoundingClientRect();
        return [...document.querySelectorAll('#panel text[data-column-label]')].map((text) => {
          const col = Number(text.dataset.columnLabel);
          const box = text.getBoundingClientRect();
          const cell = rect(col);
          return [col, box.left + box.width / 2 - (cell.left + cell.width / 2)];
        });
      });
      assert.ok(centred.length >= 12);
      for (const [col, offset] of centred.slice(1, -1)) {
        assert.ok(Math.abs(offset) < 1.5, `label of column ${col} is ${offset.toFixed(1)} px off its centre`);
      }
      const [nowRow, nowCol] = await tab.evaluate(() => {
        const parts = Object.fromEntries(
          new Intl.DateTimeFormat('en-US', {
            timeZone: 'Europe/Madrid',
            weekday: 'short',
            hour: 'numeric',
            hourCycle: 'h23',
          })
            .formatToParts(Date.now())
            .map((p) => [p.type, p.value])
        );
        return [['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'].indexOf(parts.weekday), Number(parts.hour)];
      });
      const outline = await tab.getByTestId('activity-now').boundingBox();
      const target = await tab.locator(`#panel rect[data-row="${nowRow}"][data-col="${nowCol}"]`).boundingBox();
      const centre = (box) => [box.x + box.width / 2, box.y + box.height / 2];
      const [ox, oy] = centre(outline);
      const [tx, ty] = centre(target);
      assert.ok(
        Math.abs(ox - tx) < 1 && Math.abs(oy - ty) < 1,
        `now outline at ${JSON.stringify(outline)}, the cell of weekday row ${nowRow}, hour ${nowCol} at ${JSON.stringify(target)}`
      );
      await tab.screenshot({ path: join(artifacts, `now-${theme}.png`) });
      await show({ ...base, ...fourWeeks, theme, width: 900, height: 360, options: {}, weekStart: 'sunday' });
      const rows = await tab.locator('#panel svg text[text-anchor="end"]').allTextContents();
      assert.equal(rows[0], 'domingo', `dashboard week start Sunday: ${rows}`);
      await show({ ...base, ...fourWeeks, theme, width: 900, height: 360, options: {} });
      assert.equal(
        (await tab.locator('#panel svg text[text-anchor="end"]').allTextContents())[0],
        'lunes',
        'es-ES starts on Monday'
      );
    });

    await test(`${theme}: day × hour unfolds the range, a row per day, the autumn hour counted twice`, async () => {
      await show({ ...base, ...fourWeeks, theme, width: 900, height: 360, options: { layout: 'dayHour' } });
      assert.equal(await tab.locator('#panel rect[data-index]').count(), 28 * 24);
      // Sunday 27 October is the 21st day; its 02:00 happened twice, maze's 1 each quarter.
      assert.equal(await cellValue(20, 2), 8);
      assert.equal(await cellValue(1, 10), 12); // Tuesday 8 October 10:00
      assert.equal(await tab.getByTestId('activity-legend-title').innerText(), 'total');
      await tab.screenshot({ path: join(artifacts, `day-hour-${theme}.png`) });
    });

    await test(`${theme}: min and median of the weeks; in week × weekday the mean is per hour, not the total`, async () => {
      await show({ ...base, ...fourWeeks, theme, width: 900, height: 360, options: { calculation: 'median' } });
      assert.equal(await cellValue(1, 10), 12);
      assert.equal(await cellValue(6, 2), 0); // Sunday 02:00: 0 on three Sundays, 8 on the autumn one
      await show({
        ...base,
        ...fourWeeks,
        theme,
        width: 900,
        height: 360,
        options: { calculation: 'min', hourFrom: 8, hourTo: 16 },
      });
      assert.equal(await cellValue(1, 2), 12); // Tuesday 10:00 every week
      await show({
        ...base,
        ...fromWednesday,
        theme,
        width: 900,
        height: 360,
        options: { layout: 'weekWeekday', calculation: 'mean' },
      });
      assert.equal(await cellValue(1, 1), 0.5); // Tuesday 15 October: 12 over 24 hours
      assert.equal(await tab.getByTestId('activity-legend-title').innerText(), 'mean per hour');
    });
  }

  for (const [width, height] of [
    [300, 200],
    [704, 334],
  ]) {
    for (const theme of ['light', 'dark']) {
      await test(`${theme} ${width} × ${height}: the pinned tooltip stays inside the panel at every edge, its links clickable`, async () => {
        await show({
          ...base,
          ...fourWeeks,
          theme,
          width,
          height,
          options: { layout: 'weekWeekday', calculation: 'total' },
          fieldConfig: { links: links2 },
        });
        const rows = 4;
        for (const [row, col] of [
          [rows - 1, 0],
          [rows - 1, 6],
          [0, 6],
          [0, 0],
          [rows - 1, 3],
        ]) {
          await tab.click(`#panel rect[data-row="${row}"][data-col="${col}"]`);
          const { panel, nodes } = await boxes('[data-testid="activity-tooltip"]');
          assert.equal(nodes.length, 1);
          assert.ok(
            inside(nodes[0], panel),
            `tooltip of cell ${row},${col} at ${JSON.stringify(nodes[0])} outside ${JSON.stringify(panel)}`
          );
          if (row === rows - 1 && col === 3) {
            await tab.screenshot({ path: join(artifacts, `tooltip-edge-${width}x${height}-${theme}.png`) });
          }
          await tab.keyboard.press('Escape');
        }
        await tab.click(`#panel rect[data-row="${rows - 1}"][data-col="2"]`);
        await tab.getByRole('button', { name: 'Zoom to this day' }).click({ timeout: 2000 });
        const changes = await tab.evaluate(() => window.timeRangeChanges);
        assert.equal(changes.length, 1, 'zoom clicked');
      });
    }
  }

  for (const theme of ['light', 'dark']) {
    await test(`${theme} 300 × 200: keyboard: Tab into the grid, arrows move, Enter pins links, accessible names`, async () => {
      await show({
        ...base,
        ...fourWeeks,
        theme,
        width: 300,
        height: 200,
        options: {},
        fieldConfig: { links: [sessionsLink], displayName: 'inicios' },
      });
      await tab.evaluate(() => document.body.focus());
      await tab.keyboard.press('Tab');
      const focused = () =>
        tab.evaluate(() => [
          document.activeElement.dataset.row,
          document.activeElement.dataset.col,
          document.activeElement.getAttribute('aria-label'),
        ]);
      assert.deepEqual((await focused()).slice(0, 2), ['0', '0']);
      await tab.keyboard.press('ArrowDown');
      for (let i = 0; i < 10; i++) {
        await tab.keyboard.press('ArrowRight');
      }
      const [row, col, name] = await focused();
      assert.deepEqual([row, col], ['1', '10']);
      assert.equal(name, 'martes 10:00–11:00: 12 inicios, mean of 4 weeks');
      assert.match(await tab.getByTestId('activity-tooltip').innerText(), /martes 10:00–11:00/);
      await tab.keyboard.press('Enter');
      const link = tab.getByTestId('activity-tooltip').getByRole('link');
      assert.equal(await link.getAttribute('href'), expectations.tuesdayTenLink);
      const { panel, nodes } = await boxes('[data-testid="activity-tooltip"]');
      assert.ok(inside(nodes[0], panel), 'keyboard tooltip inside the panel');
      await tab.screenshot({ path: join(artifacts, `keyboard-300x200-${theme}.png`) });
      await tab.keyboard.press('Escape');
      assert.equal(await tab.locator('[data-testid="activity-tooltip"] a').count(), 0);
    });

    await test(`${theme}: Grafana's no-data view, for no frames and for frames outside the range`, async () => {
      await show({ ...base, ...fourWeeks, frames: [], theme, width: 300, height: 200, options: {} }, { cells: false });
      assert.equal(await tab.getByTestId('data-testid Panel data error message').innerText(), 'No data');
      await show(
        {
          ...base,
          from: fourWeeks.to + 86_400_000 * 30,
          to: fourWeeks.to + 86_400_000 * 60,
          theme,
          width: 300,
          height: 200,
          options: {},
        },
        { cells: false }
      );
      assert.equal(
        await tab.getByTestId('data-testid Panel data error message').innerText(),
        'No data in the time range'
      );
    });
  }

  await test('offered in the visualization suggestions for a long time series, by the shared @grafana/data', async () => {
    const names = await tab.evaluate(() => {
      const frame = (hours) =>
        grafanaShared.modules['@grafana/data'].createDataFrame({
          fields: [
            { name: 'Time', type: 'time', values: Array.from({ length: hours }, (_, i) => i * 3_600_000) },
            { name: 'Value', type: 'number', values: Array.from({ length: hours }, () => 1) },
          ],
        });
      const summary = (hours) => grafanaShared.modules['@grafana/data'].getPanelDataSummary([frame(hours)]);
      return [24 * 30, 24].map((hours) =>
        (pluginModule.plugin.getSuggestions(summary(hours)) ?? []).map((s) => s.name)
      );
    });
    assert.deepEqual(names, [['Activity by weekday × hour'], []]);
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
console.log(`axe-core: no violations in ${axeRenders} renders`);
console.log(
  `${results.filter((r) => r.startsWith('ok')).length}/${results.length} browser checks passed; screenshots in ${artifacts}`
);
