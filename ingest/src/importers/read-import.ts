/**
 * The importers' entry points: files and folders → one ImportRecord per line (two for an
 * Elasticsearch session with start and end), streamed with node:readline so memory stays bounded
 * whatever the size of a file. A malformed line is a skip record, never an exception.
 */
import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DjangoAccessLogParser } from './django-access-log.js';
import { ElasticsearchParser } from './elasticsearch-ndjson.js';
import { KiboticsLogParser } from './kibotics-log.js';
import { zoneClock } from './localtime.js';
import { MongoexportParser, type MongoCollection } from './mongoexport.js';
import type { ImportRecord, LineParser } from './records.js';
import { sniffFormat, type ImportFormat } from './sniff.js';

export const DEFAULT_TIMEZONE = 'Europe/Madrid';

export interface ImportOptions {
  /** IANA zone of the naive timestamps (Kibotics' server: Europe/Madrid, the default). */
  timezone?: string;
  /** Forces one format for every file; otherwise each file is sniffed. */
  format?: ImportFormat;
  /** mongoexport: the collection, for files whose name does not say it. */
  collection?: MongoCollection;
  /** Elasticsearch: the index, for bare `_source` lines in files whose name does not say it. */
  index?: string;
  /** Told how much of each file has been read (characters, ≈ bytes for log files): for progress bars. */
  onRead?: (file: string, chars: number) => void;
}

/** A fresh parser for one file (parsers keep per-file state: DST resolution, error-line times). */
export function createLineParser(format: ImportFormat, fileName: string, opts: ImportOptions = {}): LineParser {
  const timezone = opts.timezone ?? DEFAULT_TIMEZONE;
  switch (format) {
    case 'kibotics-log':
      return new KiboticsLogParser({ timezone, fileName });
    case 'django-access-log':
      return new DjangoAccessLogParser({ timezone, fileName });
    case 'mongoexport':
      return new MongoexportParser({ timezone, fileName, collection: opts.collection });
    case 'elasticsearch':
      return new ElasticsearchParser({ timezone, fileName, index: opts.index });
  }
}

/**
 * The lines of one source (a file, or a request body for POST /v1/logs) → records. `format`
 * undefined means unrecognised: every non-blank line is an `unknown_format` skip, so that counts
 * stay honest.
 */
export async function* parseLines(
  lines: AsyncIterable<string> | Iterable<string>,
  file: string,
  format: ImportFormat | undefined,
  opts: ImportOptions = {},
): AsyncGenerator<ImportRecord> {
  const parser = format === undefined ? undefined : createLineParser(format, file, opts);
  let n = 0;
  for await (const raw of lines) {
    n++;
    // A UTF-8 byte-order mark would hide the first line's code.
    const text = n === 1 && raw.charCodeAt(0) === 0xfeff ? raw.slice(1) : raw;
    if (parser === undefined) {
      yield { file, line: n, skip: text.trim() === '' ? 'blank' : 'unknown_format' };
      continue;
    }
    const out = parser.parse(text);
    if ('skip' in out) {
      yield { file, line: n, skip: out.skip };
      continue;
    }
    for (const p of out.events) {
      yield p.notes === undefined ? { file, line: n, event: p.event } : { file, line: n, event: p.event, notes: p.notes };
    }
  }
}

const SNIFF_BYTES = 64 * 1024;

/** The first non-empty line of a file (at most its first 64 KiB, enough to recognise it). */
export async function firstNonEmptyLine(path: string): Promise<string | undefined> {
  const fh = await open(path, 'r');
  try {
    const buf = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await fh.read(buf, 0, SNIFF_BYTES, 0);
    const head = buf.toString('utf8', 0, bytesRead).replace(/^\uFEFF/, '');
    for (const l of head.split('\n')) if (l.trim() !== '') return l;
    return undefined;
  } finally {
    await fh.close();
  }
}

// In a folder, only files that can be imports: README.md and friends next to the logs are not lines.
const IMPORT_EXTENSIONS = ['.txt', '.log', '.json', '.jsonl', '.ndjson'];

