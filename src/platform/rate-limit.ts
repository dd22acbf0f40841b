import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { RateLimitedError } from './errors.js';

export interface RateLimitRule {
  /** Bucket name, e.g. `login:ip:127.0.0.1` or `webform:email:a@b.c`. */
  bucket: string;
  limit: number;
  windowSeconds: number;
}

/**
 * Counts a hit in a fixed window shared by every process (a PostgreSQL row), and throws 429 with
 * Retry-After when the window is full. Runs outside the caller's transaction so a rolled-back
 * request still counts.
 */
export async function hitRateLimit(db: Db, rule: RateLimitRule, now = new Date()): Promise<void> {
  const [refused] = await hitRateLimits(db, [rule], now);
  if (refused) throw refused;
}

/**
 * Several hits in one statement (lines written together): for each rule in order, null when it
 * was within its limit, else the error `hitRateLimit` would have thrown. Rules may share a bucket;
 * each counts once, in order.
 */
export async function hitRateLimits(db: Db, rules: RateLimitRule[], now = new Date()): Promise<(RateLimitedError | null)[]> {
  if (rules.length === 0) return [];
  const windows = new Map<string, { bucket: string; windowStart: Date; hits: number }>();
  const keyed = rules.map((rule) => {
    const windowMs = rule.windowSeconds * 1000;
    const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
    const key = `${rule.bucket}\u0000${windowStart.getTime()}`;
    const window = windows.get(key) ?? { bucket: rule.bucket, windowStart, hits: 0 };
    window.hits++;
    windows.set(key, window);
    // This rule's hit is the n-th of the statement's hits on its window.
    return { rule, key, windowMs, windowStart, nth: window.hits };
  });
  const rows = await sql<{ bucket: string; window_start: Date; hits: number }>`
    insert into rate_limit_hits (bucket, window_start, hits)
    values ${sql.join([...windows.values()].map((w) => sql`(${w.bucket}, ${w.windowStart}, ${w.hits})`))}
    on conflict (bucket, window_start) do update set hits = rate_limit_hits.hits + excluded.hits
    returning bucket, window_start, hits`.execute(db);
  const after = new Map(rows.rows.map((r) => [`${r.bucket}\u0000${new Date(r.window_start).getTime()}`, r.hits]));
  return keyed.map(({ rule, key, windowMs, windowStart, nth }) => {
    const window = windows.get(key)!;
    const total = after.get(key);
    if (total === undefined) throw new Error(`rate limit window ${rule.bucket} was not counted`);
    const hits = total - window.hits + nth;
    if (hits <= rule.limit) return null;
    const retryAfter = Math.max(1, Math.ceil((windowStart.getTime() + windowMs - now.getTime()) / 1000));
    return new RateLimitedError('rate_limited', `Too many attempts; try again in ${retryAfter} seconds`, retryAfter);
  });
}

/**
 * Takes back one hit of the window `now` fell in, for limits that should count only failures
 * (a login that succeeded). Counting first and refunding keeps the check atomic under concurrency.
 */
export async function refundRateLimitHit(db: Db, rule: RateLimitRule, now: Date): Promise<void> {
  const windowMs = rule.windowSeconds * 1000;
  const windowStart = new Date(Math.floor(now.getTime() / windowMs) * windowMs);
  await sql`
    update rate_limit_hits set hits = hits - 1
    where bucket = ${rule.bucket} and window_start = ${windowStart} and hits > 0`.execute(db);
}

/** Clears a bucket (e.g. after a successful login). */
export async function resetRateLimit(db: Db, bucket: string): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('bucket', '=', bucket).execute();
}

/** Old windows are deleted by a periodic job. */
export async function pruneRateLimits(db: Db, olderThan: Date): Promise<void> {
  await db.deleteFrom('rate_limit_hits').where('window_start', '<', olderThan).execute();
}
