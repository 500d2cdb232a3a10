// Folds a year of 1-minute points of 3 series and prints ms per fold against a baseline measured
// in the same run: a plain loop summing the same points, without any zone or slot math.
// Figures only, no assertions: `npm run bench -w grafana-plugin`.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const dir = mkdtempSync(join(tmpdir(), 'activity-bench-'));
const outfile = join(dir, 'fold.mjs');
await build({
  entryPoints: [new URL('../src/fold/fold.ts', import.meta.url).pathname],
  bundle: true,
  format: 'esm',
  platform: 'node',
  outfile,
  logLevel: 'error',
});
const { foldSeries } = await import(pathToFileURL(outfile).href);
rmSync(dir, { recursive: true });

const MINUTE = 60_000;
const from = Date.parse('2023-01-02T00:00:00Z');
const to = Date.parse('2024-01-01T00:00:00Z');
const times = Float64Array.from({ length: (to - from) / MINUTE }, (_, i) => from + i * MINUTE);
const series = [1, 2, 3].map((k) => ({
  name: `s${k}`,
  labels: {},
  times,
  values: Float64Array.from(times, (_, i) => (i * k) % 7),
}));
const points = series.length * times.length;

function timeIt(run, rounds) {
  run(); // warm up the JIT
  const start = performance.now();
  for (let i = 0; i < rounds; i++) {
    run();
  }
  return (performance.now() - start) / rounds;
}

let sink = 0;
const baseline = timeIt(() => {
  for (const { values } of series) {
    for (let i = 0; i < values.length; i++) {
      sink += values[i];
    }
  }
}, 20);

const options = { calculation: 'mean', percentOfTotal: false, slotMinutes: 60, hourFrom: 0, hourTo: 24, firstDay: 1 };
const scenarios = [
  ['weekday × hour, Europe/Madrid, 60 min', { ...options, layout: 'weekdayHour' }, 'Europe/Madrid'],
  ['weekday × hour, Asia/Kolkata, 15 min', { ...options, layout: 'weekdayHour', slotMinutes: 15 }, 'Asia/Kolkata'],
  ['weekday × hour, UTC, max', { ...options, layout: 'weekdayHour', calculation: 'max' }, 'UTC'],
  ['week × weekday, America/New_York', { ...options, layout: 'weekWeekday' }, 'America/New_York'],
];

console.log(`${points.toLocaleString('en')} points (3 series × 1 year of minutes), node ${process.version}`);
console.log(`baseline (plain sum loop): ${baseline.toFixed(2)} ms`);
for (const [name, fold, zone] of scenarios) {
  const ms = timeIt(() => foldSeries(series, fold, { from, to }, zone), 10);
  console.log(`${name}: ${ms.toFixed(2)} ms per fold, ${(ms / baseline).toFixed(1)}× baseline`);
}
if (sink === -1) {
  console.log(sink); // keeps the baseline loop from being optimised away
}
