import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../log.js';
import { EventError, validateEvent } from '../events/validate.js';
import type { KiboticsEvent } from '../events/types.js';
import type { GatewayMetrics } from '../metrics/metrics.js';
import { SpoolFullError, type Pipeline } from '../pipeline/pipeline.js';
import { DiskFullError } from '../store/disk-space.js';
import { bearerAuth } from './auth.js';
import { BodyError, decodeBody, decodeUtf8, splitLines } from './body.js';
import { DEFAULT_TIMEZONE, isImportFormat, parseLines, sniffFormat, IMPORT_FORMATS } from '../importers/index.js';
import { RateLimiter } from './rate-limit.js';

export interface Rejection {
  index: number;
  error: string;
}

export interface Health {
  status: 'ok' | 'degraded';
  [key: string]: unknown;
}

export interface AppOptions {
  pipeline: Pipeline;
  metrics: GatewayMetrics;
  health: () => Promise<Health>;
  maxBodyBytes: number;
  maxEventsPerRequest: number;
  ingestTokens: readonly string[];
  rateLimitRps: number;
  log: Logger;
  now?: () => number;
}

/** The HTTP face of the gateway (README "HTTP API"). Handlers decode and answer; the pipeline does the work. */
export function createApp(options: AppOptions): express.Express {
  const { pipeline, log, metrics } = options;
  const now = options.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestLog(log));

  const refused = (status: number) => () => metrics.refusedRequests.inc({ status: String(status) });

  /** The common answer: 400 when nothing was usable, else spool what was and say 202. */
  const commit = async (res: Response, events: KiboticsEvent[], rejected: object[], fields: Set<string>) => {
    res.locals.rejected = rejected.length;
    if (fields.size > 0) res.locals.rejectedFields = [...fields].sort();
    if (events.length === 0) {
      res.status(400).json({ accepted: 0, rejected });
      return;
    }
    const committed = await pipeline.submit(events);
    // `accepted`: newly stored; repeats are counted apart (README "POST /v1/events").
    metrics.accepted.inc(committed.accepted);
    metrics.duplicates.inc(committed.duplicates);
    res.locals.accepted = committed.accepted;
    res.status(202).json({ accepted: committed.accepted, duplicates: committed.duplicates, rejected });
  };
  const ingest: express.RequestHandler[] = [];
  if (options.ingestTokens.length > 0)
    ingest.push(bearerAuth(options.ingestTokens, (status) => refused(status)(), now));
  if (options.rateLimitRps > 0)
    ingest.push(new RateLimiter(options.rateLimitRps, 2 * options.rateLimitRps).middleware(refused(429)));
  ingest.push(express.raw({ type: () => true, limit: options.maxBodyBytes }));

  app.post('/v1/events', ...ingest, async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const entries = decodeBody(body, req.get('content-type'));
    if (entries.length > options.maxEventsPerRequest) {
      refused(413)();
      res.status(413).json({
        accepted: 0,
        rejected: [
          {
            index: options.maxEventsPerRequest,
            error: `too many events in one request: ${entries.length}, at most ${options.maxEventsPerRequest}`,
          },
        ],
      });
      return;
    }
    // Counted once the request is taken at all (a request refused whole counts as refused, below).
    metrics.received.inc(entries.length);
    const received = now();
    const events: KiboticsEvent[] = [];
    const rejected: Rejection[] = [];
    const fields = new Set<string>();
    for (const entry of entries) {
      if ('error' in entry) {
        metrics.rejected.inc({ reason: 'json' });
        fields.add('json');
        rejected.push({ index: entry.index, error: entry.error });
        continue;
      }
      const result = validateEvent(entry.value, received);
      if (result.ok) {
        events.push(result.event);
      } else {
        metrics.rejected.inc({ reason: reasonOf(result.error) });
        fields.add(reasonOf(result.error));
        rejected.push({ index: entry.index, error: result.error.message });
      }
    }
    if (entries.length === 0) rejected.push({ index: 0, error: 'body holds no events' });
    await commit(res, events, rejected, fields);
  });

  // Kibotics' own log lines, as its log files hold them (README "Importing history").
  app.post('/v1/logs', ...ingest, async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const format = typeof req.query.format === 'string' ? req.query.format : undefined;
    if (format !== undefined && !isImportFormat(format)) {
      res
        .status(400)
        .json({ accepted: 0, rejected: [{ line: 0, error: `format: must be one of ${IMPORT_FORMATS.join(', ')}` }] });
      return;
    }
    const timezone = typeof req.query.timezone === 'string' ? req.query.timezone : DEFAULT_TIMEZONE;
    if (!isTimeZone(timezone)) {
      res.status(400).json({
        accepted: 0,
        rejected: [{ line: 0, error: `timezone: not an IANA time zone: ${timezone.slice(0, 64)}` }],
      });
      return;
    }
    const received = now();
    const events: KiboticsEvent[] = [];
    const rejected: Array<{ line: number; error: string }> = [];
    const fields = new Set<string>();
    // The rule of /v1/events' NDJSON: a line that is not valid UTF-8 is refused (never stored with
    // U+FFFD in it); it costs only that line. It stays as a blank line so the others keep their numbers.
    const lines = splitLines(body).map((raw, i) => {
      const text = decodeUtf8(raw);
      if (text !== undefined) return text;
      rejected.push({ line: i + 1, error: `line ${i + 1}: not valid UTF-8` });
      fields.add('utf8');
      return '';
    });
    const firstLine = lines.find((l) => l.trim() !== '');
    for (const record of parseLines(lines, 'request', format ?? sniffFormat('request', firstLine), { timezone })) {
      if ('skip' in record) {
        if (record.skip !== 'blank') {
          rejected.push({ line: record.line, error: `skipped: ${record.skip}` });
          fields.add('line');
        }
        continue;
      }
      metrics.received.inc();
      const result = validateEvent(record.event, received);
      if (result.ok) events.push(result.event);
      else {
        metrics.rejected.inc({ reason: reasonOf(result.error) });
        fields.add(reasonOf(result.error));
        rejected.push({ line: record.line, error: result.error.message });
      }
    }
    rejected.sort((a, b) => a.line - b.line);
    if (events.length > options.maxEventsPerRequest) {
      refused(413)();
      res.status(413).json({
        accepted: 0,
        rejected: [
          {
            line: 0,
            error: `too many events in one request: ${events.length}, at most ${options.maxEventsPerRequest}`,
          },
        ],
      });
      return;
    }
    if (events.length === 0 && rejected.length === 0) rejected.push({ line: 0, error: 'body holds no log lines' });
    await commit(res, events, rejected, fields);
  });

  app.get('/healthz', async (_req, res) => {
    res.status(200).json(await options.health());
  });

  app.get('/metrics', async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found: the API is POST /v1/events, POST /v1/logs, GET /healthz, GET /metrics' });
  });

  // Express 5 routes rejected promises here too.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const whole = (status: number, error: string) =>
      res.status(status).json({ accepted: 0, rejected: [{ index: 0, error }] });
    if (err instanceof BodyError) {
      metrics.rejected.inc({ reason: 'body' });
      whole(400, err.message);
      return;
    }
    if (err instanceof SpoolFullError) {
      refused(503)();
      res.set('Retry-After', '30');
      whole(503, err.message);
      return;
    }
    if (err instanceof DiskFullError) {
      refused(507)();
      res.set('Retry-After', '30');
      whole(507, err.message);
      return;
    }
    const status = (err as { status?: number }).status;
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      refused(413)();
      whole(413, `body larger than ${options.maxBodyBytes} bytes`);
      return;
    }
    if (status && status >= 400 && status < 500) {
      whole(status, (err as Error).message);
      return;
    }
    log.error({ err: errorSummary(err) }, 'request failed');
    res.status(500).json({ error: 'internal error: nothing from this request was stored' });
  });
  return app;
}

const KNOWN_FIELDS = new Set([
  'event',
  'type',
  'time',
  'id',
  'user',
  'group',
  'session_id',
  'client_ip',
  'user_agent',
  'simulation_type',
  'exercise',
  'host',
  'container',
  'reason',
  'path',
  'referrer',
  'status',
  'message',
]);

/** A metric label from a fixed set: a field name a client invented must not become a series. */
function reasonOf(error: EventError): string {
  return KNOWN_FIELDS.has(error.field) ? error.field : 'unknown_field';
}

function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

/** One log line per request, without the client's address or any header that may hold a token. */
function requestLog(log: Logger) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      log.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Number(process.hrtime.bigint() - started) / 1e6,
          accepted: res.locals.accepted,
          rejected: res.locals.rejected,
          // Which fields were refused (names from a fixed set, never a client's text or values).
          rejected_fields: res.locals.rejectedFields,
        },
        'request'
      );
    });
    next();
  };
}

function errorSummary(err: unknown): { message: string; name?: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) };
}
