import { createServer, type RequestListener, type Server } from 'node:http';
import type { Config } from './config.js';
import { Deliverer } from './deliver/deliverer.js';
import { InfluxClient } from './influx/client.js';
import { HostPolicy } from './enrich/addresses.js';
import { openCountryLookup } from './enrich/country.js';
import { Enricher } from './enrich/enrich.js';
import { userIds, type UserIds } from './enrich/pseudonym.js';
import { UserAgentParser } from './enrich/user-agent.js';
import { createApp } from './http/app.js';
import { GatewayMetrics } from './metrics/metrics.js';
import { StatsWriter } from './metrics/stats-writer.js';
import type { Logger } from './log.js';
import { Pairer } from './pairing/pairing.js';
import { ActiveUsers } from './pipeline/active-users.js';
import { Accept } from './pipeline/accept.js';
import { Housekeeping } from './pipeline/housekeeping.js';
import { Pipeline } from './pipeline/pipeline.js';
import { PendingErasures } from './privacy/erasures.js';
import type { ForgetParts } from './privacy/forget.js';
import { Spool } from './spool/spool.js';
import { openDatabase, type Db, type StoreOptions } from './store/database.js';
import { DiskSpace, isDiskFull } from './store/disk-space.js';
import { WalSync } from './store/wal-sync.js';
import { systemClock, type Clock } from './time/clock.js';

/** How long an outage lasts before /healthz calls the gateway degraded. */
const DEGRADED_AFTER_MS = 30_000;
/** The share of SPOOL_MAX_LINES past which /healthz warns that the spool is filling. */
const FILLING = 0.8;
/** How often open starts and active-user marks are pruned (their limits are hours and days). */
const HOUSEKEEPING_MS = 3_600_000;

export interface Gateway {
  /** The port actually bound (PORT=0 picks a free one). */
  port: number;
  /** Stops accepting, delivers what it can within `graceMs`, closes the store. */
  close(graceMs?: number): Promise<void>;
}

/** What delivering a DATA_DIR's spool needs (`salvage`): the store, InfluxDB and the deliverer. */
export interface Delivery {
  db: Db;
  metrics: GatewayMetrics;
  spool: Spool;
  influx: InfluxClient;
  /** Flushes commits to the disk (the pipeline acknowledges after it). */
  walSync: WalSync;
  deliverer: Deliverer;
  /** Whether DATA_DIR's disk has room (new events are refused while it is full). */
  disk: DiskSpace;
  /** Erasures in InfluxDB that `forget` left pending; the deliverer completes them first. */
  erasures: PendingErasures;
  /** Closes the store (stop the deliverer first). */
  close(): Promise<void>;
}

/** The parts shared by `serve` and the commands that take events in (import, demo): delivery and the way in. */
export interface Core extends Delivery {
  pairer: Pairer;
  activeUsers: ActiveUsers;
  /** The one way in for events (the pipeline behind it is not handed out): validate, submit, count. */
  accept: Accept;
  /** How user names are stored (as sent, or pseudonyms). */
  userIds: UserIds;
}

/** The InfluxDB of these settings: all that the commands reading or writing InfluxDB alone need. */
export function openInflux(config: Config): InfluxClient {
  return new InfluxClient(config.influx, config.retentionDays);
}

/** How these settings store user names (as sent, or pseudonyms): no state needed. */
export function userIdsOf(config: Config): UserIds {
  return userIds(config.userIdMode, config.userIdSecret);
}

/**
 * What erasure reaches (`forget`): the gateway's state and InfluxDB. No enricher (so no GEOIP_DB),
 * metrics, deliverer or disk reserve: a running gateway on the same DATA_DIR does the delivering.
 */
export interface ErasureParts extends ForgetParts {
  userIds: UserIds;
  /** Closes the store. */
  close(): Promise<void>;
}

export function openErasure(config: Config): ErasureParts {
  const db = openDatabase(config.dataDir);
  const walSync = new WalSync(db);
  return {
    db,
    influx: openInflux(config),
    spool: new Spool(db),
    pairer: new Pairer(db, config.maxOpenMs),
    activeUsers: new ActiveUsers(db),
    walSync,
    erasures: new PendingErasures(db),
    userIds: userIdsOf(config),
    async close() {
      await walSync.close();
      db.close();
    },
  };
}

/**
 * The store, InfluxDB and the deliverer, without the enricher (no GEOIP_DB) or the pipeline.
 * `store`: the SQLite file's options beyond the settings (StoreOptions: for the bench's measurements).
 */
