import { openInflux } from '../gateway.js';
import type { InfluxClient } from '../influx/client.js';
import { runStartLine, startsRun } from '../pipeline/active-users.js';
import { ACTIVE_RUN_TAG, ACTIVE_USERS } from '@kibotics/schema';
import { parseCommand } from './args.js';

export const RUN_STARTS_USAGE = `kibotics-analytics run-starts
    Writes the run starts (README "Schema") of active_days points written before versions that write them:
    once after upgrading, so the Active users panels count ranges reaching back before the upgrade.`;

const PAGE = 10_000;

/** An InfluxQL rfc3339 time (up to 9 decimals) as nanoseconds since the epoch, for line protocol. */
function nanosOf(rfc3339: string): string {
  const m = /^(.*T\d\d:\d\d:\d\d)(?:\.(\d{1,9}))?Z$/.exec(rfc3339);
  if (!m) throw new Error(`unexpected time from InfluxDB: ${rfc3339}`);
  return (BigInt(Date.parse(`${m[1]}Z`)) * 1_000_000n + BigInt((m[2] ?? '').padEnd(9, '0'))).toString();
}

/**
 * Reads every day point of `active_days` in time order and writes a run start where a user's day
 * point follows the gap without one (or is their first). Writing one again stores it over itself.
 */
export async function writeRunStarts(influx: InfluxClient): Promise<{ dayPoints: number; runStarts: number }> {
  const last = new Map<string, number>();
  let after: string | undefined;
  let dayPoints = 0;
  let runStarts = 0;
  for (;;) {
    const since = after === undefined ? '' : ` AND time > '${after}'`;
    const [result] = await influx.query(
      `SELECT "user" FROM "${ACTIVE_USERS}" WHERE "${ACTIVE_RUN_TAG}" = ''${since} ORDER BY time LIMIT ${PAGE}`,
      'rfc3339'
    );
    const rows = (result?.series ?? []).flatMap((s) => s.values.map((v) => [String(v[0]), String(v[1])] as const));
    if (rows.length === 0) break;
    const lines: string[] = [];
    for (const [time, user] of rows) {
      const ns = nanosOf(time);
      const ms = Number(BigInt(ns) / 1_000_000n);
      if (startsRun(last.get(user), ms)) lines.push(runStartLine(user, ns));
      last.set(user, ms);
    }
    if (lines.length > 0) await influx.write(lines.join('\n'));
    dayPoints += rows.length;
    runStarts += lines.length;
    after = rows.at(-1)![0];
  }
  return { dayPoints, runStarts };
}

/** `run-starts`: the run starts of day points written before the gateway wrote them. */
export async function runStarts(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { config } = parseCommand(argv, {});
  // InfluxDB alone: the gateway's state (DATA_DIR) is not read.
  const { dayPoints, runStarts } = await writeRunStarts(openInflux(config()));
  out.write(`run starts: ${runStarts} written for ${dayPoints} day points\n`);
  return 0;
}
