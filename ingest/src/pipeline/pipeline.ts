import type { Db } from '../store/database.js';
import type { Enricher } from '../enrich/enrich.js';
import { identify } from '../events/identity.js';
import type { KiboticsEvent } from '../events/types.js';
import type { Pairer } from '../pairing/pairing.js';
import { buildPoints, RollupSum } from '../points/build.js';
import type { Spool } from '../spool/spool.js';
import { GroupCommit } from './group-commit.js';
import type { ActiveUsers } from './active-users.js';
import { SeenEvents } from './seen.js';
import { DiskFullError, isDiskFull } from '../store/disk-space.js';

/** The spool holds as much as it may: the caller should come back later (503 + Retry-After). */
export class SpoolFullError extends Error {
  constructor(readonly lines: number) {
    super(`the spool is full (${lines} lines wait for InfluxDB); try again later`);
  }
}

export interface Committed {
  /** Events now durably in the spool. */
  accepted: number;
  /** Events that were already accepted before (same id or same content): nothing changed for them. */
  duplicates: number;
  /** Accepted events older than the retention: counted in the roll-ups, no per-user points. */
  pastRetention: number;
}

export interface PipelineParts {
  db: Db;
  enricher: Enricher;
  pairer: Pairer;
  activeUsers: ActiveUsers;
  spool: Spool;
  /** Beyond this many waiting lines, submissions are refused (SpoolFullError). */
  spoolMaxLines: number;
  /** Raw (per-user) points older than this are not written (0: no limit); their roll-ups still are. */
  rawRetentionMs: number;
  /** Resolves once the last commit is on the disk (WalSync.sync): events are acknowledged only then. */
  durable: () => Promise<void>;
  /** Called after each commit (wakes the deliverer). */
  onCommit?: () => void;
  /** Whether DATA_DIR's disk is full now (submissions are refused without trying); told when a commit finds it full. */
  disk?: { readonly full: boolean; filled(): void };
  now?: () => number;
}

/**
 * The one way in for validated events, live or imported: enrich (the IP address ends here), then,
 * in one durable transaction per group of callers, drop repeats, pair ends with starts, and spool
 * the resulting points.
 */
export class Pipeline {
  private readonly seen: SeenEvents;
  private readonly commit: GroupCommit<KiboticsEvent[], Committed>;
  private readonly now: () => number;
  /** The roll-up additions of the group being committed: written once per bucket per commit, not once per request. */
  private groupRollups = new RollupSum();

  constructor(private readonly parts: PipelineParts) {
    this.seen = new SeenEvents(parts.db);
    this.now = parts.now ?? Date.now;
    this.commit = new GroupCommit(parts.db, (events: KiboticsEvent[]) => this.store(events), {
      beforeCommit: () => this.storeRollups(),
      durable: parts.durable,
      afterCommit: parts.onCommit,
      // Roll-up additions of work that did not commit must not reach the next group.
      afterFailure: () => (this.groupRollups = new RollupSum()),
    });
  }

  /** Resolves once every event is on disk (or known to be a repeat); rejects with SpoolFullError or DiskFullError when there is no room. */
  submit(events: KiboticsEvent[]): Promise<Committed> {
    if (events.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0, pastRetention: 0 });
    const { disk } = this.parts;
    if (disk?.full) return Promise.reject(new DiskFullError());
    const waiting = this.parts.spool.lines;
    if (waiting >= this.parts.spoolMaxLines) return Promise.reject(new SpoolFullError(waiting));
    return this.commit.submit(events).catch((err: unknown) => {
      if (!isDiskFull(err)) throw err;
      disk?.filled();
      throw new DiskFullError();
    });
  }

  private store(events: KiboticsEvent[]): Committed {
    const { enricher, pairer, activeUsers, spool, rawRetentionMs } = this.parts;
    const now = this.now();
    const oldestRaw = rawRetentionMs > 0 ? now - rawRetentionMs : -Infinity;
    let duplicates = 0;
    let pastRetention = 0;
    const anonymous: string[] = [];
    const rollups = new RollupSum();
    for (const event of events) {
      const nanos = this.seen.accept(identify(event), event.time, now);
      if (nanos === undefined) {
        duplicates++;
        continue;
      }
      const enriched = enricher.enrich(event);
      const pairing = pairer.apply(enriched);
      const points = buildPoints(enriched, nanos, pairing);
      rollups.add(points.rollups);
      if (points.anonymous) anonymous.push(...points.anonymous);
      // Personal, per-user points past their retention are not kept; the anonymous roll-ups are.
      if (event.time < oldestRaw) {
        pastRetention++;
        continue;
      }
      spool.append(points.lines, now, 'raw', points.user);
      spool.append(activeUsers.linesFor(enriched, nanos), now, 'raw', enriched.user);
    }
    this.seen.forgetOldIds(now);
    spool.append(anonymous, now, 'rollups');
    // Last, once nothing of this request can fail: a request rolled back adds nothing to the group.
    this.groupRollups.add(rollups.increments());
    return { accepted: events.length - duplicates, duplicates, pastRetention };
  }

  private storeRollups(): void {
    const sum = this.groupRollups;
    this.groupRollups = new RollupSum();
    this.parts.spool.addRollups(sum.increments(), this.now());
  }
}
