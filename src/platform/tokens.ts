import crypto from 'node:crypto';

/** A random secret of 256 bits, URL-safe (CONVENTIONS.md security rule 2: 128 bits or more). */
export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

/** Tokens are stored hashed; a fast hash is right for high-entropy random tokens (not for passwords). */
export function hashToken(token: string): string {
  return crypto.createHash('sha256').update(token).digest('hex');
}

export function hmac(secret: string, data: string): string {
  return crypto.createHmac('sha256', secret).update(data).digest('base64url');
}

export function safeEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a);
  const bb = Buffer.from(b);
  return ab.length === bb.length && crypto.timingSafeEqual(ab, bb);
}

/** A value signed with an expiry: `<payload>.<expires unix s>.<hmac>`, used for file download links. */
export function signExpiring(secret: string, payload: string, expiresAt: Date): string {
  const exp = Math.floor(expiresAt.getTime() / 1000);
  return `${exp}.${hmac(secret, `${payload}.${exp}`)}`;
}

export function verifyExpiring(secret: string, payload: string, signature: string, now = new Date()): 'ok' | 'expired' | 'invalid' {
  const match = /^(\d{1,12})\.([A-Za-z0-9_-]{43})$/.exec(signature);
  if (!match) return 'invalid';
  const exp = Number(match[1]);
  if (!safeEqual(hmac(secret, `${payload}.${exp}`), match[2]!)) return 'invalid';
  return exp * 1000 < now.getTime() ? 'expired' : 'ok';
}
