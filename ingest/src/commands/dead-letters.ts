import { ConfigError } from '../config.js';
import { DeadLetters } from '../spool/dead-letters.js';
import { openDatabase } from '../store/database.js';
import { NEW_STATE_OPTION, parseCommand, requireState, wholeNumber } from './args.js';

export const DEAD_LETTERS_USAGE = `kibotics-analytics dead-letters list [--limit N] [--json]
kibotics-analytics dead-letters replay [--id N]...   send again (all, or the given ids) once the cause is fixed
kibotics-analytics dead-letters purge [--id N]...    delete (all, or the given ids)
    --allow-new-state: go on even if DATA_DIR holds no gateway state yet`;

/** `dead-letters`: inspect, replay or purge the lines InfluxDB refused. Safe while the gateway runs. */
export async function deadLetters(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, positionals, config } = parseCommand(argv, {
    limit: { type: 'string' },
    id: { type: 'string', multiple: true },
    json: { type: 'boolean' },
    ...NEW_STATE_OPTION,
  });
  const [action] = positionals;
  const ids = (values.id as string[] | undefined)?.map((v) => wholeNumber('id', v, 0, 1));
  const limit = wholeNumber('limit', values.limit, 100, 1);
  const cfg = config();
  requireState(cfg, values, 'dead-letters');
  const db = openDatabase(cfg.dataDir);
  try {
    const letters = new DeadLetters(db);
    switch (action) {
      case 'list': {
        const rows = letters.list(limit);
        if (values.json) {
          for (const r of rows)
            out.write(`${JSON.stringify({ ...r, failed_at: new Date(r.failed_at).toISOString() })}\n`);
        } else {
          out.write(`${letters.count()} dead letter(s)\n`);
          for (const r of rows)
            out.write(`#${r.id} ${new Date(r.failed_at).toISOString()} ${r.status ?? '-'} ${r.error}\n    ${r.line}\n`);
        }
        return 0;
      }
      case 'replay':
        out.write(
          `${letters.replay(ids)} dead letter(s) back in the spool; a running gateway delivers them within a second\n`
        );
        return 0;
      case 'purge':
        out.write(`${letters.purge(ids)} dead letter(s) deleted\n`);
        return 0;
      default:
        throw new ConfigError(`dead-letters needs an action: list, replay or purge\n${DEAD_LETTERS_USAGE}`);
    }
  } finally {
    db.close();
  }
}
