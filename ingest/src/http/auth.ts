import { createHash, timingSafeEqual } from 'node:crypto';
import type { NextFunction, Request, Response } from 'express';

/**
 * `Authorization: Bearer <token>` against INGEST_TOKENS. Tokens are compared as SHA-256 digests
 * with timingSafeEqual: equal lengths, constant time, so timing tells nothing about a token.
 */
export function bearerAuth(tokens: readonly string[], onRefused: () => void) {
  const digests = tokens.map(digest);
  return (req: Request, res: Response, next: NextFunction) => {
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
    onRefused();
    res
      .status(401)
      .set('WWW-Authenticate', 'Bearer realm="kibotics-analytics"')
      .json({ accepted: 0, rejected: [{ index: 0, error: match ? 'Authorization: unknown token' : 'Authorization: a Bearer token is required' }] });
  };
}

function digest(token: string): Buffer {
  return createHash('sha256').update(token).digest();
}
