import crypto from 'node:crypto';
import { signExpiring, verifyExpiring } from '../../platform/tokens.js';

/**
 * The widget's own token for a visitor (anonymous or identified): `<visitor id>.<exp>.<hmac>`,
 * signed with the instance secret for one chat site, so a returning visitor finds their
 * conversations again (kept by the widget frame) and cannot name another visitor or site.
 */

const LIFETIME_MS = 180 * 86_400_000;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

const purpose = (siteId: string, visitorId: string) => `chat-visitor:${siteId}:${visitorId}`;

export function newVisitorId(): string {
  return crypto.randomUUID();
}

export function issueVisitorToken(secret: string, siteId: string, visitorId: string, now = new Date()): string {
  return `${visitorId}.${signExpiring(secret, purpose(siteId, visitorId), new Date(now.getTime() + LIFETIME_MS))}`;
}

/** The visitor id a token names for this site, or null (forged, expired, another site's). */
export function readVisitorToken(secret: string, siteId: string, token: string, now = new Date()): string | null {
  if (token.length > 200) return null;
  const dot = token.indexOf('.');
  const visitorId = token.slice(0, dot);
  if (dot < 0 || !UUID.test(visitorId)) return null;
  return verifyExpiring(secret, purpose(siteId, visitorId), token.slice(dot + 1), now) === 'ok' ? visitorId : null;
}
