import type { InfluxTarget } from '../config.js';

/** How a write failed, and whether trying again can ever succeed. */
export class WriteError extends Error {
  constructor(
    message: string,
    /** HTTP status, or undefined when InfluxDB could not be reached at all. */
    readonly status: number | undefined,
    /** Only a 400 (a point InfluxDB refuses) is final; everything else is an outage to wait out. */
    readonly permanent: boolean,
    /** From a Retry-After header. */
    readonly retryAfterMs?: number,
  ) {
    super(message);
  }
}

/**
 * Writes line protocol to InfluxDB 1.x (`/write`) or to 1.8+/2.x/3.x (`/api/v2/write`). Just the HTTP
 * exchange: retries, batching and what to do with refused points belong to the deliverer.
 */
export class InfluxTransport {
  private readonly writeUrl: string;
  private readonly headers: Record<string, string>;

  constructor(
    readonly target: InfluxTarget,
    private readonly timeoutMs = 30_000,
  ) {
    const params = new URLSearchParams({ precision: 'ns' });
    this.headers = { 'Content-Type': 'text/plain; charset=utf-8' };
    if (target.api === 'v1') {
      params.set('db', target.database);
      if (target.retentionPolicy) params.set('rp', target.retentionPolicy);
      if (target.username) {
        this.headers.Authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
      }
      this.writeUrl = `${target.url}/write?${params}`;
    } else {
      params.set('org', target.org);
      params.set('bucket', target.bucket);
      this.headers.Authorization = `Token ${target.token}`;
      this.writeUrl = `${target.url}/api/v2/write?${params}`;
    }
  }

  async write(body: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.writeUrl, {
        method: 'POST',
        headers: this.headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw new WriteError(`InfluxDB unreachable: ${describeNetworkError(err)}`, undefined, false);
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const detail = (await response.text().catch(() => '')).slice(0, 500).trim();
    throw new WriteError(
      `InfluxDB answered ${response.status}${detail ? `: ${detail}` : ''}`,
      response.status,
      response.status === 400,
      retryAfter(response.headers.get('retry-after')),
    );
  }

  /** Whether InfluxDB answers at all (its /ping needs no credentials on 1.x and 2.x). */
  async ping(): Promise<boolean> {
    try {
      const response = await fetch(`${this.target.url}/ping`, { signal: AbortSignal.timeout(2000) });
      await response.body?.cancel();
      return response.status === 204 || response.ok;
    } catch {
      return false;
    }
  }

  /** On 1.x the database must exist before the first write; creating it is idempotent. */
  async ensureDatabase(): Promise<void> {
    if (this.target.api !== 'v1') return;
    const body = new URLSearchParams({ q: `CREATE DATABASE "${this.target.database.replace(/["\\]/g, '\\$&')}"` });
    const response = await fetch(`${this.target.url}/query`, {
      method: 'POST',
      headers: { ...this.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body,
      signal: AbortSignal.timeout(this.timeoutMs),
    });
    const text = await response.text();
    if (!response.ok || text.includes('"error"')) {
      throw new WriteError(`could not create database ${this.target.database}: ${response.status} ${text.slice(0, 200)}`, response.status, false);
    }
  }
}

function retryAfter(header: string | null): number | undefined {
  if (!header) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function describeNetworkError(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  if (cause?.code) return cause.code;
  return err instanceof Error ? err.message : String(err);
}
