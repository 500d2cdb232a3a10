import { createHash, randomBytes } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * A token bucket per source (the client's token, else its address), counted in requests. The
 * address is only a key in memory, hashed with a per-process salt: never stored or logged.
 */
export class RateLimiter {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();
  private readonly salt = randomBytes(16);

  constructor(
    private readonly perSecond: number,
    private readonly burst: number,
    private readonly now: () => number = Date.now,
    private readonly maxSources = 100_000
  ) {}

  /** Takes one request from the source's bucket; returns the ms to wait when it is empty. */
  take(source: string): number {
    const bucket = this.refill(source);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return this.waitOf(bucket);
  }

  /** The ms to wait before the source's bucket holds a whole token again (0: it does now); takes nothing. */
  waiting(source: string): number {
    const bucket = this.refill(source);
    return bucket.tokens >= 1 ? 0 : this.waitOf(bucket);
  }

  private refill(source: string): { tokens: number; at: number } {
    const now = this.now();
    let bucket = this.buckets.get(source);
    if (!bucket) {
      if (this.buckets.size >= this.maxSources) this.buckets.delete(this.buckets.keys().next().value as string);
      bucket = { tokens: this.burst, at: now };
      this.buckets.set(source, bucket);
    }
    bucket.tokens = Math.min(this.burst, bucket.tokens + ((now - bucket.at) / 1000) * this.perSecond);
    bucket.at = now;
    return bucket;
  }

  private waitOf(bucket: { tokens: number }): number {
    return Math.ceil(((1 - bucket.tokens) / this.perSecond) * 1000);
  }

  middleware(onRefused: () => void) {
    return (req: Request, res: Response, next: NextFunction) => {
      const source = (res.locals.source as string | undefined) ?? this.addressKey(req.socket.remoteAddress ?? '');
      const waitMs = this.take(source);
      if (waitMs === 0) {
        next();
        return;
      }
      onRefused();
      res
        .status(429)
        .set('Retry-After', String(Math.max(1, Math.ceil(waitMs / 1000))))
        .json({
          accepted: 0,
          rejected: [{ index: 0, error: `rate limit: at most ${this.perSecond} requests per second from one source` }],
        });
    };
  }

  /** The client's address as a salted hash: a key in memory only. */
  addressKey(address: string): string {
    return `addr:${createHash('sha256').update(this.salt).update(address).digest('hex').slice(0, 16)}`;
  }
}
