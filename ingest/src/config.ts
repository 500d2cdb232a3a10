/**
 * Every setting the gateway reads, from the environment or the matching command-line flag
 * (`INFLUX_URL` ↔ `--influx-url`), validated once at start-up into one typed Config. A bad setting
 * stops start-up with a message naming it.
 */

export type InfluxTarget =
  | { api: 'v1'; url: string; database: string; retentionPolicy?: string; username?: string; password?: string }
  | { api: 'v2'; url: string; org: string; bucket: string; rollupBucket: string; token: string };

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
  /** Country database (MMDB); the bundled one when unset. */
  geoipDb?: string;
  logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
}

export class ConfigError extends Error {}

interface Setting<T> {
  env: string;
  describe: string;
  parse(raw: string | undefined): T;
}

type Source = Record<string, string | undefined>;

function text(env: string, fallback?: string): Setting<string> {
  return {
    env,
    describe: 'text',
    parse(raw) {
      const v = raw?.trim() || fallback;
      if (v === undefined) throw new ConfigError(`${env} (${flagOf(env)}) is required`);
      return v;
    },
  };
}

function optional(env: string): Setting<string | undefined> {
  return { env, describe: 'text', parse: (raw) => raw?.trim() || undefined };
}

function integer(env: string, fallback: number, min: number, max: number): Setting<number> {
  return {
    env,
    describe: 'integer',
    parse(raw) {
      if (raw === undefined || raw.trim() === '') return fallback;
      const n = Number(raw);
      if (!Number.isInteger(n) || n < min || n > max) {
        throw new ConfigError(`${env} (${flagOf(env)}) must be a whole number from ${min} to ${max}, got '${raw}'`);
      }
      return n;
    },
  };
}

function oneOf<T extends string>(env: string, fallback: T, values: readonly T[]): Setting<T> {
  return {
    env,
    describe: values.join('|'),
    parse(raw) {
      const v = (raw?.trim() || fallback) as T;
      if (!values.includes(v)) throw new ConfigError(`${env} (${flagOf(env)}) must be one of ${values.join(', ')}, got '${raw}'`);
      return v;
    },
  };
}

function url(env: string, fallback: string): Setting<string> {
  return {
    env,
    describe: 'URL',
    parse(raw) {
      const v = raw?.trim() || fallback;
      let parsed: URL;
      try {
        parsed = new URL(v);
      } catch {
        throw new ConfigError(`${env} (${flagOf(env)}) is not a URL: '${withoutCredentials(v)}'`);
      }
      if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') {
        throw new ConfigError(`${env} (${flagOf(env)}) must be an http:// or https:// URL, got '${withoutCredentials(v)}'`);
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
  if (api === 'v2') throw new ConfigError(`${where}: InfluxDB 2.x takes a token; set INFLUX_TOKEN and remove them from the URL`);
  if (user !== undefined || password !== undefined) throw new ConfigError(`${where} and INFLUX_USER or INFLUX_PASSWORD is set too: keep one of them`);
  const bare = `${parsed.protocol}//${parsed.host}${parsed.pathname}`.replace(/\/+$/, '');
  return { url: bare, user: decodeURIComponent(parsed.username), password: decodeURIComponent(parsed.password) };
}

export const flagOf = (env: string) => `--${env.toLowerCase().replace(/_/g, '-')}`;

/** The settings, in the order `--help` lists them. */
export const SETTINGS = {
  port: integer('PORT', 8080, 0, 65535),
  host: text('HOST', '0.0.0.0'),
  dataDir: text('DATA_DIR', './data'),
  influxUrl: url('INFLUX_URL', 'http://127.0.0.1:8086'),
  influxApi: oneOf('INFLUX_API', 'v1', ['v1', 'v2'] as const),
  influxDb: text('INFLUX_DB', 'kibotics'),
  influxRp: optional('INFLUX_RP'),
  influxUser: optional('INFLUX_USER'),
  influxPassword: optional('INFLUX_PASSWORD'),
  influxOrg: optional('INFLUX_ORG'),
  influxBucket: optional('INFLUX_BUCKET'),
  influxToken: optional('INFLUX_TOKEN'),
  influxRollupBucket: optional('INFLUX_ROLLUP_BUCKET'),
  maxOpenHours: integer('PAIR_MAX_HOURS', 12, 1, 24 * 7),
  batchSize: integer('BATCH_SIZE', 5000, 1, 100_000),
  batchMaxBytes: integer('BATCH_MAX_BYTES', 4_194_304, 1024, 1_073_741_824),
  flushMs: integer('FLUSH_INTERVAL_MS', 250, 0, 60_000),
  retryMaxMs: integer('RETRY_MAX_MS', 60_000, 100, 3_600_000),
  shutdownGraceMs: integer('SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  maxEventsPerRequest: integer('MAX_EVENTS_PER_REQUEST', 1000, 1, 100_000),
  maxBodyBytes: integer('MAX_BODY_BYTES', 1_048_576, 1024, 64 * 1_048_576),
  ingestTokens: optional('INGEST_TOKENS'),
  rateLimitRps: integer('RATE_LIMIT_RPS', 1000, 0, 1_000_000),
  spoolMaxLines: integer('SPOOL_MAX_LINES', 2_000_000, 1, 1_000_000_000),
  synchronousCommit: oneOf('SYNCHRONOUS_COMMIT', 'on', ['on', 'off'] as const),
  statsIntervalS: integer('STATS_INTERVAL_S', 10, 0, 86_400),
  retentionDays: integer('RETENTION_DAYS', 400, 0, 100_000),
  userIdMode: oneOf('USER_ID_MODE', 'plain', ['plain', 'hmac'] as const),
  userIdSecret: optional('USER_ID_SECRET'),
  geoipDb: optional('GEOIP_DB'),
  logLevel: oneOf('LOG_LEVEL', 'info', ['debug', 'info', 'warn', 'error', 'silent'] as const),
};

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
    throw new ConfigError('USER_ID_SECRET (--user-id-secret) must be set, at least 16 characters, when USER_ID_MODE=hmac');
  }
  return { userIdMode: mode, userIdSecret: mode === 'hmac' ? secret : undefined };
}

export function loadConfig(env: Source = process.env, flags: Source = {}): Config {
  const source: Source = { ...env, ...flags };
  const read = <T>(s: Setting<T>) => s.parse(source[s.env]);
  const api = read(SETTINGS.influxApi);
  const target = credentialsFrom(read(SETTINGS.influxUrl), api, read(SETTINGS.influxUser), read(SETTINGS.influxPassword));
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
    ingestTokens: (read(SETTINGS.ingestTokens) ?? '').split(',').map((t) => t.trim()).filter(Boolean),
    rateLimitRps: read(SETTINGS.rateLimitRps),
    spoolMaxLines: read(SETTINGS.spoolMaxLines),
    synchronousCommit: read(SETTINGS.synchronousCommit),
    statsIntervalMs: read(SETTINGS.statsIntervalS) * 1000,
    retentionDays: read(SETTINGS.retentionDays),
    ...userIds(read(SETTINGS.userIdMode), read(SETTINGS.userIdSecret)),
    geoipDb: read(SETTINGS.geoipDb),
    logLevel: read(SETTINGS.logLevel),
  };
}
