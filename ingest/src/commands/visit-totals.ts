import { openInflux } from '../gateway.js';
import { ConfigError } from '../config.js';
import type { InfluxClient } from '../influx/client.js';
import { rollupLine } from '../points/rollup-line.js';
import { ROLLUP_BUCKET_MS, ROLLUP_RP, ROLLUPS } from '@kibotics/schema';
import { parseCommand } from './args.js';

export const VISIT_TOTALS_USAGE = `kibotics-analytics visit-totals
    Writes visit_totals_15m (README "Schema") for the buckets before now from visits_15m: once after
    upgrading, so the visit count panels reach back before the upgrade. Running it again writes the
    same totals over themselves.`;

/** Read a month of buckets at a time: a few thousand rows per series, however long the history. */
const WINDOW_MS = 30 * 86_400_000;
const TAGS = ['bot', 'anonymous', 'writer'] as const;

/**
 * Sums `visits_15m` over its client tags, bucket by bucket, and writes the sums to
 * `visit_totals_15m` through the gateway's own client (InfluxDB 1.x and 2.x alike: no `INTO`).
 * Grouped by `writer` too, so each bucket lands on the series its writer's gateway writes: where a
 * gateway of this version already wrote a total, the same total is written over it, never added
 * beside it. The bucket still filling is left to the gateway. Returns the points written.
 */
export async function writeVisitTotals(influx: InfluxClient, now: number): Promise<number> {
  const before = Math.floor(now / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const from = `"${ROLLUP_RP}"."${ROLLUPS.visits.measurement}"`;
  const [first] = await influx.query(`SELECT first("visits") FROM ${from} WHERE time < ${before}ms`);
  const start = first?.series?.[0]?.values[0]?.[0];
  if (typeof start !== 'number') return 0;
  let written = 0;
  for (let t = Math.floor(start / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS; t < before; t += WINDOW_MS) {
    const end = Math.min(t + WINDOW_MS, before);
    const [result] = await influx.query(
      `SELECT sum("visits") AS "visits" FROM ${from} WHERE time >= ${t}ms AND time < ${end}ms ` +
        `GROUP BY time(15m), ${TAGS.map((tag) => `"${tag}"`).join(', ')} fill(none)`
    );
    const lines: string[] = [];
    for (const series of result?.series ?? []) {
      // A tag the series lacks comes back empty: the oldest stores wrote no writer id.
      const tags = Object.fromEntries(TAGS.flatMap((tag) => (series.tags?.[tag] ? [[tag, series.tags[tag]]] : [])));
      for (const [time, visits] of series.values)
        lines.push(rollupLine(ROLLUPS.visitTotals.measurement, tags, Number(time), { visits: Number(visits) }));
    }
    if (lines.length > 0) await influx.write(lines.join('\n'), 'rollups');
    written += lines.length;
  }
  return written;
}

/** `visit-totals`: the visit totals of buckets written before the gateway wrote them. */
export async function visitTotals(
  argv: string[],
  out: NodeJS.WritableStream = process.stdout,
  now: () => number = Date.now
): Promise<number> {
  const { config, positionals } = parseCommand(argv, {});
  if (positionals.length > 0)
    throw new ConfigError(`visit-totals takes no arguments, got '${positionals.join(' ')}': run it alone`);
  // InfluxDB alone: the gateway's state (DATA_DIR) is not read.
  const written = await writeVisitTotals(openInflux(config()), now());
  out.write(`visit totals: ${written} points written\n`);
  return 0;
}
