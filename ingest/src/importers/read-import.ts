/**
 * The importers' entry points: files and folders → records, one per line (two for an Elasticsearch
 * session with start and end), in batches. Each file is read a chunk at a time and its lines parsed
 * synchronously: an await per batch of records, not per line (readline and a chain of async
 * generators awaited every line, most of an import's time). A malformed line is a skip record,
 * never an exception.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { BATCH_LINES, LineReader } from './line-reader.js';
import { zoneClock } from './localtime.js';
import { MERGED_BATCH, mergeByTime } from './merge-by-time.js';
import { DEFAULT_TIMEZONE, SourceParser, type ImportOptions } from './parse-lines.js';
import type { ImportRecord } from './records.js';
import { sniffFormat } from './sniff.js';

/** Lines per batch of a file in a merge, however many files: a batch is worth a generator call. */
const MIN_MERGE_BATCH_LINES = 4;

/** The first non-empty line of a file's beginning (`head`: its first 64 KiB as text), to recognise it. */
export function firstNonEmptyLine(head: string): string | undefined {
  const text = head.startsWith('\uFEFF') ? head.slice(1) : head;
  for (let start = 0; start <= text.length;) {
    const end = text.indexOf('\n', start);
    const line = text.slice(start, end < 0 ? text.length : end);
    if (line.trim() !== '') return line;
    if (end < 0) break;
    start = end + 1;
  }
  return undefined;
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
    (a, b) => compare(dateInName(a), dateInName(b)) || compare(baseName(a), baseName(b)) || compare(a, b)
  );
}

/**
 * Reads files and folders: batches of records, in line order within a file. Files whose names carry
 * the same date (or none: exports like newSession.json and endSession.json, which span the same
 * months) are read side by side and merged in time order, because pairing an end with its start
 * needs the start first; then the next date's files. Memory stays bounded whatever the size of the
 * files: a chunk of text and a batch of records per open file.
 */
export async function* readImportBatches(
  paths: readonly string[],
  opts: ImportOptions = {}
): AsyncGenerator<ImportRecord[]> {
  zoneClock(opts.timezone ?? DEFAULT_TIMEZONE); // an unknown zone fails here, before any output
  const files = await listImportFiles(paths);
  for (let i = 0; i < files.length;) {
    let j = i + 1;
    while (j < files.length && dateInName(files[j]!) === dateInName(files[i]!)) j++;
    const group = files.slice(i, j);
    if (group.length === 1) yield* readFile(group[0]!, opts, BATCH_LINES);
    else {
      // A merge holds a parsed batch per file: records parsed long before they go out outlive the
      // young generation and fill the old one (GC time, RSS), so the files share MERGED_BATCH.
      const batchLines = Math.max(MIN_MERGE_BATCH_LINES, Math.ceil(MERGED_BATCH / group.length));
      yield* mergeByTime(group.map((f) => readFile(f, opts, batchLines)));
    }
    i = j;
  }
}

/** readImportBatches one record at a time, for callers that do little per record (or few records). */
export async function* readImport(paths: readonly string[], opts: ImportOptions = {}): AsyncGenerator<ImportRecord> {
  for await (const batch of readImportBatches(paths, opts)) yield* batch;
}

/** One file's records, a batch per `batchLines` lines. */
function* readFile(file: string, opts: ImportOptions, batchLines: number): Generator<ImportRecord[]> {
  const reader = LineReader.open(file);
  try {
    const parser = new SourceParser(file, opts.format ?? sniffFormat(file, firstNonEmptyLine(reader.head)), opts);
    const onRead = opts.onRead;
    for (const lines of reader.lines(batchLines, onRead && ((chars) => onRead(file, chars)))) yield parser.parse(lines);
  } finally {
    reader.close();
  }
}
