import type pg from 'pg';

/**
 * The outbox relay's backlog: domain events written but not yet handed to the listeners (SLA
 * clocks, triggers, follow-ups, billing triage, mail). Case creations commit faster than the relay
 * handles their events, so after a `create` step Baton keeps working; left alone, that work would
 * run during the next scenario (and the next benchmark run) and be measured as part of it.
 */
export async function relayBacklog(db: pg.Pool): Promise<number> {
  const result = await db.query<{ n: number }>('select count(*)::int as n from domain_events where published_at is null');
  return result.rows[0]?.n ?? 0;
}

/** Waits until the relay has caught up or `maxSeconds` passed; returns how long it took and what is left. */
export async function waitForRelay(db: pg.Pool, maxSeconds: number): Promise<{ seconds: number; left: number }> {
  const started = performance.now();
  for (;;) {
    const left = await relayBacklog(db);
    const seconds = (performance.now() - started) / 1000;
    if (left === 0 || seconds >= maxSeconds) return { seconds, left };
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}
