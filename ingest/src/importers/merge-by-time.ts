/**
 * Merges time-ordered record streams (files read side by side) into one, earliest event first; on
 * equal times the stream given first wins. A skipped line has no time of its own: it goes out with
 * the time of its stream's previous event, so it is reported promptly.
 *
 * Streams come in batches and the merge walks them record by record; the next stream is picked with a binary heap ordered by (time, stream), which
 * picks exactly what a scan of every stream would, in log(streams) steps.
 */
import type { ImportRecord } from './records.js';

/** Records per merged batch: big enough that the await per batch costs nothing per record. */
export const MERGED_BATCH = 256;

interface Head {
  readonly stream: number;
  batch: ImportRecord[];
  at: number;
  /** The time the current record sorts by: its event's, else the stream's previous event's. */
  time: number;
}

function before(a: Head, b: Head): boolean {
  return a.time < b.time || (a.time === b.time && a.stream < b.stream);
}

/** A binary min-heap of heads. */
class HeadHeap {
  private readonly items: Head[] = [];

  get size(): number {
    return this.items.length;
  }

  peek(): Head | undefined {
    return this.items[0];
  }

  push(h: Head): void {
    const a = this.items;
    let i = a.length;
    a.push(h);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!before(h, a[p]!)) break;
      a[i] = a[p]!;
      i = p;
    }
    a[i] = h;
  }

  /** The top's key changed (it moved to its next record): moves it down to its place. */
  siftTop(): void {
    const a = this.items;
    const h = a[0]!;
    const n = a.length;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const r = l + 1;
      const c = r < n && before(a[r]!, a[l]!) ? r : l;
      if (!before(a[c]!, h)) break;
      a[i] = a[c]!;
      i = c;
    }
    a[i] = h;
  }

  popTop(): void {
    const a = this.items;
    const last = a.pop()!;
    if (a.length > 0) {
      a[0] = last;
      this.siftTop();
    }
  }
}

/** Sets the head's sort time from its current record. */
function timeOf(h: Head): void {
  const r = h.batch[h.at]!;
  if ('event' in r) h.time = r.event.time;
}

/** The stream's next non-empty batch, or undefined at its end. */
function nextBatch(stream: Iterator<ImportRecord[]>): ImportRecord[] | undefined {
  for (;;) {
    const next = stream.next();
    if (next.done) return undefined;
    if (next.value.length > 0) return next.value;
  }
}

export function* mergeByTime(streams: Array<Generator<ImportRecord[]>>): Generator<ImportRecord[]> {
  const heap = new HeadHeap();
  try {
    streams.forEach((s, stream) => {
      const batch = nextBatch(s);
      if (batch === undefined) return;
      const h: Head = { stream, batch, at: 0, time: -Infinity };
      timeOf(h);
      heap.push(h);
    });
    let out: ImportRecord[] = [];
    for (let h = heap.peek(); h !== undefined; h = heap.peek()) {
      out.push(h.batch[h.at]!);
      if (++h.at === h.batch.length) {
        const batch = nextBatch(streams[h.stream]!);
        if (batch === undefined) {
          heap.popTop();
          continue;
        }
        h.batch = batch;
        h.at = 0;
      }
      timeOf(h);
      heap.siftTop();
      if (out.length >= MERGED_BATCH) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    for (const s of streams) s.return(undefined);
  }
}
