/**
 * 5. Import: lines/s parsing the real corpus repeated to 1,000,000 lines, and peak RSS at 250k,
 * 500k and 1M lines (flat means streaming works: memory does not follow the input), against
 * InfluxDB's ingest rate measured in scenario 1 (points/s posted directly). Parsing runs in a child
 * process (lib/import-child.ts) so the RSS is the importer's alone. The big input is generated in a
 * temp dir at bench time by copying the corpus files into numbered folders; it is deleted after.
 */
import { execFile } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { removeDir, tempDir } from '../lib/cleanup.js';
import { requireCorpus } from '../lib/corpus.js';
import { fmt, type Row, type Scenario } from '../lib/result.js';
import { median } from '../lib/stats.js';

const TARGET_LINES = 1_000_000;
const CHECKPOINTS = [250_000, 500_000, 1_000_000];
const RUNS = 3;
const MB = 1024 * 1024;

/** Copies whole corpus files into dir/rep_NNN/ until the total reaches `target` lines; returns the total. */
function buildInput(dir: string, target: number): number {
  const files: Array<{ path: string; lines: number }> = [];
  for (const part of requireCorpus()) {
    const paths = part.endsWith('.txt')
      ? [part]
      : readdirSync(part)
          .filter((f) => f.endsWith('.txt'))
          .map((f) => join(part, f));
    for (const path of paths)
      files.push({
        path,
        lines: readFileSync(path, 'utf8')
          .split('\n')
          .filter((l, i, a) => i < a.length - 1 || l !== '').length,
      });
  }
  let total = 0;
  for (let rep = 0; total < target; rep++) {
    const out = join(dir, `rep_${String(rep).padStart(3, '0')}`);
    mkdirSync(out);
    for (const f of files) {
      if (total >= target) break;
      copyFileSync(f.path, join(out, basename(f.path)));
      total += f.lines;
    }
  }
  return total;
}

interface ChildResult {
  lines: number;
  events: number;
  skipped: number;
  seconds: number;
  peakAt: Record<string, number>;
  liveHeapAt: Record<string, number>;
  vmHwm: number | null;
}

export const importParse: Scenario = async (ctx) => {
  const dir = tempDir(mkdtempSync(join(tmpdir(), 'bench-import-')));
  try {
    const total = buildInput(dir, TARGET_LINES);
    const child = join(import.meta.dirname, '../lib/import-child.ts');
    const results: ChildResult[] = [];
    for (let run = 1; run <= RUNS; run++) {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        ['--expose-gc', '--conditions=source', '--import', 'tsx', child, dir, CHECKPOINTS.join(',')],
        { maxBuffer: 1 << 20 }
      );
      const r = JSON.parse(stdout.trim().split('\n').at(-1)!) as ChildResult;
      results.push(r);
      ctx.log(
        `run ${run}: ${fmt(r.lines)} lines (${fmt(r.events)} events, ${fmt(r.skipped)} skipped) in ${r.seconds.toFixed(2)} s = ${fmt(r.lines / r.seconds)} lines/s; ` +
          `peak RSS ${CHECKPOINTS.map((c) => `${fmt(c / 1000)}k: ${fmt((r.peakAt[c] ?? NaN) / MB)} MB`).join(', ')}; ` +
          `live heap after GC ${CHECKPOINTS.map((c) => `${fmt(c / 1000)}k: ${fmt((r.liveHeapAt[c] ?? NaN) / MB, 1)} MB`).join(', ')}`
      );
    }
    const rate = median(results.map((r) => r.lines / r.seconds));
    const influx = ctx.shared.influxPointsPerSec ?? NaN;
    const peak = (c: number) => median(results.map((r) => r.peakAt[c] ?? NaN));
    const growth = peak(CHECKPOINTS.at(-1)!) / peak(CHECKPOINTS[0]!);
    const live = (c: number) => median(results.map((r) => r.liveHeapAt[c] ?? NaN));
    return [
      {
        scenario: '5 import',
        figure: 'lines/s parsing the corpus × 1M lines',
        value: rate,
        unit: 'lines/s',
        baseline: "InfluxDB's ingest rate (scenario 1)",
        baselineValue: influx,
        baselineUnit: 'points/s',
        ratio: rate / influx,
        ratioIs: 'figure / baseline',
        goal: '≥ 5×',
        met: rate / influx >= 5,
        runs: results.map((r) => r.lines / r.seconds),
        why:
          rate / influx >= 5
            ? undefined
            : "one core's time per line is spread out (parsing, reading many small files, the merge of each day's copies, GC), " +
              "InfluxDB's rate here varies between runs, and worker threads are slower (bench/README.md, finding 5). " +
              'What would meet it: fewer objects per line (outcome, event, record), or workers that hand back bytes, not objects',
        note:
          `${fmt(total)} lines: the real corpus (12k lines) copied into ${Math.ceil(total / 12_000)} folders, so each day is a time-ordered merge of that many files; ` +
          'readImportBatches + ImportSummary in a child process',
      },
      {
        scenario: '5 import',
        figure: `peak RSS at ${CHECKPOINTS.map((c) => `${c / 1000}k`).join(' / ')} lines`,
        value: peak(CHECKPOINTS.at(-1)!) / MB,
        unit: 'MB',
        baseline: `peak RSS at ${CHECKPOINTS[0]! / 1000}k lines`,
        baselineValue: peak(CHECKPOINTS[0]!) / MB,
        baselineUnit: 'MB',
        ratio: growth,
        ratioIs: 'figure / baseline (1 = flat)',
        goal: 'flat (≤ 1.1)',
        met: growth <= 1.1,
        runs: results.map((r) => (r.peakAt[CHECKPOINTS.at(-1)!] ?? NaN) / MB),
        baselineRuns: results.map((r) => (r.peakAt[CHECKPOINTS[0]!] ?? NaN) / MB),
        why:
          growth <= 1.1
            ? undefined
            : 'the live heap after a full GC stays flat while RSS grows: V8 enlarges its heap before collecting and keeps the pages; no leak. ' +
              "For a flat RSS, cap the import's heap (--max-old-space-size, --max-semi-space-size)",
        note:
          `peak RSS MB at ${CHECKPOINTS.map((c) => `${c / 1000}k: ${fmt(peak(c) / MB)}`).join(', ')}; ` +
          `live heap after a full GC ${CHECKPOINTS.map((c) => `${c / 1000}k: ${fmt(live(c) / MB, 1)}`).join(', ')} MB (flat live heap + growing RSS = V8 not returning memory, not a leak)`,
      },
    ] satisfies Row[];
  } finally {
    removeDir(dir);
  }
};
