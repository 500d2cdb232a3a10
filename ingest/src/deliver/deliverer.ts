import type { Batch, Spool } from '../spool/spool.js';
import type { RollupBucket } from '../spool/rollups.js';
import { Backoff } from './backoff.js';
import type { InfluxClient } from '../influx/client.js';
import type { Destination } from '@kibotics/schema';
import { BeyondRetention, InfluxError } from '../influx/errors.js';
import { isDiskFull } from '../store/disk-space.js';

/** What the deliverer reports as it works (metrics and logs listen here). */
export interface DeliveryObserver {
  written?(lines: number, ms: number): void;
  /** `failures`: how many tries in a row have failed, this one included. */
  retrying?(error: InfluxError, waitMs: number, failures: number): void;
  /** Recording a delivery found DATA_DIR's disk full (the batch is sent again later). */
  diskFull?(error: Error): void;
  /** Writes succeed again after failing since `since`. */
  recovered?(since: number): void;
  deadLettered?(line: string, error: InfluxError): void;
  /** InfluxDB dropped `error.dropped` points older than its retention policy (raw points at the edge of RETENTION_DAYS). */
  expired?(error: BeyondRetention): void;
}

export interface DeliveryStatus {
  /** Whether the last attempt reached InfluxDB (undefined before the first). */
  reachable?: boolean;
  lastSuccessAt?: number;
  /** Since when writes have been failing, if they are. */
  failingSince?: number;
  lastError?: string;
}

/** Work that must reach InfluxDB before any further batch (erasures `forget` left pending). */
export interface PendingWork {
  readonly size: number;
  /** Throws the client's InfluxError when InfluxDB cannot take it yet. */
  complete(): Promise<unknown>;
}

export interface DeliveryOptions {
  erasures?: PendingWork;
  /** Lines per write. */
  batchSize: number;
  /** Bytes per write: a batch larger is written in parts (InfluxDB refuses a body over its max-body-size with 413). */
  batchMaxBytes: number;
  /** How long a batch that is not full waits for more lines before it is written anyway. */
  flushMs: number;
  /** The longest wait between two tries of a failing write. */
  retryMaxMs: number;
}

interface Entry {
  line: string;
  destination: Destination;
  seq?: number;
  /** A roll-up bucket's point: its dead letter names the bucket, so a replay sends the bucket's totals of that moment. */
  bucket?: RollupBucket;
}

/**
 * Moves the spool into InfluxDB, oldest first, one batch at a time. A batch leaves the spool only
 * after InfluxDB answered 2xx; outages are waited out with backoff for as long as they last. When
 * InfluxDB refuses a batch (400), the batch is halved until the refused lines are found: those go
 * to the dead letters, the rest is written (re-sending a point InfluxDB already stored overwrites it
 * with itself, so halving never double-counts). Writes are bounded in bytes too; a request InfluxDB
 * still finds too large (413, a smaller max-body-size) is halved the same way, down to one point.
 */
export class Deliverer {
  private running = false;
  private draining = false;
  private loop?: Promise<void>;
  private wake?: () => void;
  private readonly backoff: Backoff;
  private readonly state: DeliveryStatus = {};

  private readonly batchSize: number;
  private readonly batchMaxBytes: number;
  private readonly flushMs: number;
  private readonly erasures?: PendingWork;

  constructor(
    private readonly spool: Spool,
    private readonly influx: InfluxClient,
    options: DeliveryOptions,
    private readonly observer: DeliveryObserver = {},
    private readonly now: () => number = Date.now
  ) {
    this.batchSize = options.batchSize;
    this.batchMaxBytes = options.batchMaxBytes;
    this.flushMs = options.flushMs;
    this.erasures = options.erasures;
    this.backoff = new Backoff(200, options.retryMaxMs);
  }

  start(): void {
    if (this.running) return;
    this.running = true;
    this.loop = this.run();
  }

  /** New data is in the spool: stop idling (but not lingering: that waits for more on purpose). */
  notify(): void {
    if (!this.lingering) this.wake?.();
  }

  private lingering = false;

  /** Stops after delivering what it can before `deadline` (epoch ms); what is left waits in the spool for the next start. */
  async stop(deadline: number): Promise<void> {
    this.draining = true;
    this.drainDeadline = deadline;
    this.running = false;
    this.wake?.();
    if (!this.loop) return;
    await Promise.race([this.loop, sleep(Math.max(0, deadline - this.now()))]);
  }

  private drainDeadline = Infinity;

  status(): DeliveryStatus {
    return { ...this.state };
  }

