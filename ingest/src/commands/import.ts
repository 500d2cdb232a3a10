import { stat } from 'node:fs/promises';
import { ConfigError } from '../config.js';
import { dryRunAccept, openCore } from '../gateway.js';
import type { Candidate } from '../pipeline/accept.js';
import {
  DEFAULT_TIMEZONE,
  candidatesOf,
  type LineRef,
  ImportSummary,
  isImportFormat,
  isMongoCollection,
  listImportFiles,
  readImportBatches,
  IMPORT_FORMATS,
  type ImportOptions,
} from '../importers/index.js';
import { createLogger } from '../log.js';
import { parseCommand, wholeNumber } from './args.js';
import { Progress } from './progress.js';

export const IMPORT_USAGE = `kibotics-analytics import [--timezone Europe/Madrid] [--dry-run] [--format F] [--wait SECONDS] PATH...
    Kibotics log files and folders (both line formats), mongoexport JSON lines, Elasticsearch NDJSON.
    Importing the same files again changes nothing.`;

const BATCH = 2000;

/**
 * `import`: historical files through the same validation, enrichment, pairing, spool and delivery
 * as live events. Waits (up to --wait seconds) for InfluxDB to take everything; what is still
 * spooled then is delivered by the next `serve` or `import` on the same DATA_DIR.
 */
export async function importFiles(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals, config } = parseCommand(argv, {
    timezone: { type: 'string' },
    'dry-run': { type: 'boolean' },
    format: { type: 'string' },
    collection: { type: 'string' },
    index: { type: 'string' },
    wait: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (positionals.length === 0) throw new ConfigError(`import needs at least one file or folder\n${IMPORT_USAGE}`);
  const format = values.format as string | undefined;
  if (format !== undefined && !isImportFormat(format))
    throw new ConfigError(`--format must be one of ${IMPORT_FORMATS.join(', ')}, got '${format}'`);
  const collection = values.collection as string | undefined;
  if (collection !== undefined && !isMongoCollection(collection))
    throw new ConfigError(`--collection is not a Kibotics collection: '${collection}'`);
  const waitSeconds = wholeNumber('wait', values.wait, 300, 0);
  const dryRun = values['dry-run'] === true;
  const cfg = config();

  let files: string[];
  try {
    files = await listImportFiles(positionals);
  } catch (err) {
    throw new ConfigError(
      `cannot read ${(err as NodeJS.ErrnoException).path ?? 'input'}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`
    );
  }
  const sizes = await Promise.all(files.map(async (f) => (await stat(f)).size));
  const progress = new Progress(sizes.reduce((a, b) => a + b, 0));
  const log = createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, process.stderr);
  const core = dryRun ? undefined : openCore(cfg, log);
  // As serve does: the database, its policies, and RETENTION_DAYS on the raw points' policy (an
  // import with RETENTION_DAYS=0 into a database made with the 400-day default would see old points dropped).
  await core?.influx
    .ensureDatabase()
    .catch((err: Error) =>
      log.warn(
        { error: err.message },
        'could not prepare the database and its retention policies; events wait in the spool until writes succeed'
      )
    );
  core?.deliverer.start();

  const summary = new ImportSummary();
  const rejected = new Map<string, { count: number; first: string[] }>();
  // A dry run validates and counts through the same use case, and stores nothing.
  const accept = core?.accept ?? dryRunAccept();
  let valid = 0;
  let duplicates = 0;
  let pastRetention = 0;
  const batch: Candidate<LineRef>[] = [];
  const flush = async (candidates: Candidate<LineRef>[]) => {
    const outcome = await accept.accept(candidates);
    valid += outcome.valid;
    duplicates += outcome.duplicates;
    pastRetention += outcome.pastRetention;
    for (const r of outcome.rejected) {
      if (r.reason === 'line') continue; // a line that is no event: the summary counts it as a skip
      const entry = rejected.get(r.error) ?? { count: 0, first: [] };
      entry.count++;
      if (entry.first.length < 5) entry.first.push(`${r.at.file}:${r.at.line}`);
      rejected.set(r.error, entry);
    }
  };
  const options: ImportOptions = {
    timezone: (values.timezone as string | undefined) ?? DEFAULT_TIMEZONE,
    format: format as ImportOptions['format'],
    collection: collection as ImportOptions['collection'],
    index: values.index as string | undefined,
    onRead: (_file, chars) => progress.read(chars),
  };
  try {
    for await (const records of readImportBatches(files, options)) {
      for (const record of records) summary.add(record);
      batch.push(...candidatesOf(records));
      while (batch.length >= BATCH) await flush(batch.splice(0, BATCH));
      progress.counted(summary.lines, summary.events);
    }
    await flush(batch);
    progress.finish();

    let waiting = 0;
    if (core) {
      const deadline = Date.now() + waitSeconds * 1000;
      for (;;) {
        const s = core.spool.stats();
        waiting = s.lines + s.rollups;
        if (waiting === 0 || Date.now() >= deadline) break;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    // What InfluxDB did with the points: "stored" is said of delivered points only.
    const counted = async (c: { get(): Promise<{ values: Array<{ value: number }> }> } | undefined) =>
      c ? ((await c.get()).values[0]?.value ?? 0) : 0;
    const delivered = await counted(core?.metrics.delivered);
    const dropped = await counted(core?.metrics.expired);
    const report = {
      dry_run: dryRun,
      ...summary.toJSON(),
      accepted: valid - duplicates,
      duplicates,
      past_retention: pastRetention,
      rejected: Object.fromEntries(rejected),
      points_delivered: delivered,
      points_dropped_beyond_retention: dropped,
      waiting_for_influxdb: waiting,
    };
    if (values.json) {
      out.write(`${JSON.stringify(report)}\n`);
    } else {
      out.write(`${summary.format()}\n`);
      for (const [error, r] of rejected)
        out.write(`  rejected (${error}): ${r.count} (first: ${r.first.join(', ')})\n`);
      if (dryRun) out.write(`dry run: ${valid} valid events, nothing stored\n`);
      else {
        const fate =
          waiting === 0 && dropped === 0
            ? `, ${delivered} points stored in InfluxDB`
            : `: ${delivered} points stored in InfluxDB so far`;
        out.write(`accepted ${valid - duplicates} new events (${duplicates} already imported before)${fate}\n`);
      }
      if (dropped > 0) {
        out.write(
          `${dropped} points NOT stored: InfluxDB dropped them as older than its retention policy (${cfg.influx.url}, database policy; RETENTION_DAYS=${cfg.retentionDays}: 0 keeps everything)\n`
        );
      }
      if (pastRetention > 0) {
        out.write(
          `${pastRetention} of them are older than RETENTION_DAYS (${cfg.retentionDays} days): they count in the roll-ups (whole-platform dashboards), without per-user points\n`
        );
      }
      if (waiting > 0)
        out.write(
          `${waiting} points still wait for InfluxDB (${cfg.influx.url}); the next serve or import on ${cfg.dataDir} delivers them\n`
        );
    }
    return 0;
  } finally {
    if (core) {
      await core.deliverer.stop(Date.now());
      await core.close();
    }
  }
}
