import type { AppContext } from '../../../context.js';
import type { JobHandler } from '../../../platform/jobs.js';
import { getImapMailboxRow, listImapMailboxRows } from '../mailboxes/store.js';
import { IMAP_SYNC_QUEUE, requestImapSync, scheduleCurrentImapPoll, scheduleNextImapPoll, type ImapSyncPayload } from './schedule.js';
import { syncImapMailbox, type ImapSyncOptions } from './sync.js';

/**
 * The job that syncs one IMAP mailbox (queue `email.imap_sync`, payload {mailbox_id}). Every run
 * schedules the next poll slot, also after a failure (the error is in the mailbox's last_error
 * and the job is retried with backoff), so polling goes on while a server is down; it stops
 * when the mailbox is deactivated, deleted or loses its IMAP settings.
 */
export function imapSyncJob(ctx: AppContext, options: ImapSyncOptions = {}): JobHandler<ImapSyncPayload> {
  return {
    queue: IMAP_SYNC_QUEUE,
    lockSeconds: 600,
    async run(payload, db) {
      const mailboxId = payload.mailbox_id;
      if (typeof mailboxId !== 'string') return;
      try {
        const result = await syncImapMailbox(ctx, mailboxId, options);
        if (result.more) await requestImapSync(db, mailboxId);
      } finally {
        if (await getImapMailboxRow(db, mailboxId)) await scheduleNextImapPoll(db, mailboxId, ctx.config.mail.imapPollSeconds);
      }
    },
  };
}

/**
 * Queues the current poll of every active IMAP mailbox (worker start-up); each run then queues
 * the next. Mailboxes created or changed later queue their own first sync. Returns how many.
 */
export async function scheduleImapPolling(ctx: AppContext): Promise<number> {
  const rows = await listImapMailboxRows(ctx.db);
  for (const row of rows) await scheduleCurrentImapPoll(ctx.db, row.id, ctx.config.mail.imapPollSeconds);
  return rows.length;
}
