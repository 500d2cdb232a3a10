import { ROLLUP_RP, type Destination } from '@kibotics/schema';
import { QueryRefused, classifyNetworkFailure, classifyWriteAnswer } from './errors.js';

/** Which InfluxDB, and where in it (read from the settings by config.ts, which imports this type). */
export type InfluxTarget =
  | { api: 'v1'; url: string; database: string; retentionPolicy?: string; username?: string; password?: string }
  | { api: 'v2'; url: string; org: string; bucket: string; rollupBucket: string; token: string };

/**
 * The HTTP exchanges with InfluxDB: writes (`/write` on 1.x, `/api/v2/write` on 1.8+/2.x/3.x),
 * InfluxQL queries, and the few administrative calls (database, retention, erasure). Retries,
 * batching and what to do with refused points belong to the deliverer.
 */
export class InfluxClient {
  private readonly writeUrls: Record<Destination, string>;
  private readonly headers: Record<string, string>;

  constructor(
    readonly target: InfluxTarget,
    /** 1.x: how long the database's default policy keeps raw points (0: forever). */
    private readonly retentionDays = 0,
    private readonly timeoutMs = 30_000
  ) {
    this.headers = { 'Content-Type': 'text/plain; charset=utf-8' };
    const url = (params: Record<string, string | undefined>) => {
      const query = new URLSearchParams({ precision: 'ns' });
      for (const [k, v] of Object.entries(params)) if (v) query.set(k, v);
      return `${target.url}${target.api === 'v1' ? '/write' : '/api/v2/write'}?${query}`;
    };
    if (target.api === 'v1') {
      if (target.username) {
        this.headers.Authorization = `Basic ${Buffer.from(`${target.username}:${target.password ?? ''}`).toString('base64')}`;
      }
      this.writeUrls = {
        raw: url({ db: target.database, rp: target.retentionPolicy }),
        rollups: url({ db: target.database, rp: ROLLUP_RP }),
      };
    } else {
      this.headers.Authorization = `Token ${target.token}`;
      this.writeUrls = {
        raw: url({ org: target.org, bucket: target.bucket }),
        rollups: url({ org: target.org, bucket: target.rollupBucket }),
      };
    }
  }

  /** Throws the InfluxError subclass (errors.ts) that says what to do when InfluxDB does not answer 2xx. */
  async write(body: string, destination: Destination = 'raw'): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.writeUrls[destination], {
        method: 'POST',
        headers: this.headers,
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (err) {
      throw classifyNetworkFailure(err, this.timeoutMs);
    }
    if (response.ok) {
      await response.body?.cancel();
      return;
    }
    const text = await response.text().catch(() => '');
    throw classifyWriteAnswer(response.status, text, response.headers.get('retry-after'));
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

  /**
   * On 1.x the database must exist before the first write (creating it is idempotent); raw points
   * go to its default retention policy, set to `retentionDays` (0: infinite), roll-ups to the
   * `rollups` policy, infinite. On 2.x/3.x buckets and their retention belong to the operator.
   */
  async ensureDatabase(): Promise<void> {
    if (this.target.api !== 'v1') return;
    const db = quoteIdentifier(this.target.database);
    await this.query(`CREATE DATABASE ${db}`);
    const [policies] = await this.query(`SHOW RETENTION POLICIES ON ${db}`);
    const existing = new Set((policies?.series?.[0]?.values ?? []).map((v) => String(v[0])));
    const rp = quoteIdentifier(this.target.retentionPolicy ?? 'autogen');
    await this.query(
      `ALTER RETENTION POLICY ${rp} ON ${db} DURATION ${this.retentionDays > 0 ? `${this.retentionDays}d` : 'INF'}`
    );
    // Last: once the roll-ups' policy exists, a new database is wholly prepared (what an observer can wait for).
    if (!existing.has(ROLLUP_RP))
      await this.query(`CREATE RETENTION POLICY ${quoteIdentifier(ROLLUP_RP)} ON ${db} DURATION INF REPLICATION 1`);
  }

  /**
   * Runs InfluxQL (1.x `/query`; on 2.x the same endpoint through a DBRP mapping of the bucket) and
   * returns the series of each statement. An error answer throws, naming the statement.
   */
  /** `times`: epoch milliseconds, or RFC 3339 strings to the nanosecond (what an exact DELETE needs). */
  async query(q: string, times: 'ms' | 'rfc3339' = 'ms'): Promise<QueryResult[]> {
    const database = this.target.api === 'v1' ? this.target.database : this.target.bucket;
    const params = new URLSearchParams({ db: database });
    if (times === 'ms') params.set('epoch', 'ms');
    if (this.target.api === 'v1' && this.target.retentionPolicy) params.set('rp', this.target.retentionPolicy);
    const response = await this.fetch(`${this.target.url}/query?${params}`, {
      method: 'POST',
      headers: { ...this.headers, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ q }),
    });
    const text = await response.text();
    let body: { results?: QueryResult[]; error?: string };
    try {
      body = JSON.parse(text) as typeof body;
    } catch {
      throw new QueryRefused(
        `InfluxDB answered ${response.status} to ${q.slice(0, 80)}: ${text.slice(0, 200)}`,
        response.status
      );
    }
    const failed = body.error ?? body.results?.find((r) => r.error)?.error;
    if (!response.ok || failed)
      throw new QueryRefused(`InfluxDB refused ${q.slice(0, 80)}: ${failed ?? response.status}`, response.status);
    return body.results ?? [];
  }

