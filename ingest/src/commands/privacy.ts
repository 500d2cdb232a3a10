import { ConfigError } from '../config.js';
import { openErasure, openInflux, userIdsOf } from '../gateway.js';
import { exportUser } from '../privacy/export.js';
import { forgetUser } from '../privacy/forget.js';
import { NEW_STATE_OPTION, parseCommand, requireState } from './args.js';

const STATE_HELP = '    --allow-new-state: go on even if DATA_DIR holds no gateway state';
export const FORGET_USAGE = `kibotics-analytics forget --user NAME [--json]   erase one user everywhere (InfluxDB and the gateway's state)\n${STATE_HELP}`;
export const EXPORT_USAGE = `kibotics-analytics export --user NAME             one user's data as JSON (the right of access)\n${STATE_HELP}`;
export const PRIVACY_USAGE = `${FORGET_USAGE.split('\n')[0]}\n${EXPORT_USAGE}`;

function userOf(values: Record<string, unknown>, command: string): string {
  const user = values.user as string | undefined;
  if (!user?.trim()) throw new ConfigError(`${command} needs --user NAME\n${PRIVACY_USAGE}`);
  return user;
}

/** `forget --user NAME`: the right to erasure. */
export async function forget(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, config } = parseCommand(argv, {
    user: { type: 'string' },
    json: { type: 'boolean' },
    ...NEW_STATE_OPTION,
  });
  const user = userOf(values, 'forget');
  const cfg = config();
  requireState(cfg, values, 'forget');
  const parts = openErasure(cfg);
  try {
    const report = await forgetUser(parts, user, parts.userIds(user));
    // The WAL still holds the pages as they were before the erasure: fold it into the database (whose
    // deleted rows are zeroed) and empty it, as far as a running gateway's readers allow.
    parts.db.pragma('wal_checkpoint(TRUNCATE)');
    if (values.json) {
      out.write(`${JSON.stringify(report)}\n`);
    } else {
      const g = report.gateway;
      const influx = report.influxdb;
      out.write(
        `${influx ? 'forgot' : 'forgetting'} ${report.user}${report.stored_as === report.user ? '' : ` (stored as ${report.stored_as})`}:\n` +
          `  gateway: ${g.spool_lines} waiting points, ${g.dead_letters} dead letters, ${g.open_starts} open starts, ${g.active_days} active-user marks removed\n` +
          (influx
            ? `  InfluxDB: ${influx.series_removed ?? 'all'} series and ${influx.active_day_points} active-user points removed\n`
            : `  InfluxDB: PENDING, not reached (${report.pending?.reason}).\n` +
              '    The erasure is recorded in DATA_DIR: a gateway running on it (serve, or the next import) completes it\n' +
              '    as soon as InfluxDB answers, before it writes anything else. Or run this command again.\n')
      );
    }
    return 0;
  } finally {
    await parts.close();
  }
}

/** `export --user NAME`: the right of access, as JSON on stdout. */
export async function exportCommand(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, config } = parseCommand(argv, { user: { type: 'string' }, ...NEW_STATE_OPTION });
  const user = userOf(values, 'export');
  const cfg = config();
  // Nothing is opened in DATA_DIR: what a user may see is in InfluxDB (an erasure still pending
  // there is data still held). The check stays: no state there means another gateway's settings.
  requireState(cfg, values, 'export');
  out.write(`${JSON.stringify(await exportUser(openInflux(cfg), user, userIdsOf(cfg)(user)), null, 2)}\n`);
  return 0;
}