export function openDelivery(config: Config, log: Logger, store: StoreOptions = {}): Delivery {
  let opened: Db | undefined;
  const disk = new DiskSpace(
    config.dataDir,
    () => opened,
    (full) => {
      if (full)
        log.error(
          { dataDir: config.dataDir },
          'the disk holding DATA_DIR is full: new events are refused (507) until there is room; delivery goes on'
        );
      else log.info({ dataDir: config.dataDir }, 'DATA_DIR has room again: accepting events');
    }
  );
  const db = openDatabaseOnFullDisk(config.dataDir, disk, store);
  opened = db;
  disk.reserve();
  const spool = new Spool(db);
  const metrics = new GatewayMetrics(spool);
  const counted = metrics.observer();
  const influx = openInflux(config);
  let lastWarned = 0;
  const pending = new PendingErasures(db);
  const erasures = {
    get size() {
      return pending.size;
    },
    complete: () => pending.complete(influx),
  };
  const deliverer = new Deliverer(
    spool,
    influx,
    {
      batchSize: config.batchSize,
      batchMaxBytes: config.batchMaxBytes,
      flushMs: config.flushMs,
      retryMaxMs: config.retryMaxMs,
      erasures,
    },
    {
      written: counted.written,
      retrying(err, waitMs, failures) {
        counted.retrying?.(err, waitMs, failures);
        // An outage of hours would otherwise log a line per retry: warn on the first, then once a minute.
        const now = Date.now();
        const level = failures === 1 || now - lastWarned > 60_000 ? 'warn' : 'debug';
        if (level === 'warn') lastWarned = now;
        log[level](
          { error: err.message, status: err.status, waitMs, failures },
          'InfluxDB write failed; events wait in the spool'
        );
      },
      expired(err) {
        counted.expired?.(err);
        log.warn(
          { dropped: err.dropped, error: err.message },
          'InfluxDB dropped points older than its retention policy: they are not stored (see RETENTION_DAYS, README "Importing history")'
        );
      },
      diskFull: () => disk.filled(),
      recovered: (since) => log.info({ outageMs: Date.now() - since }, 'InfluxDB writes succeed again'),
      deadLettered(line, err) {
        counted.deadLettered?.(line, err);
        log.error({ error: err.message, status: err.status }, 'InfluxDB refused a point; moved to dead letters');
      },
    }
  );
  const walSync = new WalSync(db);
  return {
    db,
    metrics,
    spool,
    influx,
    deliverer,
    walSync,
    erasures: pending,
    disk,
    async close() {
      disk.stop();
      await walSync.close();
      db.close();
    },
  };
}

/** Delivery and the way in for events. `clock`: the gateway's (tests move it by hand). */
export function openCore(config: Config, log: Logger, store: StoreOptions = {}, clock: Clock = systemClock): Core {
  const delivery = openDelivery(config, log, store);
  const { db, spool, metrics, walSync, deliverer, disk } = delivery;
  const ids = userIdsOf(config);
  const enricher = new Enricher(
    new UserAgentParser(),
    openCountryLookup(config.geoipDb),
    ids,
    new HostPolicy(config.simulationHosts)
  );
  const pairer = new Pairer(db, config.maxOpenMs, clock.now);
  const activeUsers = new ActiveUsers(db);
  const pipeline = new Pipeline({
    db,
    enricher,
    pairer,
    activeUsers,
    spool,
    spoolMaxLines: config.spoolMaxLines,
    rawRetentionMs: config.retentionDays * 86_400_000,
    // SYNCHRONOUS_COMMIT=off: the commit is in the WAL file (the OS's cache) when it returns; that is all it waits for.
    durable: config.synchronousCommit === 'on' ? () => walSync.sync() : () => Promise.resolve(),
    onCommit: () => deliverer.notify(),
    disk,
  });
  const accept = new Accept({ submit: (events) => pipeline.submit(events), counters: metrics, now: Date.now });
  return { ...delivery, pairer, activeUsers, accept, userIds: ids };
}

/** The accept use case of a dry run (`import --dry-run`): it validates and counts, and stores nothing. */
export function dryRunAccept(): Accept {
  return new Accept({ now: Date.now });
}