async function walk(path: string, out: string[]): Promise<void> {
  const entries = await readdir(path, { withFileTypes: true });
  for (const e of entries) {
    if (e.name.startsWith('.')) continue;
    const p = join(path, e.name);
    if (e.isDirectory()) await walk(p, out);
    else if (e.isFile() && IMPORT_EXTENSIONS.some((x) => e.name.toLowerCase().endsWith(x))) out.push(p);
  }
}

function baseName(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? path : path.slice(i + 1);
}

function dateInName(path: string): string {
  const m = /\d{4}-\d{2}-\d{2}/.exec(baseName(path));
  return m === null ? '' : m[0];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Files named by `paths` (folders walked recursively), in time order as far as names tell: by the
 * `YYYY-MM-DD` in the name (undated files, like the older access_log_django.txt, first), then by
 * name, then by path. So temporalDir/ and FINAL/ given together interleave into one run of days.
 * Throws if a path does not exist: a typo must not look like an empty import.
 */
export async function listImportFiles(paths: readonly string[]): Promise<string[]> {
  const files: string[] = [];
  for (const p of paths) {
    const s = await stat(p);
    if (s.isDirectory()) await walk(p, files);
    else files.push(p);
  }
  const unique = [...new Set(files)];
  return unique.sort(
    (a, b) => compare(dateInName(a), dateInName(b)) || compare(baseName(a), baseName(b)) || compare(a, b),
  );
}

/**
 * Reads files and folders line by line: one record per line (or per event). Files whose names carry
 * the same date (or none: exports like newSession.json and endSession.json, which span the same
 * months) are read side by side and merged in time order, because pairing an end with its start
 * needs the start first; then the next date's files. Memory stays bounded: one pending record per
 * open file.
 */
export async function* readImport(paths: readonly string[], opts: ImportOptions = {}): AsyncGenerator<ImportRecord> {
  zoneClock(opts.timezone ?? DEFAULT_TIMEZONE); // an unknown zone fails here, before any output
  const files = await listImportFiles(paths);
  for (let i = 0; i < files.length; ) {
    let j = i + 1;
    while (j < files.length && dateInName(files[j]!) === dateInName(files[i]!)) j++;
    const group = files.slice(i, j);
    yield* group.length === 1 ? readFile(group[0]!, opts) : mergeByTime(group.map((f) => readFile(f, opts)));
    i = j;
  }
}

async function* readFile(file: string, opts: ImportOptions): AsyncGenerator<ImportRecord> {
  const format = opts.format ?? sniffFormat(file, await firstNonEmptyLine(file));
  const input = createReadStream(file, { encoding: 'utf8' });
  if (opts.onRead) input.on('data', (chunk) => opts.onRead!(file, chunk.length));
  const rl = createInterface({ input, crlfDelay: Infinity });
  try {
    yield* parseLines(rl, file, format, opts);
  } finally {
    rl.close();
    input.destroy();
  }
}

/**
 * Merges time-ordered record streams into one, earliest event first. A skipped line has no time of
 * its own: it goes out with the time of its stream's previous event, so it is reported promptly.
 */
async function* mergeByTime(streams: Array<AsyncGenerator<ImportRecord>>): AsyncGenerator<ImportRecord> {
  const heads: Array<{ record: ImportRecord; time: number; stream: number } | undefined> = [];
  const lastTime = streams.map(() => -Infinity);
  const advance = async (k: number) => {
    const next = await streams[k]!.next();
    if (next.done) {
      heads[k] = undefined;
      return;
    }
    const record = next.value;
    if ('event' in record) lastTime[k] = record.event.time;
    heads[k] = { record, time: lastTime[k]!, stream: k };
  };
  try {
    await Promise.all(streams.map((_, k) => advance(k)));
    for (;;) {
      let best: { record: ImportRecord; time: number; stream: number } | undefined;
      for (const h of heads) if (h && (!best || h.time < best.time)) best = h;
      if (!best) return;
      yield best.record;
      await advance(best.stream);
    }
  } finally {
    await Promise.all(streams.map((s) => s.return(undefined)));
  }
}
