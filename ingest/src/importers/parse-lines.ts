/**
 * Lines of one source (a file, or a request body for POST /v1/logs) → records, synchronously: the
 * per-line work is pure computation, so it runs over arrays of lines with no await between lines.
 */
import { DjangoAccessLogParser } from './django-access-log.js';
import { ElasticsearchParser } from './elasticsearch-ndjson.js';
import { KiboticsLogParser } from './kibotics-log.js';
import { MongoexportParser, type MongoCollection } from './mongoexport.js';
import type { ImportRecord, LineParser } from './records.js';
import type { ImportFormat } from './sniff.js';

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
 * One source's lines, fed in order in as many arrays as they come in: keeps the line number and the
 * format parser's state from one array to the next. `format` undefined means unrecognised: every
 * non-blank line is an `unknown_format` skip, so that counts stay honest.
 */
export class SourceParser {
  private readonly parser: LineParser | undefined;
  private n = 0;

  constructor(
    readonly file: string,
    format: ImportFormat | undefined,
    opts: ImportOptions = {}
  ) {
    this.parser = format === undefined ? undefined : createLineParser(format, file, opts);
  }

  /** The records of the next lines of the source: one per line, or one per event of the line. */
  parse(lines: readonly string[]): ImportRecord[] {
    const { file, parser } = this;
    const out: ImportRecord[] = [];
    for (let i = 0; i < lines.length; i++) {
      const raw = lines[i]!;
      const line = ++this.n;
      // A UTF-8 byte-order mark would hide the first line's code.
      const text = line === 1 && raw.startsWith('\uFEFF') ? raw.slice(1) : raw;
      if (parser === undefined) {
        out.push({ file, line, skip: text.trim() === '' ? 'blank' : 'unknown_format' });
        continue;
      }
      const parsed = parser.parse(text);
      if ('skip' in parsed) {
        out.push({ file, line, skip: parsed.skip });
        continue;
      }
      for (const p of parsed.events) {
        out.push(
          p.notes === undefined ? { file, line, event: p.event } : { file, line, event: p.event, notes: p.notes }
        );
      }
    }
    return out;
  }
}

/** All the lines of one source at once → its records, in line order. */
export function parseLines(
  lines: readonly string[],
  file: string,
  format: ImportFormat | undefined,
  opts: ImportOptions = {}
): ImportRecord[] {
  return new SourceParser(file, format, opts).parse(lines);
}
