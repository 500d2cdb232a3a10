/**
 * Every setting the gateway reads, from the environment or the matching command-line flag
 * (`INFLUX_URL` ↔ `--influx-url`), validated once at start-up into one typed Config. A bad setting
 * stops start-up with a message naming it.
 */

import { resolve } from 'node:path';
import { ConfigError } from './config-error.js';
import type { InfluxTarget } from './influx/client.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  influx: InfluxTarget;
  /** Ends pair with starts at most this old; older open starts are forgotten. */
  maxOpenMs: number;
  /** Lines per write to InfluxDB. */
  batchSize: number;
  /** Bytes per write to InfluxDB (its `max-body-size` is 25 MB by default); a batch larger is sent in parts. */
  batchMaxBytes: number;
  /** How long lines may wait to fill a batch before they are written anyway. */
  flushMs: number;
  /** The longest wait between two tries of a failing write. */
  retryMaxMs: number;
  /** On SIGTERM/SIGINT: how long to keep delivering before exiting (the rest stays spooled). */
  shutdownGraceMs: number;
  /** Requests carry at most this many events. */
  maxEventsPerRequest: number;
  /** Request bodies larger than this are refused with 413. */
  maxBodyBytes: number;
  /** Bearer tokens accepted on ingest; empty: no authentication (development only). */
  ingestTokens: string[];
  /** Requests per second per source (its token, else its address); 0: no limit. */
  rateLimitRps: number;
  /** Raw lines the spool may hold before ingest answers 503. */
  spoolMaxLines: number;
  /** `on`: acknowledge once the commit is flushed to the disk; `off`: once it is in the OS's cache (safe if the gateway is killed, not if the machine loses power). */
  synchronousCommit: 'on' | 'off';
  /** How long per-user (raw) points are kept, in days (1.x: the database's default retention policy); 0: forever. Roll-ups are kept forever. */
  retentionDays: number;
  /** `plain`: user names stored as sent; `hmac`: a keyed hash of them (pseudonyms). */
  userIdMode: 'plain' | 'hmac';
  userIdSecret?: string;
  /** How often the gateway writes its own figures to InfluxDB (`gateway` measurement); 0: never. */
  statsIntervalMs: number;
  /** Addresses (or names) of the simulation servers: the only addresses `host` may hold. */
  simulationHosts: string[];
  /** Country database (MMDB); the bundled one when unset. */
  geoipDb?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export { ConfigError };

interface Setting<T> {
  env: string;
  /** The default as `--help` shows it ('' when there is none). */
  shown: string;
  /** What it means, for `--help` (the README's table says the same). */
  help: string;
  parse(raw: string | undefined): T;
}

type Source = Record<string, string | undefined>;

function text(env: string, fallback: string, help: string): Setting<string> {
  return {
    env,
    shown: fallback,
    help,
    parse(raw) {
      return raw?.trim() || fallback;
    },
  };
}

function optional(env: string, help: string, shown = ''): Setting<string | undefined> {
  return { env, shown, help, parse: (raw) => raw?.trim() || undefined };
}

// Whole decimal numbers only: Number() would also take 1e3, 0x100000, 0b1, 10.0 and -0.
const DECIMAL = /^\d+$/;

/** `raw` as a whole decimal number (surrounding spaces aside), or NaN: the one rule for every number setting and option. */
export function wholeDecimal(raw: string): number {
  const v = raw.trim();
  return DECIMAL.test(v) ? Number(v) : NaN;
}

function integer(env: string, fallback: number, min: number, max: number, help: string): Setting<number> {
  return {
    env,
    shown: String(fallback),
    help,
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return fallback;
      const n = wholeDecimal(raw);
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw new ConfigError(
          `${env} (${flagOf(env)}) must be a whole decimal number from ${min} to ${max}, got '${raw}'`
        );
      }
      return n;
    },
  };
}

function oneOf<T extends string>(env: string, fallback: T, values: readonly T[], help: string): Setting<T> {
  return {
    env,
    shown: fallback,
    help: `one of ${values.join(', ')}. ${help}`,
    parse(raw) {
      const v = (raw?.trim() || fallback) as T;
      if (!values.includes(v))
        throw new ConfigError(`${env} (${flagOf(env)}) must be one of ${values.join(', ')}, got '${raw}'`);
      return v;
    },
  };
}