  /**
   * Deletes the points of `measurement` whose string field `field` is `value`: found by a query,
   * then deleted one by one by their exact time (InfluxDB deletes by tags and time, not by fields).
   * Returns how many.
   */
  async deleteWhereField(measurement: string, field: string, value: string): Promise<number> {
    const [result] = await this.query(
      `SELECT ${quoteIdentifier(field)} FROM ${quoteIdentifier(measurement)} WHERE ${quoteIdentifier(field)} = ${quoteString(value)}`,
      'rfc3339'
    );
    const times = (result?.series ?? []).flatMap((s) => s.values.map((v) => String(v[0])));
    for (let i = 0; i < times.length; i += 100) {
      const chunk = times.slice(i, i + 100);
      if (this.target.api === 'v1') {
        await this.query(
          chunk.map((t) => `DELETE FROM ${quoteIdentifier(measurement)} WHERE time = ${quoteString(t)}`).join('; ')
        );
        continue;
      }
      for (const t of chunk) await this.deleteV2(t, t, `_measurement=${JSON.stringify(measurement)}`);
    }
    return times.length;
  }

  /**
   * Deletes every point whose `user` tag is `user`, in the measurements named: DROP SERIES on 1.x
   * (named, because 1.x refuses the whole statement where another measurement has a `user` field),
   * the delete API (a tag predicate over all time) on 2.x.
   */
  async deleteUser(user: string, measurements: readonly string[]): Promise<void> {
    if (this.target.api === 'v1') {
      await this.query(
        `DROP SERIES FROM ${measurements.map(quoteIdentifier).join(', ')} WHERE "user" = ${quoteString(user)}`
      );
      return;
    }
    await this.deleteV2('1970-01-01T00:00:00Z', '2262-01-01T00:00:00Z', `user=${JSON.stringify(user)}`);
  }

  /** The 2.x delete API: points between `start` and `stop` (both included) matching a tag predicate. */
  private async deleteV2(start: string, stop: string, predicate: string): Promise<void> {
    if (this.target.api !== 'v2') throw new Error('the delete API is InfluxDB 2.x’s');
    const params = new URLSearchParams({ org: this.target.org, bucket: this.target.bucket });
    const response = await this.fetch(`${this.target.url}/api/v2/delete?${params}`, {
      method: 'POST',
      headers: { ...this.headers, 'Content-Type': 'application/json' },
      body: JSON.stringify({ start, stop, predicate }),
    });
    if (!response.ok)
      throw new QueryRefused(
        `InfluxDB refused the deletion: ${response.status} ${(await response.text()).slice(0, 200)}`,
        response.status
      );
  }

  /** A request with the timeout; no answer at all becomes InfluxUnreachable. */
  private async fetch(url: string, init: RequestInit): Promise<Response> {
    try {
      return await fetch(url, { ...init, signal: AbortSignal.timeout(this.timeoutMs) });
    } catch (err) {
      throw classifyNetworkFailure(err, this.timeoutMs);
    }
  }
}

export interface QueryResult {
  series?: Array<{ name: string; tags?: Record<string, string>; columns: string[]; values: unknown[][] }>;
  error?: string;
}

/** An InfluxQL identifier in double quotes (`user` and `group` are keywords). */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`;
}

/** An InfluxQL string literal. */
export function quoteString(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
