import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';
import { RateLimiter } from './rate-limit.js';

/** Failed authentications per source address: a burst of this many, then one more every FAILURE_REFILL_S. */
export const FAILURE_BURST = 10;
export const FAILURE_REFILL_S = 6;

/**
 * `Authorization: Bearer <token>` against INGEST_TOKENS. Tokens are compared as SHA-256 digests
 * with timingSafeEqual: equal lengths, constant time, so timing tells nothing about a token.
 */
export function bearerAuth(
  tokens: readonly string[],
  onRefused: (status: number) => void,
  now: () => number = Date.now
) {
  const digests = tokens.map(digest);
  // Guessing tokens costs time: once an address has failed FAILURE_BURST times, every request from
  // it is answered 429 until its allowance refills, without looking at the token (no oracle).
  const failures = new RateLimiter(1 / FAILURE_REFILL_S, FAILURE_BURST, now);
  return (req: Request, res: Response, next: NextFunction) => {
    const address = failures.addressKey(req.socket.remoteAddress ?? '');
    const waitMs = failures.waiting(address);
    if (waitMs > 0) {
      onRefused(429);
      res
        .status(429)
        .set('Retry-After', String(Math.ceil(waitMs / 1000)))
        .json({
          accepted: 0,
          rejected: [
            {
              index: 0,
              error: `Authorization: too many failed attempts from this address; try again in ${Math.ceil(waitMs / 1000)} s`,
            },
          ],
        });
      return;
    }
    const header = req.get('authorization') ?? '';
    const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
    // Check every token, whatever matched, so the time taken does not depend on which one did.
    const given = match ? digest(match[1]!) : undefined;
    let ok = false;
    for (const d of digests) if (given && timingSafeEqual(d, given)) ok = true;
    if (ok) {
      res.locals.source = `token:${given!.toString('hex', 0, 8)}`;
      next();
      return;
    }
    failures.take(address);
    onRefused(401);
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="kibotics-analytics"')
      .json({
        accepted: 0,
        rejected: [
          { index: 0, error: match ? 'Authorization: unknown token' : 'Authorization: a Bearer token is required' },
        ],
      });
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
