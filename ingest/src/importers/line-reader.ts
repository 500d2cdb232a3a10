/**
 * A file's lines in arrays, a chunk at a time, instead of readline's event and await per line.
 * Kibotics' daily files (~10 KB) fit in the first read, so a file costs an open, two reads and a
 * close; a large export is read a chunk at a time, so memory stays bounded.
 *
 * The reads are synchronous on purpose: a read of a cached chunk costs microseconds, less than
 * parsing its lines, while each call of the async API is a thread-pool round trip (with ~10 KB files
 * those round trips were a third of an import's time); and the import's other work (SQLite) is
 * synchronous anyway. Line breaks are readline's: `\n`, `\r\n` and a lone `\r`, a `\r\n` split
 * across two chunks counting once; a last line without a break is a line; an empty file has none.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

/** The first read: as much as a format needs to be recognised from the first line. */
export const HEAD_BYTES = 64 * 1024;
/** Later reads: small, because the records of a chunk's lines keep its text alive until they are used. */
export const CHUNK_BYTES = 16 * 1024;
/** Lines per array, by default. */
export const BATCH_LINES = 256;

const CR = 13;

// Reads are synchronous and decoded at once (the decoder keeps a split character itself): one buffer serves every file.
const scratch = Buffer.allocUnsafe(HEAD_BYTES);

/** Splits text into lines across chunks; `end()` returns what is left after the last break. */
export class LineSplitter {
  private rest = '';

  /** The whole lines completed by `text` (a `\r` at its very end waits: a `\n` may follow). */
  push(text: string): string[] {
    let s = this.rest === '' ? text : this.rest + text;
    let held = '';
    if (s.charCodeAt(s.length - 1) === CR) {
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
    return s.charCodeAt(s.length - 1) === CR ? [s.slice(0, -1)] : [s];
  }
}

/** One file open for reading lines. Close it (in a `finally`) when done. */
export class LineReader {
  private readonly decoder = new StringDecoder('utf8');
  private first: string | undefined;

  private constructor(private readonly fd: number) {
    this.first = this.read(HEAD_BYTES);
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

  /** The file's beginning as text (up to HEAD_BYTES), to recognise its format; '' once lines() started. */
  get head(): string {
    return this.first ?? '';
  }

  /** The file's lines in arrays of at most `batchLines`; `onRead` is told the characters of each read. */
  *lines(batchLines = BATCH_LINES, onRead?: (chars: number) => void): Generator<string[]> {
    const splitter = new LineSplitter();
    let text: string | undefined = this.first;
    this.first = undefined;
    while (text !== undefined) {
      if (text !== '') {
        onRead?.(text.length);
        const lines = splitter.push(text);
        if (lines.length <= batchLines) {
          if (lines.length > 0) yield lines;
        } else {
          for (let i = 0; i < lines.length; i += batchLines) yield lines.slice(i, i + batchLines);
        }
      }
      text = this.read(CHUNK_BYTES);
    }
    const last = splitter.end();
    if (last.length > 0) yield last;
  }

  close(): void {
    closeSync(this.fd);
  }

  /** The next chunk as text ('' when it ends inside a character), or undefined at the end of the file. */
  private read(bytes: number): string | undefined {
    const n = readSync(this.fd, scratch, 0, bytes, null);
    if (n > 0) return this.decoder.write(scratch.subarray(0, n));
    const tail = this.decoder.end(); // an incomplete character at the very end: U+FFFD, as readline
    return tail === '' ? undefined : tail;
  }
}
