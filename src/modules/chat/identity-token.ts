import crypto from 'node:crypto';
import { safeEqual } from '../../platform/tokens.js';

/**
 * Identity tokens: the site's own backend vouches for a signed-in user with a short-lived JWT
 * (HS256) signed with the chat site's secret (CONVENTIONS.md, live chat). Claims:
 *   aud   the site key (a token made for another site is refused)
 *   sub   the site's user id (1-200 characters)
 *   exp   expiry, Unix seconds; at most MAX_LIFETIME_SECONDS ahead
 *   email, name  optional; email links the visitor to the customer with that address
 * Only HS256 is accepted (never `none`), compared in constant time, against the current secret and,
 * during a rotation's grace period, the previous one.
 */

export const MAX_LIFETIME_SECONDS = 3600;
const CLOCK_SKEW_SECONDS = 60;

export interface IdentityClaims {
  sub: string;
  email?: string | undefined;
  name?: string | undefined;
  exp: number;
}

export type IdentityProblem = 'malformed' | 'forged' | 'expired' | 'other_site' | 'lifetime_too_long';

export type IdentityResult = { ok: true; claims: IdentityClaims } | { ok: false; problem: IdentityProblem };

const b64 = (value: string | Buffer) => Buffer.from(value).toString('base64url');

/** Signs a token as a site's backend would (used by tests and documented for site owners). */
export function signIdentityToken(secret: string, siteKey: string, claims: IdentityClaims & Record<string, unknown>): string {
  const header = b64(JSON.stringify({ alg: 'HS256', typ: 'JWT' }));
  const payload = b64(JSON.stringify({ ...claims, aud: siteKey }));
  const signature = crypto.createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

function parseJson(part: string): Record<string, unknown> | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

export function verifyIdentityToken(token: string, siteKey: string, secrets: string[], now = new Date()): IdentityResult {
  if (token.length > 4096) return { ok: false, problem: 'malformed' };
  const parts = token.split('.');
  if (parts.length !== 3 || parts.some((p) => !/^[A-Za-z0-9_-]+$/.test(p))) return { ok: false, problem: 'malformed' };
  const [headerPart, payloadPart, signature] = parts as [string, string, string];
  const header = parseJson(headerPart);
  if (!header || header.alg !== 'HS256') return { ok: false, problem: 'malformed' };
  const signed = secrets.some((secret) =>
    safeEqual(crypto.createHmac('sha256', secret).update(`${headerPart}.${payloadPart}`).digest('base64url'), signature),
  );
  if (!signed) return { ok: false, problem: 'forged' };
  const claims = parseJson(payloadPart);
  if (!claims) return { ok: false, problem: 'malformed' };
  const aud = claims.aud;
  if (aud !== siteKey && !(Array.isArray(aud) && aud.length === 1 && aud[0] === siteKey)) return { ok: false, problem: 'other_site' };
  const { sub, exp, email, name } = claims;
  if (typeof sub !== 'string' || sub.length < 1 || sub.length > 200 || typeof exp !== 'number' || !Number.isFinite(exp)) {
    return { ok: false, problem: 'malformed' };
  }
  if (
    (email !== undefined && (typeof email !== 'string' || email.length > 254)) ||
    (name !== undefined && (typeof name !== 'string' || name.length > 200))
  ) {
    return { ok: false, problem: 'malformed' };
  }
  const nowSeconds = Math.floor(now.getTime() / 1000);
  if (exp + CLOCK_SKEW_SECONDS < nowSeconds) return { ok: false, problem: 'expired' };
  if (exp > nowSeconds + MAX_LIFETIME_SECONDS + CLOCK_SKEW_SECONDS) return { ok: false, problem: 'lifetime_too_long' };
  return { ok: true, claims: { sub, exp, email: email as string | undefined, name: name as string | undefined } };
}