export async function startGateway(config: Config, log: Logger, clock: Clock = systemClock): Promise<Gateway> {
  const core = openCore(config, log, {}, clock);
  const { spool, influx, deliverer } = core;

  const health = async () => {
    const delivery = deliverer.status();
    const stats = spool.stats();
    const reachable = await influx.ping();
    const failingFor = delivery.failingSince === undefined ? 0 : Date.now() - delivery.failingSince;
    const filling = stats.lines >= FILLING * config.spoolMaxLines;
    const degraded = !reachable || failingFor > DEGRADED_AFTER_MS || filling || core.disk.full;
    return {
      status: degraded ? ('degraded' as const) : ('ok' as const),
      influxdb: {
        url: config.influx.url,
        reachable,
        last_success: iso(delivery.lastSuccessAt),
        failing_since: iso(delivery.failingSince),
        last_error: delivery.lastError,
      },
      disk: { full: core.disk.full, full_since: iso(core.disk.fullSince) },
      spool: {
        lines: stats.lines,
        max_lines: config.spoolMaxLines,
        rollups: stats.rollups,
        dead_letters: stats.deadLetters,
        pending_erasures: core.erasures.size,
        oldest_age_s:
          stats.oldestEnqueuedAt === undefined ? 0 : Math.round((Date.now() - stats.oldestEnqueuedAt) / 1000),
      },
    };
  };

  const app = createApp({
    accept: core.accept,
    metrics: core.metrics,
    health,
    ingestTokens: config.ingestTokens,
    rateLimitRps: config.rateLimitRps,
    maxBodyBytes: config.maxBodyBytes,
    maxEventsPerRequest: config.maxEventsPerRequest,
    log,
  });
  const stats = new StatsWriter(core.metrics, spool, () => deliverer.status(), config.statsIntervalMs);
  const housekeeping = new Housekeeping(core, clock.now, {
    openStartsPruned(count) {
      core.metrics.openStartsPruned.inc(count);
      log[count > 0 ? 'info' : 'debug'](
        { count, pairMaxHours: config.maxOpenMs / 3_600_000 },
        'forgot open starts too old to pair; their ends, if they come without started_at, are written without a duration'
      );
    },
  });
  const stopHousekeeping = clock.every(HOUSEKEEPING_MS, () => housekeeping.run());
  let server: Server;
  try {
    server = await listen(app, config.port, config.host);
  } catch (err) {
    stopHousekeeping();
    await core.close();
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : config.port;
  log.info({ port, dataDir: config.dataDir, influx: config.influx.url, api: config.influx.api }, 'gateway listening');
  if (config.ingestTokens.length === 0)
    log.warn('INGEST_TOKENS is unset: ingest accepts requests without authentication (development only)');

  // Listening comes first: a hung or absent InfluxDB must not keep clients from spooling events.
  // Delivery starts once the database is prepared, or once preparing it failed (the deliverer then
  // prepares it again itself when a write says it is missing).
  let closed = false;
  void influx
    .ensureDatabase()
    .catch((err: Error) =>
      log.warn(
        { error: err.message },
        'could not prepare the database and its retention policies (InfluxDB down, or a user without admin rights); events wait in the spool until writes succeed'
      )
    )
    .then(() => {
      if (closed) return;
      deliverer.start();
      stats.start();
    });

  return {
    port,
    async close(graceMs = 10_000) {
      const deadline = Date.now() + graceMs;
      closed = true;
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      stats.stop();
      stopHousekeeping();
      await stats.write().catch(() => undefined); // the last figures, delivered now or after the next start
      await deliverer.stop(deadline);
      await core.close();
    },
  };
}

/** Opens the store; on a disk too full even for that (its WAL and shared-memory files), gives the reserve up first. */
function openDatabaseOnFullDisk(dataDir: string, disk: DiskSpace, options: StoreOptions): Db {
  try {
    return openDatabase(dataDir, options);
  } catch (err) {
    if (!isDiskFull(err) || !disk.release()) throw err;
    const db = openDatabase(dataDir, options);
    disk.filled();
    return db;
  }
}

/** Listens, or fails with the address in the message (Express's listen() would call back as if it listened). */
export class ListenError extends Error {}

function listen(app: RequestListener, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(app);
    server.once('error', (err: NodeJS.ErrnoException) => {
      const reason =
        err.code === 'EADDRINUSE'
          ? 'the address is already in use (another gateway, or another program: stop it or set PORT/HOST)'
          : err.code === 'EACCES'
            ? 'permission denied (ports under 1024 need privileges: set PORT)'
            : err.message;
      reject(new ListenError(`cannot listen on ${host.includes(':') ? `[${host}]` : host}:${port}: ${reason}`));
    });
    server.listen(port, host, () => resolve(server));
  });
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
