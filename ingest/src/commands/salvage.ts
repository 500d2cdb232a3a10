import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { openDelivery } from '../gateway.js';
import { createLogger } from '../log.js';
import type { Db } from '../store/database.js';
import { DB_FILE, MARKER_FILE } from '../store/integrity.js';
import { parseCommand } from './args.js';

export const SALVAGE_USAGE = `kibotics-analytics salvage [--wait-s N]   after the gateway refused a damaged store (stop it first): keep the
                                           damaged files aside, copy what can still be read into a new store and
                                           deliver it to InfluxDB, waiting up to N s (default 60; the rest is
                                           delivered by the gateway once started)`;

/** What the store holds, in the order it is copied; the marker's table stays with the new store. */
// The writer id first: roll-up totals are running totals of that writer's series in InfluxDB, so
// they are copied only under the same id (under a new one they would be counted twice).
const TABLES = [
  'writer',
  'spool',
  'dead_letter',
  'pending_erasure',
  'rollup',
  'seen',
  'seen_slot',
  'seen_id',
  'open_start',
  'active_mark',
  'active_last',
] as const;

interface Salvaged {
  rows: number;
  /** What could not be read, if anything. */
  lost?: string;
}

/** `salvage`: rescue what a damaged DATA_DIR still holds into a fresh store, then deliver it. */
export async function salvage(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, config } = parseCommand(argv, { 'wait-s': { type: 'string' } });
  const settings = config();
  const dir = settings.dataDir;
  const waitMs = (values['wait-s'] === undefined ? 60 : Number(values['wait-s'])) * 1000;
  const present = [DB_FILE, `${DB_FILE}-wal`, `${DB_FILE}-shm`, MARKER_FILE].filter((f) => existsSync(join(dir, f)));
  if (present.length === 0) {
    out.write(`nothing to salvage: ${dir} holds no store\n`);
    return 0;
  }
  const aside = join(dir, `damaged-${new Date().toISOString().replace(/[:.]/g, '-')}`);
  mkdirSync(aside);
  for (const f of present) renameSync(join(dir, f), join(aside, f));
  out.write(`the damaged files are kept in ${aside} (delete them once you no longer need them)\n`);

  const log = createLogger(settings.logLevel);
  // No enricher or pipeline: the salvaged events are already points (so no GEOIP_DB is needed either).
  const core = openDelivery(settings, log);
  try {
    for (const [table, r] of Object.entries(copyWhatCan(join(aside, DB_FILE), core.db))) {
      out.write(`${table}: ${r.rows} row(s) salvaged${r.lost ? `; lost: ${r.lost}` : ''}\n`);
    }
    await core.influx.ensureDatabase().catch(() => undefined);
    core.deliverer.start();
    const deadline = Date.now() + waitMs;
    while (Date.now() < deadline && (core.spool.lines > 0 || core.spool.rollups.pending() > 0))
      await new Promise((r) => setTimeout(r, 200));
    await core.deliverer.stop(Date.now() + 2000);
    const left = core.spool.lines;
    out.write(
      left === 0
        ? `delivered: every salvaged point is in InfluxDB; start the gateway again\n`
        : `${left} salvaged point(s) still wait (${core.deliverer.status().lastError ?? 'InfluxDB too slow'}); start the gateway again: it delivers them\n`
    );
    return 0;
  } finally {
    await core.close();
  }
}

/**
 * Copies each table of the damaged store into the new one as far as it can be read: in one pass,
 * else (numbered rows) in ranges, halving around the pages that fail. Streams: a store of millions
 * of dedup keys is never held in memory.
 */
function copyWhatCan(path: string, into: Db): Record<string, Salvaged> {
  const result: Record<string, Salvaged> = {};
  let from: Db;
  try {
    from = new Database(path, { fileMustExist: true });
  } catch (err) {
    for (const t of TABLES) result[t] = { rows: 0, lost: `the file cannot be opened (${(err as Error).message})` };
    return result;
  }
  try {
    for (const table of TABLES) {
      if (table === 'rollup' && !(result.writer?.rows === 1)) {
        result.rollup = {
          rows: 0,
          lost: 'every roll-up total: the writer id they belong to is unreadable (new events count under a new writer)',
        };
        continue;
      }
      result[table] =
        table === 'writer' ? sameWriter(from, into) : into.transaction(() => copyTable(from, into, table))();
    }
  } finally {
    from.close();
  }
  return result;
}

function copyTable(from: Db, into: Db, table: string): Salvaged {
  const names = (db: Db) =>
    (db.prepare(`SELECT name FROM pragma_table_info('${table}')`).all() as Array<{ name: string }>).map((c) => c.name);
  let old: string[] | undefined;
  try {
    old = names(from);
  } catch {
    // a damaged schema: try the new store's columns
  }
  // A store of an older schema lacks the newer columns: they take their defaults.
  const columns = names(into).filter((c) => !old || old.length === 0 || old.includes(c));
  const insert = into.prepare(
    `INSERT OR IGNORE INTO "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`
  );
  let rows = 0;
  const copy = (sql: string, ...params: number[]) => {
    for (const row of from.prepare(sql).iterate(...params)) rows += insert.run(row as Record<string, unknown>).changes;
  };
  try {
    copy(`SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}"`);
    return { rows };
  } catch (whole) {
    const rowid = ({ spool: 'seq', dead_letter: 'id' } as Record<string, string>)[table];
    if (!rowid) return { rows, lost: `the rest of the table after a damaged page (${(whole as Error).message})` };
    const max =
      first(from, `SELECT max(${rowid}) AS n FROM "${table}"`) ??
      first(from, `SELECT seq AS n FROM sqlite_sequence WHERE name = '${table}'`);
    if (max === undefined) return { rows, lost: `the rest of the table (${(whole as Error).message})` };
    let unreadable = 0;
    const range = (lo: number, hi: number) => {
      try {
        copy(
          `SELECT ${columns.map((c) => `"${c}"`).join(', ')} FROM "${table}" WHERE ${rowid} BETWEEN ? AND ?`,
          lo,
          hi
        );
      } catch {
        if (lo === hi) {
          unreadable++;
          return;
        }
        const mid = Math.floor((lo + hi) / 2);
        range(lo, mid);
        range(mid + 1, hi);
      }
    };
    for (let lo = 1; lo <= max; lo += 4096) range(lo, Math.min(max, lo + 4095));
    return {
      rows,
      lost:
        unreadable > 0
          ? `row numbers on damaged pages (${unreadable} of 1..${max}, some perhaps never used)`
          : undefined,
    };
  }
}

/** The new store takes the damaged one's writer id, if it can be read (else it keeps its own). */
function sameWriter(from: Db, into: Db): Salvaged {
  try {
    const ids = from.prepare('SELECT id FROM writer').all() as Array<{ id: string }>;
    if (ids.length !== 1) return { rows: 0, lost: `the writer id (${ids.length} rows)` };
    into.prepare('UPDATE writer SET id = ?').run(ids[0]!.id);
    return { rows: 1 };
  } catch (err) {
    return { rows: 0, lost: `the writer id (${(err as Error).message})` };
  }
}

function first(db: Db, sql: string): number | undefined {
  try {
    const n = (db.prepare(sql).get() as { n: number | null } | undefined)?.n;
    return n ?? undefined;
  } catch {
    return undefined;
  }
}
