/**
 * Loads scenario 6's platform into InfluxDB: demo traffic for `users` users over `days` days,
 * through the gateway's own accept use case, pipeline and deliverer in this process (openCore, as
 * the `demo` command does without --gateway), so raw points, roll-ups and active users are exactly
 * the gateway's. Skipped on purpose: HTTP and the flush per commit (SYNCHRONOUS_COMMIT=off) — scenarios 1–3
 * measure those; here they would only stretch the load past the suite's budget.
 */
import { generateDemo, type RawEvent } from 'kibotics-analytics/demo';
import { openBenchCore } from './core.js';
import { sleep } from './stats.js';

export interface Loaded {
  events: number;
  seconds: number;
  from: number;
  to: number;
}

const CHUNK = 5000;

export async function loadPlatform(
  influxUrl: string,
  database: string,
  users: number,
  days: number,
  log: (m: string) => void
): Promise<Loaded> {
  const bench = openBenchCore({ influxUrl, database, durable: false });
  const { core } = bench;
  try {
    await core.influx.ensureDatabase();
    core.deliverer.start();
    const to = Date.now() - 60_000;
    const from = to - days * 86_400_000;
    const started = performance.now();
    let events = 0;
    let chunk: RawEvent[] = [];
    let lastLog = started;
    const flush = async () => {
      await bench.accept(chunk);
      events += chunk.length;
      chunk = [];
      // Let the deliverer (same thread) send a batch between chunks, and keep the spool short:
      // the spool's size query costs more as it grows. (Not spool.stats(): it also counts the dirty
      // roll-ups, a scan of hundreds of thousands of rows during a long load.)
      for (let waited = 0; core.spool.lines > 50_000 && waited < 60_000; waited += 5) await sleep(5);
      await new Promise((r) => setImmediate(r));
      if (performance.now() - lastLog > 15_000) {
        lastLog = performance.now();
        log(`  loading: ${events.toLocaleString('en')} events in ${((lastLog - started) / 1000).toFixed(0)} s`);
      }
    };
    for (const e of generateDemo({ days, users, seed: 50, end: to })) {
      chunk.push(e);
      if (chunk.length >= CHUNK) await flush();
    }
    if (chunk.length > 0) await flush();
    for (;;) {
      const s = core.spool.stats();
      if (s.lines + s.rollups === 0) break;
      if (s.deadLetters > 0) throw new Error(`${s.deadLetters} points dead-lettered while loading`);
      // stats() counts the dirty roll-ups (a scan): polled every 200 ms it took half the thread from the deliverer.
      await sleep(2000);
    }
    return { events, seconds: (performance.now() - started) / 1000, from, to };
  } finally {
    await bench.close();
  }
}
