import { generateDemo, liveDemo, type RawEvent } from '../demo/index.js';
import { openCore, type Core } from '../gateway.js';
import { createLogger } from '../log.js';
import { parseCommand, wholeNumber } from './args.js';
import { httpSink, pipelineSink, type EventSink } from './sinks.js';

export const DEMO_USAGE = `kibotics-analytics demo [--days 90] [--users 300] [--seed 1] [--live] [--gateway URL [--token T]]
    Realistic Kibotics traffic: months of history, then (--live) events in real time so dashboards move.
    Without --gateway it writes through its own pipeline on DATA_DIR; with it, it posts like Kibotics does.`;

// The gateway's default MAX_EVENTS_PER_REQUEST: a larger batch would be split on 413 anyway.
const BATCH = 1000;

export async function demo(argv: string[], out: NodeJS.WritableStream = process.stdout): Promise<number> {
  const { values, config } = parseCommand(argv, {
    days: { type: 'string' },
    users: { type: 'string' },
    seed: { type: 'string' },
    live: { type: 'boolean' },
    gateway: { type: 'string' },
    token: { type: 'string' },
  });
  const days = wholeNumber('days', values.days, 90, 0);
  const users = wholeNumber('users', values.users, 300, 1);
  const seed = wholeNumber('seed', values.seed, 1, 0);
  const cfg = config();
  const say = (msg: string) => out.write(`demo: ${msg}\n`);

  let core: Core | undefined;
  let sink: EventSink;
  if (values.gateway) {
    sink = httpSink(values.gateway as string, (values.token as string | undefined) ?? process.env.INGEST_TOKEN, say);
  } else {
    core = openCore(cfg, createLogger(cfg.logLevel === 'info' ? 'warn' : cfg.logLevel, process.stderr));
    core.deliverer.start();
    sink = pipelineSink(core);
  }

  try {
    const end = Date.now();
    const started = Date.now();
    let sent = 0;
    let stored = 0;
    let batch: RawEvent[] = [];
    const flush = async () => {
      if (batch.length === 0) return;
      stored += await sink.send(batch);
      sent += batch.length;
      batch = [];
    };
    if (days > 0) {
      for (const event of generateDemo({ days, users, seed, end })) {
        batch.push(event);
        if (batch.length >= BATCH) await flush();
      }
      await flush();
      say(
        `${sent} events over ${days} days for ${users} users (seed ${seed}), ${stored} new, in ${((Date.now() - started) / 1000).toFixed(1)} s`
      );
    }
    if (core) await waitForDelivery(core, say);
    if (!values.live) return 0;

    say('live: sending events as they happen (Ctrl-C to stop)');
    let stop = false;
    process.once('SIGINT', () => (stop = true));
    process.once('SIGTERM', () => (stop = true));
    for (const event of liveDemo({ users, seed, start: end })) {
      while (!stop && event.time > Date.now()) {
        await flush();
        await new Promise((r) => setTimeout(r, Math.min(1000, event.time - Date.now())));
      }
      if (stop) break;
      batch.push(event);
    }
    await flush();
    return 0;
  } finally {
    if (core) {
      await core.deliverer.stop(Date.now() + 5000);
      await core.close();
    }
  }
}

async function waitForDelivery(core: Core, say: (msg: string) => void): Promise<void> {
  const deadline = Date.now() + 120_000;
  for (;;) {
    const s = core.spool.stats();
    if (s.lines + s.rollups === 0) return;
    if (Date.now() > deadline) {
      say(`${s.lines + s.rollups} points still wait for InfluxDB; the next serve on this DATA_DIR delivers them`);
      return;
    }
    await new Promise((r) => setTimeout(r, 200));
  }
}
