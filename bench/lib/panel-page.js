// Runs in the page (served as-is, not through tsx, whose helpers the page lacks): see scenarios/s8-panel.ts.
/* global window, document, requestAnimationFrame -- the page's globals (performance is known: Node has it too) */
window.benchPanel = async function benchPanel(series, runs) {
  const w = window;
  const from = Date.parse('2025-01-01T00:00:00Z');
  const to = Date.parse('2026-01-01T00:00:00Z');
  const times = [];
  for (let t = from; t < to; t += 3_600_000) times.push(t);
  const frame = (k, n) => ({
    name: 'simulations',
    fields: [
      { name: 'Time', type: 'time', config: {}, values: times.slice(0, n) },
      {
        name: 'Value',
        type: 'number',
        config: {},
        labels: { exercise: `exercise_${k}` },
        values: times.slice(0, n).map((_, i) => ((i * (k + 1)) % 13) + (i % 24 > 8 ? 5 : 0)),
      },
    ],
  });
  const full = Array.from({ length: series }, (_, k) => frame(k, times.length));
  const empty = [frame(0, 0)];
  const scenario = (frames) => w.grafanaShared.timedScenario(frames, from, to);
  // After the frame that shows the commit: its rAF runs before paint, a message right after it. Chromium runs with
  // --disable-frame-rate-limit so frames are not held to 60 Hz (which would round every figure to 16.7 ms).
  const paint = () =>
    new Promise((done) =>
      requestAnimationFrame(() => {
        const c = new MessageChannel();
        c.port1.onmessage = done;
        c.port2.postMessage(0);
      })
    );
  const render = async (frames) => {
    const start = performance.now();
    const { fieldOverridesMs } = w.grafanaShared.render(w.pluginModule.plugin, scenario(frames));
    await paint();
    return { ms: performance.now() - start, fieldOverridesMs };
  };
  const foldSeries = w.activityFold.foldSeries;
  const asSeries = full.map((f) => ({
    name: 'simulations',
    labels: f.fields[1].labels,
    times: Float64Array.from(f.fields[0].values),
    values: Float64Array.from(f.fields[1].values),
  }));
  const fold = () => {
    const start = performance.now();
    foldSeries(
      asSeries,
      // The panel's default options, the week starting on Monday (the panel's 'auto' reads the browser's).
      { ...w.pluginModule.plugin.defaults, firstDay: 1 },
      { from, to },
      'Europe/Madrid'
    );
    return performance.now() - start;
  };
  // Warm-up: JIT, fonts, first layout.
  await render(full);
  await render(empty);
  fold();
  const out = { full: [], overrides: [], empty: [], fold: [], cells: 0 };
  for (let i = 0; i < runs; i++) {
    const f = await render(full);
    out.full.push(f.ms);
    out.overrides.push(f.fieldOverridesMs);
    out.cells = document.querySelectorAll('#panel rect[data-index]').length;
    out.empty.push((await render(empty)).ms);
    out.fold.push(fold());
  }
  return out;
};
