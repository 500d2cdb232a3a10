import type { Db } from '../store/database.js';
import type { Enricher } from '../enrich/enrich.js';
import { identify } from '../events/identity.js';
import type { KiboticsEvent } from '../events/types.js';
import type { Pairer } from '../pairing/pairing.js';
import { buildPoints } from '../points/build.js';
import type { Spool } from '../spool/spool.js';
import { GroupCommit } from './group-commit.js';
import { ActiveUsers } from './active-users.js';
import { SeenEvents } from './seen.js';

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
}

/**
 * The one way in for validated events, live or imported: enrich (the IP address ends here), then,
 * in one durable transaction per group of callers, drop repeats, pair ends with starts, and spool
 * the resulting points.
 */
export class Pipeline {
  private readonly seen: SeenEvents;
  private readonly activeUsers: ActiveUsers;
  private readonly commit: GroupCommit<KiboticsEvent[], Committed>;

  constructor(
    db: Db,
    private readonly enricher: Enricher,
    private readonly pairer: Pairer,
    private readonly spool: Spool,
    private readonly spoolMaxLines: number,
    onCommit: () => void = () => {},
    private readonly now: () => number = Date.now,
  ) {
    this.seen = new SeenEvents(db);
    this.activeUsers = new ActiveUsers(db);
    this.commit = new GroupCommit(db, (groups) => groups.map((events) => this.store(events)), onCommit);
  }

  /** Resolves once every event is on disk (or known to be a repeat); rejects with SpoolFullError when there is no room. */
  submit(events: KiboticsEvent[]): Promise<Committed> {
    if (events.length === 0) return Promise.resolve({ accepted: 0, duplicates: 0 });
    const waiting = this.spool.lines;
    if (waiting >= this.spoolMaxLines) return Promise.reject(new SpoolFullError(waiting));
    return this.commit.submit(events);
  }

  private store(events: KiboticsEvent[]): Committed {
    const now = this.now();
    let duplicates = 0;
    for (const event of events) {
      const identity = identify(event);
      if (!this.seen.firstTime(identity, event.time)) {
        duplicates++;
        continue;
      }
      const enriched = this.enricher.enrich(event);
      const pairing = this.pairer.apply(enriched);
      const points = buildPoints(enriched, identity, pairing);
      const active = this.activeUsers.lineFor(enriched);
      this.spool.append(active === undefined ? points.lines : [...points.lines, active], points.rollups, now);
    }
    return { accepted: events.length - duplicates, duplicates };
  }
}
