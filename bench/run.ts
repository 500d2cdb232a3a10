/**
 * `npm run bench`: starts its own InfluxDB, runs each scenario, prints a table, writes
 * bench/results.json. Every figure is a ratio against a baseline measured in the same run (the
 * machine is shared and noisy); each is the median of 3+ runs. Figures only: nothing is asserted,
 * the exit code is 0 even when a goal is not met (a scenario that crashes is reported as an error).
 *
 *   npm run bench                      # all scenarios (~8–10 min on 2 cores)
 *   npm run bench -- --only 1,4        # some of them
 *   npm run bench -- --long            # scenario 7 for the issue's 10 minutes
 *   npm run bench -- --full            # scenario 6 over 90 days (9M events: ~15–30 min of loading)
 */
import { execFileSync } from 'node:child_process';
import { cpus, totalmem } from 'node:os';
import { renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cleanupAll } from './lib/cleanup.js';
import { killAllGateways } from './lib/gateway.js';
import { influxdVersion, startInfluxd } from './lib/influx.js';
import type { Row, Scenario, ScenarioContext } from './lib/result.js';
import { markdownTable, textTable } from './lib/table.js';
import { ingestBatched } from './scenarios/s1-ingest-batched.js';
import { ingestSingle } from './scenarios/s2-ingest-single.js';
import { durability } from './scenarios/s3-durability.js';
import { enrichment } from './scenarios/s4-enrichment.js';
import { importParse } from './scenarios/s5-import.js';
import { dashboards } from './scenarios/s6-dashboards.js';
import { memory } from './scenarios/s7-memory.js';
import { panel } from './scenarios/s8-panel.js';

const SCENARIOS: Array<[string, string, Scenario]> = [
  ['1', 'ingest, 100 events/request, end to end', ingestBatched],
  ['2', 'ingest, 1 event/request', ingestSingle],
  ['3', 'cost of durability', durability],
  ['4', 'enrichment, cached vs uncached', enrichment],
  ['5', 'import parsing and memory', importParse],
  ['6', 'dashboards at 50× scale', dashboards],
  ['7', 'gateway memory under load', memory],
  ['8', 'activity panel in Chromium', panel],
];

const { values } = parseArgs({
  options: { only: { type: 'string' }, long: { type: 'boolean' }, full: { type: 'boolean' }, out: { type: 'string' } },
});
const only = values.only ? new Set(values.only.split(',').map((s) => s.trim())) : undefined;
const outFile = values.out ?? join(import.meta.dirname, 'results.json');

const started = Date.now();
const log = (msg: string) => console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)} s] ${msg}`);

// Ctrl-C: kill what the suite started (gateways, bare servers), stop influxd, remove every temp
// dir, then exit: an in-process scenario (a load, a query) would otherwise run on to its end.
let influxdToStop: { stop(): Promise<void> } | undefined;
process.once('SIGINT', () => {
  log('interrupted: cleaning up');
  killAllGateways();
  cleanupAll();
  void (influxdToStop?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
});

const rows: Row[] = [];
const errors: Array<{ scenario: string; error: string }> = [];
const durations: Record<string, number> = {};
const influxd = await startInfluxd({ unlimitedSeries: true });
influxdToStop = influxd;
try {
  const ctx: ScenarioContext = {
    influxd,
    long: !!values.long,
    full: !!values.full,
    shared: {},
    log: (m) => log(`  ${m}`),
  };
  for (const [id, name, scenario] of SCENARIOS) {
    if (only && !only.has(id)) continue;
    log(`scenario ${id}: ${name}`);
    const t = Date.now();
    try {
      const out = await scenario(ctx);
      rows.push(...out);
    } catch (err) {
      const message = (err as Error).stack ?? String(err);
      errors.push({ scenario: id, error: message });
      log(`  scenario ${id} failed: ${message}`);
      killAllGateways();
    }
    durations[id] = (Date.now() - t) / 1000;
    log(`  scenario ${id} took ${durations[id].toFixed(0)} s`);
  }
} finally {
  killAllGateways();
  cleanupAll();
  await influxd.stop();
}

const totalS = (Date.now() - started) / 1000;
const command = `npm run bench${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`;
const machine = {
  cpus: cpus().length,
  cpuModel: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  node: process.version,
  influxd: influxdVersion(),
  chromium: version(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version']),
  loadAverageAtEnd: (await import('node:os')).loadavg().map((n) => Math.round(n * 100) / 100),
};
console.log(`\n${textTable(rows)}\n`);
for (const r of rows.filter((r) => r.met === false))
  console.log(`not met — ${r.scenario} / ${r.figure}: ${r.why ?? r.note ?? ''}`);
for (const e of errors) console.log(`ERROR in scenario ${e.scenario}: ${e.error.split('\n')[0]}`);
console.log(
  `\n${rows.filter((r) => r.met === true).length} goals met, ${rows.filter((r) => r.met === false).length} not met; ${totalS.toFixed(0)} s in all; ${machine.cpus} CPUs, node ${machine.node}, ${machine.influxd}`
);

const results = {
  date: new Date().toISOString(),
  command,
  machine,
  durationS: Math.round(totalS),
  scenarioDurationsS: Object.fromEntries(Object.entries(durations).map(([k, v]) => [k, Math.round(v)])),
  rows,
  errors,
  markdown: markdownTable(rows),
};
// Written whole or not at all: a crash mid-write must not leave a half file to commit.
writeFileSync(`${outFile}.tmp`, `${JSON.stringify(results, null, 1)}\n`);
renameSync(`${outFile}.tmp`, outFile);
log(`wrote ${outFile}`);

function version(bin: string, args: string[]): string {
  try {
    return execFileSync(bin, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}
