import { openInflux } from '../gateway.js';
import { ConfigError } from '../config.js';
import type { InfluxClient } from '../influx/client.js';
import { ROLLUP_BUCKET_MS, ROLLUP_RP, ROLLUPS } from '@kibotics/schema';
import { parseCommand } from './args.js';

export const VISIT_TOTALS_USAGE = `kibotics-analytics visit-totals
    Writes visit_totals_15m (README "Schema") for the buckets before now from visits_15m, on InfluxDB 1.x:
    once after upgrading, so the visit count panels reach back before the upgrade. Running it again
    writes the same totals over themselves.`;

/**
 * Sums `visits_15m` over its client tags into `visit_totals_15m`, bucket by bucket, in InfluxDB
 * itself. Grouped by `writer` too, so each bucket lands on the series its writer's gateway writes:
 * where a gateway of this version already wrote a total, the same total is written over it, never
 * added beside it. The bucket still filling is left to the gateway. Returns the points written.
 */
export async function writeVisitTotals(influx: InfluxClient, now: number): Promise<number> {
  const before = Math.floor(now / ROLLUP_BUCKET_MS) * ROLLUP_BUCKET_MS;
  const [into, from] = [ROLLUPS.visitTotals.measurement, ROLLUPS.visits.measurement].map(
    (m) => `"${ROLLUP_RP}"."${m}"`
  );
  const [result] = await influx.query(
    `SELECT sum("visits") AS "visits" INTO ${into} FROM ${from} WHERE time < ${before}ms ` +
      'GROUP BY time(15m), "bot", "anonymous", "writer" fill(none)'
  );
  return Number(result?.series?.[0]?.values[0]?.[1] ?? 0);
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
  const settings = config();
  // InfluxQL's INTO: 2.x and 3.x answer InfluxQL but do not write with it.
  if (settings.influx.api !== 'v1')
    throw new ConfigError(
      'INFLUX_API: visit-totals needs INFLUX_API=v1 (it runs SELECT … INTO, which InfluxDB 2.x and 3.x lack); ' +
        'on those, the visit count panels count from the upgrade on, and visits_15m still holds every earlier visit'
    );
  // InfluxDB alone: the gateway's state (DATA_DIR) is not read.
  const written = await writeVisitTotals(openInflux(settings), now());
  out.write(`visit totals: ${written} points written\n`);
  return 0;
}
