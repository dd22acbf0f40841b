import type { Db } from '../../../db/database.js';
import { enqueueJob } from '../../../platform/jobs.js';

/**
 * When IMAP mailboxes are synced: a durable job per mailbox and poll slot (every
 * BATON_IMAP_POLL_SECONDS), plus immediate syncs asked for by the IDLE watcher, by a new or changed
 * mailbox and by a run that stopped at its per-run cap.
 *
 * Singleton keys carry the slot, so every worker process computes the same key and a mailbox has
 * at most one queued poll per slot, however many processes schedule it. A job cannot re-enqueue
 * its own key while it runs, which is why each run schedules the *next* slot.
 */
export const IMAP_SYNC_QUEUE = 'email.imap_sync';

export type ImapSyncPayload = { mailbox_id: string };

/** Failed syncs are retried a few times with backoff; the next poll slot is scheduled anyway. */
const MAX_ATTEMPTS = 3;
/** Pushes within this window share one job (a burst of new mail is one sync). */
const PUSH_WINDOW_MS = 2000;

export function pollSlotStart(now: Date, intervalSeconds: number): Date {
  const ms = intervalSeconds * 1000;
  return new Date(Math.floor(now.getTime() / ms) * ms);
}

/** The poll of the slot `now` falls in, due at once (worker start-up). */
export async function scheduleCurrentImapPoll(db: Db, mailboxId: string, intervalSeconds: number, now = new Date()): Promise<void> {
  const slot = pollSlotStart(now, intervalSeconds);
  await enqueueJob(db, IMAP_SYNC_QUEUE, { mailbox_id: mailboxId } satisfies ImapSyncPayload, {
    runAt: now,
    singletonKey: `poll:${mailboxId}:${slot.toISOString()}`,
    maxAttempts: MAX_ATTEMPTS,
  });
}

/** The poll of the slot after `now`. */
export async function scheduleNextImapPoll(db: Db, mailboxId: string, intervalSeconds: number, now = new Date()): Promise<void> {
  const next = new Date(pollSlotStart(now, intervalSeconds).getTime() + intervalSeconds * 1000);
  await enqueueJob(db, IMAP_SYNC_QUEUE, { mailbox_id: mailboxId } satisfies ImapSyncPayload, {
    runAt: next,
    singletonKey: `poll:${mailboxId}:${next.toISOString()}`,
    maxAttempts: MAX_ATTEMPTS,
  });
}

/** A sync as soon as a worker is free (new mail pushed by IDLE, a new or changed mailbox). */
export async function requestImapSync(db: Db, mailboxId: string, now = new Date()): Promise<void> {
  await enqueueJob(db, IMAP_SYNC_QUEUE, { mailbox_id: mailboxId } satisfies ImapSyncPayload, {
    runAt: now,
    singletonKey: `push:${mailboxId}:${Math.floor(now.getTime() / PUSH_WINDOW_MS)}`,
    maxAttempts: MAX_ATTEMPTS,
  });
}
