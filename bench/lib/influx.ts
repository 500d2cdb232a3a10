/**
 * The suite's own InfluxDB: the test harness's real influxd (Debian 1.6.7) on free loopback ports in
 * a temp dir, plus the few calls the scenarios need (write line protocol, time a query).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Influxd } from '@kibotics/test-kit/influxd';

export { Influxd };

/**
 * Starts influxd. `unlimitedSeries`: the naive twin of scenario 6 (every dimension a tag, per user)
 * passes InfluxDB's default limit of 1M series per database, which would refuse points instead of
 * showing how slow such a layout reads. The harness writes a fixed config; we add the two limits
 * to it and restart it on the same files (0.3 s), rather than fork the harness.
 */
export async function startInfluxd(opts: { unlimitedSeries?: boolean } = {}): Promise<Influxd> {
  const influxd = await Influxd.start();
  if (opts.unlimitedSeries) await restartWithData(influxd, ['max-series-per-database = 0', 'max-values-per-tag = 0']);
  return influxd;
}

/**
 * Restarts influxd so that it writes its cache to files and fully compacts every shard once cold for
 * 10 s (its defaults wait 10 min and 4 h): the state a running install's past weeks are in, where a
 * bench that loads 90 days in 17 minutes leaves every shard as written, in many small files, and a
 * dashboard over history reads them as no real one would.
 */
export async function compactColdShards(influxd: Influxd): Promise<void> {
  await restartWithData(
    influxd,
    ['compact-full-write-cold-duration = "10s"', 'cache-snapshot-write-cold-duration = "10s"'],
    300_000
  );
}

/** Adds settings to the harness config's [data] section and restarts on the same files (a large database takes a while to reopen). */
async function restartWithData(influxd: Influxd, settings: string[], timeoutMs?: number): Promise<void> {
  await influxd.pause();
  const path = join(influxd.dir, 'influxdb.conf');
  const anchor = '  query-log-enabled = false';
  writeFileSync(
    path,
    readFileSync(path, 'utf8').replace(anchor, [anchor, ...settings.map((s) => `  ${s}`)].join('\n'))
  );
  await influxd.resume(timeoutMs);
}

export function influxdVersion(): string {
  try {
    return execFileSync('influxd', ['version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return 'unknown';
  }
}

export async function createDatabase(influxd: Influxd, db: string): Promise<void> {
  await influxd.query(`CREATE DATABASE "${db}"`, db);
}

/** POSTs one body of line protocol (ns precision, as the gateway writes); throws unless 204. */
export async function writeLines(influxd: Influxd, db: string, body: string): Promise<void> {
  const response = await fetch(`${influxd.url}/write?db=${encodeURIComponent(db)}&precision=ns`, {
    method: 'POST',
    body,
  });
  if (response.status !== 204)
    throw new Error(`influx write ${response.status}: ${(await response.text()).slice(0, 300)}`);
}

/**
 * Writes lines in batches of `batch` with `concurrency` writers in flight. Returns the seconds it
 * took, from the first request to the last answer.
 */
export async function writeAll(
  influxd: Influxd,
  db: string,
  lines: readonly string[],
  batch = 5000,
  concurrency = 1
): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    for (;;) {
      const from = next;
      if (from >= lines.length) return;
      next += batch;
      await writeLines(influxd, db, lines.slice(from, from + batch).join('\n'));
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return (performance.now() - started) / 1000;
}

/** Runs one InfluxQL query as Grafana would (GET /query, epoch ms); returns ms and the number of series. */
export async function timeQuery(
  influxd: Influxd,
  db: string,
  q: string
): Promise<{ ms: number; series: number; error?: string }> {
  const started = performance.now();
  const response = await fetch(`${influxd.url}/query?${new URLSearchParams({ db, q, epoch: 'ms' })}`);
  const body = (await response.json()) as { results?: Array<{ series?: unknown[]; error?: string }>; error?: string };
  const ms = performance.now() - started;
  const error = body.error ?? body.results?.find((r) => r.error)?.error;
  const series = (body.results ?? []).reduce((n, r) => n + (r.series?.length ?? 0), 0);
  return { ms, series, error };
}

/** Counts points of a measurement (for checking that a load really landed). */
export async function countPoints(influxd: Influxd, db: string, measurement: string, field = 'count'): Promise<number> {
  const rows = await influxd.rows(`SELECT count("${field}") FROM "${measurement}"`, db);
  return Number(rows[0]?.count ?? 0);
}
