import assert from 'node:assert/strict';
import { createReadStream, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, describe, it } from 'node:test';
import { HEAD_BYTES, LineReader, LineSplitter, READ_BYTES, TEXT_BYTES } from '../../src/importers/line-reader.js';

const dir = mkdtempSync(join(tmpdir(), 'line-reader-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** What the importers read files with before: readline over a UTF-8 stream, every line. */
async function readlineLines(path: string): Promise<string[]> {
  const out: string[] = [];
  for await (const l of createInterface({ input: createReadStream(path, { encoding: 'utf8' }), crlfDelay: Infinity }))
    out.push(l);
  return out;
}

function readerLines(path: string, batchLines?: number): { lines: string[]; batches: number[]; chars: number } {
  const reader = LineReader.open(path);
  try {
    const lines: string[] = [];
    const batches: number[] = [];
    let chars = 0;
    for (const batch of reader.lines(batchLines, (n) => (chars += n))) {
      batches.push(batch.length);
      lines.push(...batch);
    }
    return { lines, batches, chars };
  } finally {
    reader.close();
  }
}

function file(name: string, content: string | Buffer): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('LineSplitter', () => {
  const split = (...chunks: string[]) => {
    const s = new LineSplitter();
    return [...chunks.flatMap((c) => s.push(c)), ...s.end()];
  };
  it('breaks on \\n, \\r\\n and a lone \\r, as readline does', () => {
    assert.deepEqual(split('a\nb\r\nc\rd'), ['a', 'b', 'c', 'd']);
    assert.deepEqual(split('a\n\nb\n'), ['a', '', 'b']);
    assert.deepEqual(split(''), []);
    assert.deepEqual(split('\n'), ['']);
  });
  it('a line or a \\r\\n cut between two chunks is joined', () => {
    assert.deepEqual(split('ab', 'c\nd'), ['abc', 'd']);
    assert.deepEqual(split('a\r', '\nb'), ['a', 'b']);
    assert.deepEqual(split('a\r', 'b'), ['a', 'b']);
    assert.deepEqual(split('a\r'), ['a']);
    assert.deepEqual(split('a\r', '\r\n'), ['a', '']);
  });
});

describe('LineReader', () => {
  it('gives the lines readline gave: CRLF, lone CR, BOM, blank lines, no final break', async () => {
    const path = file('mixed.txt', '\uFEFF1 | a\r\n\r\n2 | b\r3 | c\n\n4 | d');
    assert.deepEqual(readerLines(path).lines, await readlineLines(path));
    assert.deepEqual(readerLines(path).lines, ['\uFEFF1 | a', '', '2 | b', '3 | c', '', '4 | d']);
  });

  it('a large file: chunks joined at line and character boundaries, as readline', async () => {
    // Multi-byte characters and CRLFs at every offset, so some fall across the head and chunk edges.
    const lines = Array.from({ length: 6000 }, (_, i) => `${i} | ñandú ${'€'.repeat(i % 7)} ${'x'.repeat(i % 53)}`);
    const text = lines.map((l, i) => l + (i % 3 === 0 ? '\r\n' : '\n')).join('');
    const path = file('large.txt', text);
    assert.ok(
      Buffer.byteLength(text) > 2 * HEAD_BYTES && Buffer.byteLength(text) > 10 * READ_BYTES && TEXT_BYTES < READ_BYTES
    );
    const got = readerLines(path);
    assert.deepEqual(got.lines, lines);
    assert.deepEqual(got.lines, await readlineLines(path));
    assert.equal(got.chars, text.length, 'every character read is reported once');
  });

  it('arrays hold at most batchLines lines', () => {
    const path = file('batches.txt', Array.from({ length: 25 }, (_, i) => `line ${i}\n`).join(''));
    assert.deepEqual(readerLines(path, 10).batches, [10, 10, 5]);
    assert.deepEqual(readerLines(path).batches, [25]);
  });

  it('head is the beginning of the file until lines are read; an empty file has no line', () => {
    const reader = LineReader.open(file('head.txt', 'first\nsecond\n'));
    try {
      assert.equal(reader.head, 'first\nsecond\n');
      assert.deepEqual([...reader.lines()], [['first', 'second']]);
      assert.equal(reader.head, '');
    } finally {
      reader.close();
    }
    assert.deepEqual(readerLines(file('empty.txt', '')).lines, []);
  });

  it('a file cut inside a character ends with U+FFFD, as readline', async () => {
    const path = file('cut.txt', Buffer.concat([Buffer.from('a\nb'), Buffer.from('€').subarray(0, 2)]));
    assert.deepEqual(readerLines(path).lines, await readlineLines(path));
    assert.deepEqual(readerLines(path).lines, ['a', 'b\uFFFD']);
  });
});

describe('LineReader.head', () => {
  it('holds the first non-empty line whole, read no further than needed, at most HEAD_BYTES', () => {
    const long = `${'x'.repeat(3 * TEXT_BYTES)}\n`;
    const withLong = LineReader.open(file('long-first.txt', `\n  \n${long}${'y\n'.repeat(10 * TEXT_BYTES)}`));
    try {
      assert.ok(withLong.head.includes(long), 'a first line longer than a piece is read to its end');
      assert.ok(withLong.head.length < 5 * TEXT_BYTES, 'and no further');
    } finally {
      withLong.close();
    }
    const huge = LineReader.open(file('huge-first.txt', `${'z'.repeat(2 * HEAD_BYTES)}\n`));
    try {
      assert.equal(huge.head, 'z'.repeat(HEAD_BYTES));
    } finally {
      huge.close();
    }
  });
});
