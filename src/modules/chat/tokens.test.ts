import crypto from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { MAX_LIFETIME_SECONDS, signIdentityToken, verifyIdentityToken } from './identity-token.js';
import { issueVisitorToken, newVisitorId, readVisitorToken } from './visitor-token.js';

const SECRET = 'site-secret-of-shop-one';
const SITE = 'cs_shop_one_key_0123456789';
const now = new Date('2026-05-01T12:00:00Z');
const inSeconds = (s: number) => Math.floor(now.getTime() / 1000) + s;

describe('identity tokens (HS256 signed by the site)', () => {
  it('accepts a fresh token for this site and returns its claims', () => {
    const token = signIdentityToken(SECRET, SITE, { sub: 'user-42', email: 'ann@shop.test', name: 'Ann', exp: inSeconds(300) });
    expect(verifyIdentityToken(token, SITE, [SECRET], now)).toEqual({
      ok: true,
      claims: { sub: 'user-42', email: 'ann@shop.test', name: 'Ann', exp: inSeconds(300) },
    });
  });

  it('refuses an expired token', () => {
    const token = signIdentityToken(SECRET, SITE, { sub: 'u', exp: inSeconds(-120) });
    expect(verifyIdentityToken(token, SITE, [SECRET], now)).toEqual({ ok: false, problem: 'expired' });
  });

  it('refuses a token signed with another secret, or changed after signing', () => {
    const forged = signIdentityToken('not-the-secret', SITE, { sub: 'u', exp: inSeconds(60) });
    expect(verifyIdentityToken(forged, SITE, [SECRET], now)).toEqual({ ok: false, problem: 'forged' });
    const token = signIdentityToken(SECRET, SITE, { sub: 'alice', exp: inSeconds(60) });
    const [h, , s] = token.split('.');
    const tampered = `${h}.${Buffer.from(JSON.stringify({ sub: 'admin', exp: inSeconds(60), aud: SITE })).toString('base64url')}.${s}`;
    expect(verifyIdentityToken(tampered, SITE, [SECRET], now)).toEqual({ ok: false, problem: 'forged' });
  });

  it("refuses another site's token, even signed with the same secret", () => {
    const token = signIdentityToken(SECRET, 'cs_other_site_key_987654321', { sub: 'u', exp: inSeconds(60) });
    expect(verifyIdentityToken(token, SITE, [SECRET], now)).toEqual({ ok: false, problem: 'other_site' });
  });

  it('refuses alg none, malformed tokens and long-lived tokens', () => {
    const header = Buffer.from(JSON.stringify({ alg: 'none', typ: 'JWT' })).toString('base64url');
    const payload = Buffer.from(JSON.stringify({ sub: 'u', exp: inSeconds(60), aud: SITE })).toString('base64url');
    expect(verifyIdentityToken(`${header}.${payload}.x`, SITE, [SECRET], now)).toEqual({ ok: false, problem: 'malformed' });
    expect(verifyIdentityToken('abc', SITE, [SECRET], now)).toEqual({ ok: false, problem: 'malformed' });
    expect(verifyIdentityToken('a.b.c'.repeat(2000), SITE, [SECRET], now)).toEqual({ ok: false, problem: 'malformed' });
    const long = signIdentityToken(SECRET, SITE, { sub: 'u', exp: inSeconds(MAX_LIFETIME_SECONDS + 600) });
    expect(verifyIdentityToken(long, SITE, [SECRET], now)).toEqual({ ok: false, problem: 'lifetime_too_long' });
    const noSub = signIdentityToken(SECRET, SITE, { sub: '', exp: inSeconds(60) });
    expect(verifyIdentityToken(noSub, SITE, [SECRET], now)).toEqual({ ok: false, problem: 'malformed' });
  });

  it('accepts the previous secret during a rotation', () => {
    const token = signIdentityToken('previous-secret', SITE, { sub: 'u', exp: inSeconds(60) });
    expect(verifyIdentityToken(token, SITE, [SECRET, 'previous-secret'], now).ok).toBe(true);
    expect(verifyIdentityToken(token, SITE, [SECRET], now).ok).toBe(false);
  });
});

describe('visitor tokens (signed by Baton)', () => {
  const instance = crypto.randomBytes(32).toString('hex');
  it('names the visitor for the site it was issued for only', () => {
    const visitor = newVisitorId();
    const token = issueVisitorToken(instance, 'site-a', visitor, now);
    expect(readVisitorToken(instance, 'site-a', token, now)).toBe(visitor);
    expect(readVisitorToken(instance, 'site-b', token, now)).toBeNull();
    expect(readVisitorToken('another-instance', 'site-a', token, now)).toBeNull();
    const other = newVisitorId();
    expect(readVisitorToken(instance, 'site-a', `${other}${token.slice(visitor.length)}`, now)).toBeNull();
    expect(readVisitorToken(instance, 'site-a', 'garbage', now)).toBeNull();
  });

  it('expires after half a year', () => {
    const visitor = newVisitorId();
    const token = issueVisitorToken(instance, 'site-a', visitor, now);
    expect(readVisitorToken(instance, 'site-a', token, new Date(now.getTime() + 181 * 86_400_000))).toBeNull();
  });
});