  private async run(): Promise<void> {
    let preparedAt = -Infinity;
    for (;;) {
      if (!this.running && (!this.draining || this.now() >= this.drainDeadline)) return;
      // Under light load, let a batch fill for a moment: one write (and one spool update) per flush
      // interval instead of one per request, which would keep the request thread busy for little.
      if (this.running && this.flushMs > 0 && this.spool.lines < this.batchSize) {
        this.lingering = true;
        await this.idle(this.flushMs); // stop() still wakes it
        this.lingering = false;
      }
      // A pending erasure goes first, and the batch is claimed after it: `forget` took the user's lines
      // out of the spool before recording it, so nothing written from here on can bring them back.
      const erasing = (this.erasures?.size ?? 0) > 0;
      const batch = erasing ? { lines: [], rollups: [] } : this.spool.claim(this.batchSize);
      if (!erasing && batch.lines.length === 0 && batch.rollups.length === 0) {
        if (!this.running) return; // drained
        await this.idle(1000);
        continue;
      }
      try {
        if (erasing) await this.erasures!.complete();
        const entries = entriesOf(batch);
        for (const destination of ['raw', 'rollups'] as const) {
          const part = entries.filter((e) => e.destination === destination);
          for (const request of byteBounded(part, this.batchMaxBytes)) await this.send(request, destination);
        }
        this.spool.delivered(batch);
        this.backoff.reset();
        this.state.reachable = true;
        this.state.lastSuccessAt = this.now();
        if (this.state.failingSince !== undefined) this.observer.recovered?.(this.state.failingSince);
        this.state.failingSince = undefined;
      } catch (err) {
        if (isDiskFull(err)) {
          // InfluxDB has the batch but the spool could not record it: send it again once there is
          // room (InfluxDB stores a point written twice once).
          this.state.lastError = `recording the delivery: ${(err as Error).message}`;
          this.observer.diskFull?.(err as Error);
          if (!this.running) return;
          await this.idle(this.backoff.next());
          continue;
        }
        if (!(err instanceof InfluxError)) throw err;
        this.state.reachable = err.status !== undefined;
        this.state.failingSince ??= this.now();
        this.state.lastError = err.message;
        if (!this.running) return; // shutting down: the spool keeps the batch
        // InfluxDB lost (or never had) the database or its roll-up policy: prepare them again, at
        // most once a minute, then retry at once.
        if (err.retry === 'prepare' && this.now() - preparedAt > 60_000) {
          preparedAt = this.now();
          await this.influx.ensureDatabase().catch(() => undefined);
          continue;
        }
        const wait = this.backoff.next(err.retryAfterMs);
        this.observer.retrying?.(err, wait, this.backoff.failures);
        await this.idle(wait);
      }
    }
  }

  private async send(entries: Entry[], destination: Destination): Promise<void> {
    const started = this.now();
    try {
      await this.influx.write(entries.map((e) => e.line).join('\n'), destination);
      this.observer.written?.(entries.length, this.now() - started);
    } catch (err) {
      // Points past the retention policy are dropped by InfluxDB by design, the rest were written.
      if (err instanceof BeyondRetention) {
        this.observer.written?.(Math.max(0, entries.length - err.dropped), this.now() - started);
        this.observer.expired?.(err);
        return;
      }
      if (!(err instanceof InfluxError) || err.retry !== 'split') throw err;
      if (entries.length === 1) {
        const [entry] = entries as [Entry];
        this.spool.deadLetter(entry.line, destination, entry.seq, err.status, err.message, this.now(), entry.bucket);
        this.observer.deadLettered?.(entry.line, err);
        return;
      }
      const half = Math.ceil(entries.length / 2);
      await this.send(entries.slice(0, half), destination);
      await this.send(entries.slice(half), destination);
    }
  }

  private idle(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wake = done;
    });
  }
}

function entriesOf(batch: Batch): Entry[] {
  return [
    ...batch.lines.map((l) => ({ line: l.line, seq: l.seq, destination: l.destination })),
    ...batch.rollups.map((r) => ({
      line: r.line,
      destination: 'rollups' as const,
      bucket: { measurement: r.measurement, tags: r.tags, bucket: r.bucket },
    })),
  ];
}

/** Consecutive runs of entries, each at most `maxBytes` of line protocol (a longer line alone). */
function byteBounded(entries: Entry[], maxBytes: number): Entry[][] {
  const requests: Entry[][] = [];
  let start = 0;
  let bytes = 0;
  for (let i = 0; i < entries.length; i++) {
    const size = Buffer.byteLength(entries[i]!.line) + 1; // the newline
    if (i > start && bytes + size > maxBytes) {
      requests.push(entries.slice(start, i));
      start = i;
      bytes = 0;
    }
    bytes += size;
  }
  if (start < entries.length) requests.push(entries.slice(start));
  return requests;
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
