import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../log.js';
import type { GatewayMetrics } from '../metrics/metrics.js';
import type { Accept, Candidate, Refusal } from '../pipeline/accept.js';
import { SpoolFullError } from '../pipeline/pipeline.js';
import { DiskFullError } from '../store/disk-space.js';
import { bearerAuth } from './auth.js';
import { BodyError, decodeBody, decodeUtf8, splitLines } from './body.js';
import {
  DEFAULT_TIMEZONE,
  candidatesOf,
  isImportFormat,
  parseLines,
  sniffFormat,
  IMPORT_FORMATS,
} from '../importers/index.js';
import { RateLimiter } from './rate-limit.js';

export interface Health {
  status: 'ok' | 'degraded';
  [key: string]: unknown;
}

export interface AppOptions {
  /** The accept-these-events use case (it validates, submits and counts). */
  accept: Accept;
  metrics: GatewayMetrics;
  health: () => Promise<Health>;
  maxBodyBytes: number;
  maxEventsPerRequest: number;
  ingestTokens: readonly string[];
  rateLimitRps: number;
  log: Logger;
  now?: () => number;
}

/** The HTTP face of the gateway (README "HTTP API"). Handlers decode and answer; the accept use case does the work. */
export function createApp(options: AppOptions): express.Express {
  const { accept, log, metrics } = options;
  const now = options.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestLog(log));

  const refused = (status: number) => () => metrics.refusedRequests.inc({ status: String(status) });

  /**
   * The common answer: 413 over the limit, 400 when nothing was usable, else the use case's
   * outcome with 202. `tooMany` and `empty` are the way in's own wording.
   */
  const answer = async <At>(
    res: Response,
    candidates: Candidate<At>[],
    show: (r: Refusal<At>) => object,
    tooMany: (n: number) => object,
    empty: object
  ) => {
    if (candidates.length > options.maxEventsPerRequest) {
      refused(413)();
      res.status(413).json({ accepted: 0, rejected: [tooMany(candidates.length)] });
      return;
    }
    if (candidates.length === 0) {
      refused(400)();
      res.status(400).json({ accepted: 0, rejected: [empty] });
      return;
    }
    const outcome = await accept.accept(candidates);
    const rejected = outcome.rejected.map(show);
    res.locals.rejected = rejected.length;
    if (rejected.length > 0) res.locals.rejectedFields = [...new Set(outcome.rejected.map((r) => r.reason))].sort();
    if (outcome.valid === 0) {
      res.status(400).json({ accepted: 0, rejected });
      return;
    }
    // `accepted`: newly stored; repeats are counted apart (README "POST /v1/events").
    res.locals.accepted = outcome.accepted;
    res.status(202).json({ accepted: outcome.accepted, duplicates: outcome.duplicates, rejected });
  };
  const ingest: express.RequestHandler[] = [];
  if (options.ingestTokens.length > 0)
    ingest.push(bearerAuth(options.ingestTokens, (status) => refused(status)(), now));
  if (options.rateLimitRps > 0)
    ingest.push(new RateLimiter(options.rateLimitRps, 2 * options.rateLimitRps).middleware(refused(429)));
  ingest.push(express.raw({ type: () => true, limit: options.maxBodyBytes }));

  app.post('/v1/events', ...ingest, async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const candidates: Candidate<number>[] = decodeBody(body, req.get('content-type')).map((entry) =>
      'error' in entry
        ? { at: entry.index, refused: { reason: entry.reason, error: entry.error } }
        : { at: entry.index, raw: entry.value }
    );
    await answer(
      res,
      candidates,
      (r) => ({ index: r.at, error: r.error }),
      (n) => ({
        index: options.maxEventsPerRequest,
        error: `too many events in one request: ${n}, at most ${options.maxEventsPerRequest}`,
      }),
      { index: 0, error: 'body holds no events' }
    );
  });

  // Kibotics' own log lines, as its log files hold them (README "Importing history").
  app.post('/v1/logs', ...ingest, async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const format = typeof req.query.format === 'string' ? req.query.format : undefined;
    if (format !== undefined && !isImportFormat(format)) {
      refused(400)();
      res
        .status(400)
        .json({ accepted: 0, rejected: [{ line: 0, error: `format: must be one of ${IMPORT_FORMATS.join(', ')}` }] });
      return;
    }
    const timezone = typeof req.query.timezone === 'string' ? req.query.timezone : DEFAULT_TIMEZONE;
    if (!isTimeZone(timezone)) {
      refused(400)();
      res.status(400).json({
        accepted: 0,
        rejected: [{ line: 0, error: `timezone: not an IANA time zone: ${timezone.slice(0, 64)}` }],
      });
      return;
    }
    // The rule of /v1/events' NDJSON: a line that is not valid UTF-8 is refused (never stored with
    // U+FFFD in it); it costs only that line. It stays as a blank line so the others keep their numbers.
    const broken = new Map<number, string>();
    const lines = splitLines(body).map((raw, i) => {
      const text = decodeUtf8(raw);
      if (text !== undefined) return text;
      broken.set(i + 1, `line ${i + 1}: not valid UTF-8`);
      return '';
    });
    const firstLine = lines.find((l) => l.trim() !== '');
    const records = parseLines(lines, 'request', format ?? sniffFormat('request', firstLine), { timezone });
    await answer(
      res,
      candidatesOf(records, broken),
      (r) => ({ line: r.at.line, error: r.error }),
      (n) => ({ line: 0, error: `too many events in one request: ${n}, at most ${options.maxEventsPerRequest}` }),
      { line: 0, error: 'body holds no log lines' }
    );
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
      refused(400)();
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
