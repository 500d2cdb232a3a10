import express, { type NextFunction, type Request, type Response } from 'express';
import type { Logger } from '../log.js';
import { validateEvent } from '../events/validate.js';
import type { KiboticsEvent } from '../events/types.js';
import type { Pipeline } from '../pipeline/pipeline.js';
import { BodyError, decodeBody } from './body.js';

export interface Rejection {
  index: number;
  error: string;
}

export interface AppOptions {
  pipeline: Pipeline;
  health: () => Promise<{ status: 'ok' | 'degraded'; [key: string]: unknown }>;
  maxBodyBytes: number;
  maxEventsPerRequest: number;
  log: Logger;
  now?: () => number;
}

/** The HTTP face of the gateway (README "HTTP API"). Handlers decode and answer; the pipeline does the work. */
export function createApp(options: AppOptions): express.Express {
  const { pipeline, log } = options;
  const now = options.now ?? Date.now;
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(requestLog(log));

  app.post('/v1/events', express.raw({ type: () => true, limit: options.maxBodyBytes }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const entries = decodeBody(body, req.get('content-type'));
    if (entries.length > options.maxEventsPerRequest) {
      res.status(413).json({
        accepted: 0,
        rejected: [{ index: options.maxEventsPerRequest, error: `too many events in one request: ${entries.length}, at most ${options.maxEventsPerRequest}` }],
      });
      return;
    }
    const received = now();
    const events: KiboticsEvent[] = [];
    const rejected: Rejection[] = [];
    for (const entry of entries) {
      if ('error' in entry) {
        rejected.push({ index: entry.index, error: entry.error });
        continue;
      }
      const result = validateEvent(entry.value, received);
      if (result.ok) events.push(result.event);
      else rejected.push({ index: entry.index, error: result.error.message });
    }
    res.locals.rejected = rejected.length;
    if (events.length === 0) {
      res.status(400).json({ accepted: 0, rejected });
      return;
    }
    const committed = await pipeline.submit(events);
    res.locals.accepted = events.length;
    res.status(202).json({ accepted: events.length, duplicates: committed.duplicates, rejected });
  });

  app.get('/healthz', async (_req, res) => {
    const health = await options.health();
    res.status(200).json(health);
  });

  app.use((_req, res) => {
    res.status(404).json({ error: 'not found: the API is POST /v1/events, GET /healthz' });
  });

  // Express 5 routes rejected promises here too.
  app.use((err: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (err instanceof BodyError) {
      res.status(400).json({ accepted: 0, rejected: [{ index: 0, error: err.message }] });
      return;
    }
    const status = (err as { status?: number }).status;
    const type = (err as { type?: string }).type;
    if (type === 'entity.too.large') {
      res.status(413).json({ accepted: 0, rejected: [{ index: 0, error: `body larger than ${options.maxBodyBytes} bytes` }] });
      return;
    }
    if (status && status >= 400 && status < 500) {
      res.status(status).json({ accepted: 0, rejected: [{ index: 0, error: (err as Error).message }] });
      return;
    }
    log.error({ err: errorSummary(err) }, 'request failed');
    res.status(500).json({ error: 'internal error: nothing from this request was stored' });
  });
  return app;
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
        },
        'request',
      );
    });
    next();
  };
}

function errorSummary(err: unknown): { message: string; name?: string } {
  return err instanceof Error ? { name: err.name, message: err.message } : { message: String(err) };
}
