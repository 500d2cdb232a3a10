import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MERGED_BATCH, mergeByTime } from '../../src/importers/merge-by-time.js';
import type { ImportRecord } from '../../src/importers/records.js';

const ev = (file: string, line: number, time: number): ImportRecord => ({ file, line, event: { type: 'visit', time } });
const sk = (file: string, line: number): ImportRecord => ({ file, line, skip: 'blank' });

function* batches(records: ImportRecord[], size: number): Generator<ImportRecord[]> {
  for (let i = 0; i < records.length; i += size) yield records.slice(i, i + size);
}

const merged = (streams: Array<Generator<ImportRecord[]>>) => [...mergeByTime(streams)].flat();
const brief = (r: ImportRecord) => `${r.file}:${r.line}`;

/** The merge as it was written before batches: scan every stream's head, the first earliest wins. */
function scanMerge(streams: ImportRecord[][]): ImportRecord[] {
  const at = streams.map(() => 0);
  const last = streams.map(() => -Infinity);
  const timeOf = (k: number) => {
    const r = streams[k]![at[k]!]!;
    return 'event' in r ? r.event.time : last[k]!;
  };
  const out: ImportRecord[] = [];
  for (;;) {
    let best = -1;
    for (let k = 0; k < streams.length; k++)
      if (at[k]! < streams[k]!.length && (best < 0 || timeOf(k) < timeOf(best))) best = k;
    if (best < 0) return out;
    const r = streams[best]![at[best]!++]!;
    if ('event' in r) last[best] = r.event.time;
    out.push(r);
  }
}

describe('mergeByTime', () => {
  it('earliest event first; equal times in stream order; a skip goes out with its previous event', () => {
    const a = [ev('a', 1, 10), sk('a', 2), ev('a', 3, 30)];
    const b = [sk('b', 1), ev('b', 2, 10), ev('b', 3, 20)];
    assert.deepEqual(merged([batches(a, 2), batches(b, 1)]).map(brief), ['b:1', 'a:1', 'a:2', 'b:2', 'b:3', 'a:3']);
  });

  it('gives what a scan of every stream gives, whatever the batch sizes, in batches of at most MERGED_BATCH', () => {
    let seed = 7;
    const random = (n: number) => {
      seed = (seed * 1103515245 + 12345) % 2 ** 31;
      return seed % n;
    };
    // 40 streams like 40 copies of a day: few distinct times, many ties, some skips.
    const streams = Array.from({ length: 40 }, (_, k) => {
      let t = 0;
      return Array.from({ length: 30 + random(60) }, (_, i) =>
        random(10) === 0 ? sk(`f${k}`, i + 1) : ev(`f${k}`, i + 1, (t += random(3)))
      );
    });
    const expected = scanMerge(streams).map(brief);
    for (const size of [1, 3, 64]) {
      const out = [...mergeByTime(streams.map((s, k) => batches(s, size + (k % 4))))];
      assert.ok(out.every((b) => b.length > 0 && b.length <= MERGED_BATCH));
      assert.deepEqual(out.flat().map(brief), expected, `batches of ${size}`);
    }
  });

  it('closes every stream when the reader stops early', () => {
    const closed: number[] = [];
    const stream = function* (k: number): Generator<ImportRecord[]> {
      try {
        for (let i = 1; i <= 2000; i++) yield [ev(`f${k}`, i, i)];
      } finally {
        closed.push(k);
      }
    };
    for (const _ of mergeByTime([stream(0), stream(1)])) break;
    assert.deepEqual(closed.sort(), [0, 1]);
  });
});
