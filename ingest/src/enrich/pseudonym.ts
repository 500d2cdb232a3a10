import { createHmac } from 'node:crypto';

/** How a user name is stored: as sent, or as a stable keyed pseudonym (USER_ID_MODE=hmac). */
export type UserIds = (user: string) => string;

/**
 * HMAC-SHA256 of the name under a secret, shortened to 128 bits: the same child always gets the
 * same pseudonym (per-user drill-down and pairing keep working), and nobody without the secret can
 * recompute it from a name. Whoever holds the secret can (that is how `forget` and `export` find a
 * user); changing the secret starts everyone afresh.
 */
export function userIds(mode: 'plain' | 'hmac', secret?: string): UserIds {
  if (mode === 'plain') return (user) => user;
  if (!secret) throw new Error('USER_ID_MODE=hmac needs USER_ID_SECRET');
  return (user) => `u_${createHmac('sha256', secret).update(user).digest('base64url').slice(0, 22)}`;
}
