/**
 * Scenario 5's child process (its RSS is its own): reads every file under argv[2] with the
 * importers (readImportBatches → ImportSummary, as the `import` command does before posting), and
 * prints one JSON line: lines, events, seconds, the peak RSS seen up to each checkpoint and the live
 * heap there. Checkpoints are checked per batch (≤ 256 records), so a figure may be a batch late.
 */
import { readFileSync } from 'node:fs';
import { ImportSummary, readImportBatches } from 'kibotics-analytics/importers';

const dir = process.argv[2]!;
const checkpoints = (process.argv[3] ?? '250000,500000,1000000').split(',').map(Number);
const summary = new ImportSummary();
const peakAt: Record<string, number> = {};
/** Live heap after a full GC at each checkpoint (run with --expose-gc): tells a leak from a heap V8 has not shrunk. */
const liveHeapAt: Record<string, number> = {};
const gc = (globalThis as { gc?: () => void }).gc;
let peak = 0;
let next = 0;
const started = performance.now();
let sampledAt = 0;
for await (const records of readImportBatches([dir])) {
  for (const record of records) summary.add(record);
  // Sampling RSS costs a syscall: every 2,000 lines is enough to see growth.
  if (summary.lines - sampledAt >= 2000) {
    peak = Math.max(peak, process.memoryUsage.rss());
    sampledAt = summary.lines;
  }
  while (next < checkpoints.length && summary.lines >= checkpoints[next]!) {
    peak = Math.max(peak, process.memoryUsage.rss());
    peakAt[checkpoints[next]!] = peak;
    if (gc) {
      gc();
      liveHeapAt[checkpoints[next]!] = process.memoryUsage().heapUsed;
    }
    next++;
  }
}
const seconds = (performance.now() - started) / 1000;
const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
console.log(
  JSON.stringify({
    lines: summary.lines,
    events: summary.events,
    skipped: summary.skipped,
    seconds,
    peakAt,
    liveHeapAt,
    vmHwm: hwm ? Number(hwm[1]) * 1024 : null,
  })
);
