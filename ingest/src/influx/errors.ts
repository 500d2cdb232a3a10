/**
 * How an exchange with InfluxDB failed, classified once from its answer (as influxdb-client-js and
 * Telegraf's outputs do), each class carrying what the caller should do about it. Only this file
 * reads InfluxDB's error texts; everything else decides on the class.
 */

/**
 * - `later`: an outage or a busy server; wait (backoff, or the server's Retry-After) and send the same request again.
 * - `prepare`: the database or a retention policy is missing; create them, then send again.
 * - `split`: this request can never succeed as it is; split it to find the points at fault, and a
 *   lone point that still fails goes to the dead letters.
 * - `never`: the write is over; InfluxDB kept what it could and dropped the rest for good (count it).
 */
export type Retry = 'later' | 'prepare' | 'split' | 'never';

export abstract class InfluxError extends Error {
  abstract readonly retry: Retry;
  constructor(
    message: string,
    /** HTTP status, or undefined when InfluxDB could not be reached at all. */
    readonly status: number | undefined,
    /** How long the server asked us to wait (its Retry-After header). */
    readonly retryAfterMs?: number
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** No answer: connection refused or reset, DNS, or no answer within the timeout. */
export class InfluxUnreachable extends InfluxError {
  readonly retry = 'later';
  constructor(
    message: string,
    /** Whether InfluxDB took the connection but did not answer in time (a hung server). */
    readonly timedOut = false
  ) {
    super(message, undefined);
  }
}

/** 401/403: wrong or missing credentials. Waits for the operator, who must fix the settings; nothing is dropped. */
export class InfluxAuthRefused extends InfluxError {
  readonly retry = 'later';
}

/** 5xx, 429, or any answer we cannot place: the server's trouble, waited out (honouring Retry-After). */
export class InfluxServerError extends InfluxError {
  readonly retry = 'later';
}

/** The database (1.x), its retention policy, or the bucket (2.x) does not exist. */
export class DatabaseMissing extends InfluxError {
  readonly retry = 'prepare';
}

/** InfluxDB wrote the request's other points and dropped `dropped` points older than the retention policy. */
export class BeyondRetention extends InfluxError {
  readonly retry = 'never';
  constructor(
    message: string,
    status: number,
    readonly dropped: number
  ) {
    super(message, status);
  }
}

/** 400/422: a point InfluxDB refuses (a field type conflict, a line it cannot parse). */
export class PointRefused extends InfluxError {
  readonly retry = 'split';
}

/** 413: the request is larger than InfluxDB's `max-body-size`. */
export class RequestTooLarge extends InfluxError {
  readonly retry = 'split';
}

/** An InfluxQL statement or an administrative call that InfluxDB answered with an error. */
export class QueryRefused extends InfluxError {
  readonly retry = 'never';
}

/** Classifies InfluxDB's answer to a write that was not 2xx. `body`: its text, JSON or not. */
export function classifyWriteAnswer(
  status: number,
  body: string,
  retryAfterHeader: string | null,
  now = Date.now()
): InfluxError {
  const detail = errorText(body);
  const message = `InfluxDB answered ${status}${detail ? `: ${detail}` : ''}`;
  const retryAfterMs = retryAfter(retryAfterHeader, now);
  if (status === 401 || status === 403) return new InfluxAuthRefused(message, status, retryAfterMs);
  if (status === 413) return new RequestTooLarge(message, status);
  // 1.x: 404 "database not found", but 500 "retention policy not found"; 2.x: 404 "bucket … not found".
  if (status === 404 || /database not found|retention policy not found|bucket .* not found/i.test(detail)) {
    return new DatabaseMissing(message, status, retryAfterMs);
  }
  if (status === 400 || status === 422) {
    // 1.x reports a shard's refusal (type conflict) instead of the retention drop when both happen,
    // so this answer means every other point was written.
    const expired = /partial write: points beyond retention policy dropped=(\d+)\s*$/.exec(detail);
    if (expired) return new BeyondRetention(message, status, Number(expired[1]));
    return new PointRefused(message, status);
  }
  return new InfluxServerError(message, status, retryAfterMs);
}

/** Classifies a fetch that threw (no HTTP answer at all). */
export function classifyNetworkFailure(err: unknown, timeoutMs: number): InfluxUnreachable {
  const name = (err as { name?: string }).name;
  if (name === 'TimeoutError') return new InfluxUnreachable(`InfluxDB did not answer within ${timeoutMs} ms`, true);
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const reason = cause?.code ?? cause?.message ?? (err instanceof Error ? err.message : String(err));
  return new InfluxUnreachable(`InfluxDB unreachable: ${reason}`);
}

/** 1.x answers `{"error": …}`, 2.x `{"code": …, "message": …}`; proxies answer anything. */
function errorText(body: string): string {
  const text = body.trim();
  try {
    const parsed = JSON.parse(text) as { error?: unknown; message?: unknown };
    const found = parsed.error ?? parsed.message;
    if (typeof found === 'string') return found.slice(0, 500);
  } catch {
    // not JSON: keep the text
  }
  return text.slice(0, 500);
}

function retryAfter(header: string | null, now: number): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
