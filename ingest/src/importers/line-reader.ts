/**
 * A file's lines in arrays, instead of readline's event and await per line. Kibotics' daily files
 * (~10 KB) take one read (16 KiB) and a read that finds the end; a large export is read 16 KiB at a
 * time, so memory stays bounded.
 *
 * The reads are synchronous on purpose: a read of a cached chunk costs microseconds, less than
 * parsing its lines, while each call of the async API is a thread-pool round trip (with ~10 KB files
 * those round trips were a third of an import's time); and the import's other work (SQLite) is
 * synchronous anyway. Line breaks are readline's: `\n`, `\r\n` and a lone `\r`, a `\r\n` split
 * across two chunks counting once; a last line without a break is a line; an empty file has none.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** Bytes per read: a few reads for a daily file, few system calls for a large export. */
export const READ_BYTES = 16 * 1024;
/**
 * Bytes decoded to text at a time. Lines (and the fields of their events) are slices of that text
 * and keep it alive until their records are used; with a merge of many files a record waits a
 * while, so the piece must be small to die young. Whole daily files held by records pending in a
 * merge outlived the young generation: promoted, old-space garbage, RSS up by a third over scenario
 * 5's input.
 */
export const TEXT_BYTES = 1024;
/** A format is recognised from the first non-empty line within the first 64 KiB (a multiple of the above). */
export const HEAD_BYTES = 64 * 1024;
/** Lines per array, by default. */
export const BATCH_LINES = 256;

/** Splits text into lines across chunks; `end()` returns what is left after the last break. */
export class LineSplitter {
  private rest = '';

  /** The whole lines completed by `text` (a `\r` at its very end waits: a `\n` may follow). */
  push(text: string): string[] {
    let s = this.rest === '' ? text : this.rest + text;
    let held = '';
    if (s.endsWith('\r')) {
      held = '\r';
      s = s.slice(0, -1);
    }
    // No `\r` at all is the common case: a plain split is much faster than a regex one.
    const lines = s.includes('\r') ? s.split(/\r?\n|\r/) : s.split('\n');
    this.rest = lines.pop()! + held;
    return lines;
  }

  /** The last line when the text does not end in a break (a held `\r` was a break of its own). */
  end(): string[] {
    const s = this.rest;
    this.rest = '';
    if (s === '') return [];
    return s.endsWith('\r') ? [s.slice(0, -1)] : [s];
  }
}

/** Whether `text` holds a non-blank line followed by a line break: more text cannot change the first one. */
function hasFirstLine(text: string): boolean {
  for (let start = 0; ;) {
    const end = text.indexOf('\n', start);
    if (end < 0) return false;
    if (text.slice(start, end).trim() !== '') return true;
    start = end + 1;
  }
}

// Read buffers of closed readers, reused: a file costs no allocation of its own.
const spareBuffers: Buffer[] = [];
const MAX_SPARE_BUFFERS = 256;

/** One file open for reading lines. Close it (in a `finally`) when done, and use it no more. */
export class LineReader {
  private readonly decoder = new StringDecoder('utf8');
  private readonly buffer = spareBuffers.pop() ?? Buffer.allocUnsafe(READ_BYTES);
  private filled = 0;
  private at = 0;
  private ended = false;
  /** Bytes decoded so far. */
  private decoded = 0;
  /** Text decoded to find the first line, not yet split. */
  private readonly pending: string[] = [];
  private started = false;

  private constructor(private readonly fd: number) {
    let head = '';
    while (this.decoded < HEAD_BYTES && !hasFirstLine(head)) {
      const text = this.decodeNext();
      if (text === undefined) break;
      this.pending.push(text);
      head += text;
    }
  }

  static open(path: string): LineReader {
    const fd = openSync(path, 'r');
    try {
      return new LineReader(fd);
    } catch (err) {
      closeSync(fd);
      throw err;
    }
  }

  /**
   * The file's beginning as text, to recognise its format: enough to hold its first non-empty line
   * (the whole of a short file), HEAD_BYTES at most; '' once lines() started.
   */
  get head(): string {
    return this.started ? '' : this.pending.join('');
  }

  /** The file's lines in arrays of at most `batchLines`; `onRead` is told the characters of each piece read. */
  *lines(batchLines = BATCH_LINES, onRead?: (chars: number) => void): Generator<string[]> {
    this.started = true;
    const splitter = new LineSplitter();
    for (
      let text = this.pending.shift() ?? this.decodeNext();
      text !== undefined;
      text = this.pending.shift() ?? this.decodeNext()
    ) {
      if (text === '') continue;
      onRead?.(text.length);
      const lines = splitter.push(text);
      if (lines.length <= batchLines) {
        if (lines.length > 0) yield lines;
      } else {
        for (let i = 0; i < lines.length; i += batchLines) yield lines.slice(i, i + batchLines);
      }
    }
    const last = splitter.end();
    if (last.length > 0) yield last;
  }

  close(): void {
    closeSync(this.fd);
    if (spareBuffers.length < MAX_SPARE_BUFFERS) spareBuffers.push(this.buffer);
  }

  /** The next TEXT_BYTES as text ('' when they end inside a character), or undefined at the end of the file. */
  private decodeNext(): string | undefined {
    if (this.at === this.filled) {
      if (this.ended) return undefined;
      this.filled = readSync(this.fd, this.buffer, 0, READ_BYTES, null);
      this.at = 0;
      if (this.filled === 0) {
        this.ended = true;
        const tail = this.decoder.end(); // an incomplete character at the very end: U+FFFD, as readline
        return tail === '' ? undefined : tail;
      }
    }
    const end = Math.min(this.filled, this.at + TEXT_BYTES);
    const text = this.decoder.write(this.buffer.subarray(this.at, end));
    this.decoded += end - this.at;
    this.at = end;
    return text;
  }
}