function url(env: string, fallback: string, help: string): Setting<string> {
  return {
    env,
    shown: fallback,
    help,
    parse(raw) {
      const v = raw?.trim() || fallback;
      let parsed: URL;
      try {
        parsed = new URL(v);
      } catch {
        throw new ConfigError(`${env} (${flagOf(env)}) is not a URL: '${withoutCredentials(v)}'`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new ConfigError(
          `${env} (${flagOf(env)}) must be an http:// or https:// URL, got '${withoutCredentials(v)}'`
        );
      }
      return v.replace(/\/+$/, '');
    },
  };
}

/** A URL as it may be shown: `user:password@` hidden. */
const withoutCredentials = (url: string) => url.replace(/\/\/[^/@]*@/, '//…@');

/**
 * `http://user:password@host`: fetch() refuses such a URL, and it would show the password wherever
 * the URL is shown. On 1.x the credentials move to INFLUX_USER/INFLUX_PASSWORD; elsewhere, refused.
 */
function credentialsFrom(url: string, api: 'v1' | 'v2', user: string | undefined, password: string | undefined) {
  const parsed = new URL(url);
  if (!parsed.username && !parsed.password) return { url, user, password };
  const where = `INFLUX_URL (${flagOf('INFLUX_URL')}) holds credentials`;
  if (api === 'v2')
    throw new ConfigError(`${where}: InfluxDB 2.x takes a token; set INFLUX_TOKEN and remove them from the URL`);
  if (user !== undefined || password !== undefined)
    throw new ConfigError(`${where} and INFLUX_USER or INFLUX_PASSWORD is set too: keep one of them`);
  const bare = `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/+$/, '');
  return { url: bare, user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
}

export const flagOf = (env: string) => `--${env.toLowerCase().replace(/_/g, '-')}`;

/**
 * DATA_DIR's default: the package's own `data` folder (ingest/data), whatever the working directory,
 * so `npm start`, `serve` and every other command find the same state.
 */
export const DEFAULT_DATA_DIR = resolve(import.meta.dirname, '..', 'data');

/** The settings, in the order `--help` lists them: one declaration for parsing, flags and help. */
export const SETTINGS = {
  port: integer('PORT', 8080, 0, 65535, 'the port the gateway listens on (0: any free port)'),
  host: text('HOST', '0.0.0.0', 'the address the gateway listens on'),
  dataDir: text(
    'DATA_DIR',
    DEFAULT_DATA_DIR,
    "the gateway's own state: spool, pairing, roll-ups, dead letters (one SQLite file)"
  ),
  influxUrl: url('INFLUX_URL', 'http://127.0.0.1:8086', 'where InfluxDB answers'),
  influxApi: oneOf(
    'INFLUX_API',
    'v1',
    ['v1', 'v2'] as const,
    'v1: /write of InfluxDB 1.x; v2: /api/v2/write of InfluxDB 1.8+, 2.x, 3.x'
  ),
  influxDb: text('INFLUX_DB', 'kibotics', 'v1: the database (created if missing)'),
  influxRp: optional('INFLUX_RP', "v1: the retention policy written to (default: the database's)"),
  influxUser: optional('INFLUX_USER', 'v1: user name, when InfluxDB requires authentication'),
  influxPassword: optional('INFLUX_PASSWORD', 'v1: password of INFLUX_USER'),
  influxOrg: optional('INFLUX_ORG', 'v2: organisation (required with INFLUX_API=v2)'),
  influxBucket: optional('INFLUX_BUCKET', 'v2: bucket (required with INFLUX_API=v2)'),
  influxToken: optional('INFLUX_TOKEN', 'v2: API token (required with INFLUX_API=v2)'),
  influxRollupBucket: optional(
    'INFLUX_ROLLUP_BUCKET',
    'v2: the bucket for roll-ups (give it no expiry)',
    'INFLUX_BUCKET'
  ),
  maxOpenHours: integer('PAIR_MAX_HOURS', 12, 1, 24 * 7, 'an end pairs with a start at most this many hours old'),
  batchSize: integer('BATCH_SIZE', 5000, 1, 100_000, 'lines per write to InfluxDB'),
  batchMaxBytes: integer(
    'BATCH_MAX_BYTES',
    4_194_304,
    1024,
    1_073_741_824,
    "bytes per write to InfluxDB; keep it under InfluxDB's [http] max-body-size (25 MB by default)"
  ),
  flushMs: integer(
    'FLUSH_INTERVAL_MS',
    250,
    0,
    60_000,
    'how long points may wait to fill a batch before they are written anyway'
  ),
  retryMaxMs: integer(
    'RETRY_MAX_MS',
    60_000,
    100,
    3_600_000,
    'the longest wait between retries while InfluxDB is failing'
  ),
  shutdownGraceMs: integer(
    'SHUTDOWN_GRACE_MS',
    10_000,
    0,
    600_000,
    'on SIGTERM/SIGINT, how long to keep delivering before exiting'
  ),
  maxEventsPerRequest: integer('MAX_EVENTS_PER_REQUEST', 1000, 1, 100_000, 'events per request at most (413 beyond)'),
  maxBodyBytes: integer(
    'MAX_BODY_BYTES',
    1_048_576,
    1024,
    64 * 1_048_576,
    'request body size at most, in bytes (413 beyond)'
  ),
  ingestTokens: optional(
    'INGEST_TOKENS',
    'comma-separated Bearer tokens ingest requires; unset: no authentication (development only)'
  ),
  rateLimitRps: integer(
    'RATE_LIMIT_RPS',
    1000,
    0,
    1_000_000,
    'requests per second per source (its token, else its address); 0: no limit'
  ),
  spoolMaxLines: integer(
    'SPOOL_MAX_LINES',
    2_000_000,
    1,
    1_000_000_000,
    'points waiting for InfluxDB at most; beyond, ingest answers 503'
  ),
  synchronousCommit: oneOf(
    'SYNCHRONOUS_COMMIT',
    'on',
    ['on', 'off'] as const,
    "on: a 202 waits for the disk's flush; off: for the OS's cache (safe if the gateway is killed, not on power loss)"
  ),
  statsIntervalS: integer(
    'STATS_INTERVAL_S',
    10,
    0,
    86_400,
    "how often, in seconds, the gateway writes its own figures ('gateway' measurement); 0: never"
  ),
  retentionDays: integer(
    'RETENTION_DAYS',
    400,
    0,
    100_000,
    'how long per-user points are kept, in days; 0: forever (roll-ups are kept forever)'
  ),
  userIdMode: oneOf(
    'USER_ID_MODE',
    'plain',
    ['plain', 'hmac'] as const,
    'plain: user names stored as sent; hmac: a keyed pseudonym of each'
  ),
  userIdSecret: optional('USER_ID_SECRET', 'the key of USER_ID_MODE=hmac (at least 16 characters)'),
  simulationHosts: optional(
    'SIMULATION_HOSTS',
    "comma-separated addresses of the simulation servers: the only IP addresses kept in 'host' (server names are kept; other addresses, such as a child's, are dropped)"
  ),
  geoipDb: optional('GEOIP_DB', 'a country MMDB file (MaxMind GeoLite2-Country or ip-location-db layout)', 'bundled'),
  logLevel: oneOf(
    'LOG_LEVEL',
    'info',
    ['debug', 'info', 'warn', 'error', 'silent'] as const,
    'JSON logs on stdout at this level and above'
  ),
};

/** Every setting with its flag, default and meaning, for `--help`. */
export function settingsHelp(): string {
  return Object.values(SETTINGS)
    .map((s) => `  ${flagOf(s.env)}, ${s.env}${s.shown ? ` (default: ${s.shown})` : ''}\n      ${s.help}`)
    .join('\n');
}

/** The settings as command-line options, for node:util parseArgs (`--influx-url` ↔ INFLUX_URL). */
export function configOptions(): Record<string, { type: 'string' }> {
  return Object.fromEntries(Object.values(SETTINGS).map((s) => [flagOf(s.env).slice(2), { type: 'string' as const }]));
}

/** The parsed option values that are settings, under their environment names. */
export function settingsFromOptions(values: Record<string, unknown>): Source {
  const out: Source = {};
  for (const s of Object.values(SETTINGS)) {
    const v = values[flagOf(s.env).slice(2)];
    if (typeof v === 'string') out[s.env] = v;
  }
  return out;
}

function userIds(mode: 'plain' | 'hmac', secret: string | undefined): Pick<Config, 'userIdMode' | 'userIdSecret'> {
  if (mode === 'hmac' && (secret === undefined || secret.length < 16)) {
    throw new ConfigError(
      'USER_ID_SECRET (--user-id-secret) must be set, at least 16 characters, when USER_ID_MODE=hmac'
    );
  }
  return { userIdMode: mode, userIdSecret: mode === 'hmac' ? secret : undefined };
}

function tokens(raw: string | undefined): string[] {
  if (raw === undefined) return [];
  const list = raw
    .split(',')
    .map((t) => t.trim())
    .filter(Boolean);
  // INGEST_TOKENS=',' must not switch authentication off without a word.
  if (list.length === 0)
    throw new ConfigError(
      `INGEST_TOKENS (--ingest-tokens) holds no token ('${raw}'): give comma-separated tokens, or leave it unset for no authentication`
    );
  return list;
}

export function loadConfig(env: Source = process.env, flags: Source = {}): Config {
  const source: Source = { ...env, ...flags };
  const read = <T>(s: Setting<T>) => s.parse(source[s.env]);
  const api = read(SETTINGS.influxApi);
  const target = credentialsFrom(
    read(SETTINGS.influxUrl),
    api,
    read(SETTINGS.influxUser),
    read(SETTINGS.influxPassword)
  );
  const influxUrl = target.url;
  let influx: InfluxTarget;
  if (api === 'v1') {
    influx = {
      api,
      url: influxUrl,
      database: read(SETTINGS.influxDb),
      retentionPolicy: read(SETTINGS.influxRp),
      username: target.user,
      password: target.password,
    };
  } else {
    const need = (s: Setting<string | undefined>) => {
      const v = read(s);
      if (v === undefined) throw new ConfigError(`${s.env} (${flagOf(s.env)}) is required when INFLUX_API=v2`);
      return v;
    };
    const bucket = need(SETTINGS.influxBucket);
    influx = {
      api,
      url: influxUrl,
      org: need(SETTINGS.influxOrg),
      bucket,
      rollupBucket: read(SETTINGS.influxRollupBucket) ?? bucket,
      token: need(SETTINGS.influxToken),
    };
  }
  return {
    port: read(SETTINGS.port),
    host: read(SETTINGS.host),
    dataDir: read(SETTINGS.dataDir),
    influx,
    maxOpenMs: read(SETTINGS.maxOpenHours) * 3_600_000,
    batchSize: read(SETTINGS.batchSize),
    batchMaxBytes: read(SETTINGS.batchMaxBytes),
    flushMs: read(SETTINGS.flushMs),
    retryMaxMs: read(SETTINGS.retryMaxMs),
    shutdownGraceMs: read(SETTINGS.shutdownGraceMs),
    maxEventsPerRequest: read(SETTINGS.maxEventsPerRequest),
    maxBodyBytes: read(SETTINGS.maxBodyBytes),
    ingestTokens: tokens(read(SETTINGS.ingestTokens)),
    rateLimitRps: read(SETTINGS.rateLimitRps),
    spoolMaxLines: read(SETTINGS.spoolMaxLines),
    synchronousCommit: read(SETTINGS.synchronousCommit),
    statsIntervalMs: read(SETTINGS.statsIntervalS) * 1000,
    retentionDays: read(SETTINGS.retentionDays),
    ...userIds(read(SETTINGS.userIdMode), read(SETTINGS.userIdSecret)),
    simulationHosts: (read(SETTINGS.simulationHosts) ?? '')
      .split(',')
      .map((h) => h.trim())
      .filter(Boolean),
    geoipDb: read(SETTINGS.geoipDb),
    logLevel: read(SETTINGS.logLevel),
  };
}
