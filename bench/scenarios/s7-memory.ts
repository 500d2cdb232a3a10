/**
 * 7. Gateway memory under sustained load: VmRSS from /proc/<pid>/status every second while the
 * bench posts batches of 100 demo events at a steady 2,000 events/s (well below scenario 1's saturation,
 * so the spool drains as it fills, as in production). 60 s by default; `--long`: the issue's 10
 * minutes. Reports start (listening, before load), peak and end (after the last answer), and the
 * growth over the second half of the load (a leak keeps growing; a warm-up plateaus).
 */
import { generateDemo } from 'kibotics-analytics/demo';
import { rss, startGateway } from '../lib/gateway.js';
import { openLoop, target } from '../lib/http-load.js';
import { fmt, type Row, type Scenario } from '../lib/result.js';

const EVENTS_PER_S = Number(process.env.BENCH_S7_RATE ?? 2000);
const PER_REQUEST = 100;
const MB = 1024 * 1024;

export const memory: Scenario = async (ctx) => {
  const seconds = ctx.long ? 600 : 60;
  // A lazy stream of distinct events (10 min at 2,000/s is 1.2M): 20,000 users' history, oldest first.
  const stream = generateDemo({ days: 400, users: 20_000, seed: 11, end: Date.now() - 60_000 });
  const nextBody = () => {
    const batch = [];
    for (let i = 0; i < PER_REQUEST; i++) {
      const e = stream.next();
      if (e.done) throw new Error('the demo stream ran out');
      batch.push(e.value);
    }
    return JSON.stringify(batch);
  };
  const gw = await startGateway(ctx.influxd.url, { INFLUX_DB: 'memory' });
  const samples: Array<{ t: number; rss: number }> = [];
  const t0 = performance.now();
  const sample = () => samples.push({ t: (performance.now() - t0) / 1000, rss: rss(gw.pid) });
  try {
    sample();
    const start = samples[0]!.rss;
    const timer = setInterval(sample, 1000);
    let open;
    try {
      open = await openLoop(target(gw.url, '/v1/events'), nextBody, EVENTS_PER_S / PER_REQUEST, seconds, 64);
    } finally {
      clearInterval(timer);
    }
    sample();
    const end = samples.at(-1)!.rss;
    const peak = Math.max(...samples.map((s) => s.rss));
    const during = samples.filter((s) => s.t > 0);
    const half = during.filter((s) => s.t >= seconds / 2);
    const secondHalfGrowth = half.length > 1 ? half.at(-1)!.rss - half[0]!.rss : NaN;
    const health = await gw.health();
    ctx.log(
      `${samples.length} samples over ${seconds} s: start ${fmt(start / MB)} MB, peak ${fmt(peak / MB)} MB, end ${fmt(end / MB)} MB; ` +
        `second half ${secondHalfGrowth >= 0 ? '+' : ''}${fmt(secondHalfGrowth / MB, 1)} MB; ${open.errors} failed requests ${JSON.stringify(open.failures)}; spool ${health.spool.lines} lines at the end`
    );
    ctx.shared.memorySamples = samples.length;
    const row: Row & { samples?: unknown } = {
      scenario: '7 gateway memory',
      figure: `peak RSS, ${seconds} s at ${fmt(EVENTS_PER_S)} events/s`,
      value: peak / MB,
      unit: 'MB',
      baseline: 'RSS at start (listening, idle)',
      baselineValue: start / MB,
      baselineUnit: 'MB',
      ratio: peak / start,
      ratioIs: 'figure / baseline',
      goal: 'bounded (flat 2nd half)',
      met: Math.abs(secondHalfGrowth) <= 0.05 * peak,
      why:
        Math.abs(secondHalfGrowth) <= 0.05 * peak
          ? undefined
          : 'RSS still moved by more than 5 % of its peak in the second half: a warm-up (SQLite page cache, V8 heap sizing) or a leak; ' +
            '`--long` (10 minutes) shows whether it levels off',
      note:
        `start ${fmt(start / MB)} / peak ${fmt(peak / MB)} / end ${fmt(end / MB)} MB; 2nd half ${secondHalfGrowth >= 0 ? '+' : ''}${fmt(secondHalfGrowth / MB, 1)} MB; ` +
        `p99 ack ${fmt(pct(open.latencies, 99), 1)} ms; ${open.errors} failed${open.errors ? ` (${JSON.stringify(open.failures)})` : ''}` +
        (ctx.long ? '' : "; `--long` runs the issue's 10 minutes"),
      samples: samples.map((s) => [Math.round(s.t), Math.round(s.rss / MB)]),
    };
    return [row];
  } finally {
    await gw.stop();
  }
};

function pct(values: number[], p: number): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)] ?? NaN;
}
