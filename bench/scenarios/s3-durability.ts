/**
 * 3. The cost of durability, built in this process from the gateway's own parts (openCore: the
 * accept use case, the pipeline with dedup, enrichment, pairing, points, spool and group commit) on
 * a fresh DATA_DIR, once as shipped (SYNCHRONOUS_COMMIT=on: each group commit's WAL flushed to the
 * disk before its callers are answered) and once with SYNCHRONOUS_COMMIT=off (no flush per commit:
 * a power cut could lose acknowledged events). Same events, same code; only the setting differs.
 * No HTTP and no InfluxDB (the spool is emptied as by an instant deliverer, below): this isolates
 * the path from a received event to "on disk".
 */
import type { RawEvent } from 'kibotics-analytics/demo';
import { openBenchCore } from '../lib/core.js';
import { demoEvents } from '../lib/demo-events.js';
import { fmt, type Row, type Scenario } from '../lib/result.js';
import { median } from '../lib/stats.js';

const EVENTS = 30_000;
const RUNS = 3;

type Shape = { name: string; perSubmit: number; concurrency: number; events: number };
const SHAPES: Shape[] = [
  { name: '100 events/request, 4 in flight', perSubmit: 100, concurrency: 4, events: EVENTS },
  // One event per commit costs ~1 ms: fewer events keep this shape to seconds.
  { name: '1 event/request, 8 in flight', perSubmit: 1, concurrency: 8, events: 10_000 },
];

/** Events/s through a fresh core's accept use case: `concurrency` callers each submitting `perSubmit` events and awaiting the commit. */
async function run(events: readonly RawEvent[], durable: boolean, shape: Shape, secureDelete = true): Promise<number> {
  const bench = openBenchCore({ durable, secureDelete });
  const { spool } = bench.core;
  // Stands in for a deliverer whose InfluxDB answers at once: takes batches out of the spool as the
  // gateway's does (claim, then delivered), so the spool stays as short as in a healthy gateway
  // instead of growing for the whole run (a long spool slows every request: see README findings).
  const drain = setInterval(() => spool.delivered(spool.claim(5000)), 20);
  try {
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: shape.concurrency }, async () => {
        for (;;) {
          const from = next;
          if (from >= events.length) return;
          next += shape.perSubmit;
          await bench.accept(events.slice(from, from + shape.perSubmit));
        }
      })
    );
    return events.length / ((performance.now() - started) / 1000);
  } finally {
    clearInterval(drain);
    await bench.close();
  }
}

export const durability: Scenario = async (ctx) => {
  const all = demoEvents(EVENTS);
  const rows: Row[] = [];
  for (const shape of SHAPES) {
    const events = all.slice(0, shape.events);
    const full: number[] = [];
    const off: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Alternate so drift in the machine's load hits both sides alike.
      full.push(await run(events, true, shape));
      off.push(await run(events, false, shape));
    }
    ctx.log(
      `${shape.name}: flushed ${full.map((n) => fmt(n)).join(', ')} events/s; not flushed ${off.map((n) => fmt(n)).join(', ')}`
    );
    rows.push({
      scenario: '3 durability cost',
      figure: `to disk, a flush per group commit (${shape.name})`,
      value: median(full),
      unit: 'events/s',
      baseline: 'same path, no flush per commit (SYNCHRONOUS_COMMIT=off)',
      baselineValue: median(off),
      baselineUnit: 'events/s',
      ratio: median(full) / median(off),
      ratioIs: 'figure / baseline (1 = durability is free)',
      goal: '—',
      runs: full,
      baselineRuns: off,
      note: `in-process accept use case and pipeline (openCore) on a fresh DATA_DIR, ${fmt(shape.events)} demo events, no HTTP, spool emptied every 20 ms as by an instant InfluxDB`,
    });
  }
  // secure_delete: delivered and erased rows are overwritten with zeros (children's data must not
  // stay readable in free pages); the spool deletes every line it delivers, so this is its cost.
  const shape = SHAPES[0]!;
  const events = all.slice(0, shape.events);
  const zeroed: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    zeroed.push(await run(events, true, shape, true));
    plain.push(await run(events, true, shape, false));
  }
  ctx.log(
    `secure_delete: on ${zeroed.map((n) => fmt(n)).join(', ')} events/s; off ${plain.map((n) => fmt(n)).join(', ')}`
  );
  rows.push({
    scenario: '3 durability cost',
    figure: `to disk with deleted rows zeroed, secure_delete=ON (${shape.name})`,
    value: median(zeroed),
    unit: 'events/s',
    baseline: 'same path, secure_delete=OFF (deleted rows left readable in free pages)',
    baselineValue: median(plain),
    baselineUnit: 'events/s',
    ratio: median(zeroed) / median(plain),
    ratioIs: 'figure / baseline (1 = zeroing is free)',
    goal: '—',
    runs: zeroed,
    baselineRuns: plain,
    note: `as above; both flushed; spool lines deleted as delivered every 20 ms`,
  });
  return rows;
};
