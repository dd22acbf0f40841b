import type { ImapFlow } from 'imapflow';
import type { Logger } from 'pino';
import type { AppContext } from '../../../context.js';
import { acceptInboundMail } from '../intake-store.js';
import { getImapMailbox, type ImapMailbox } from '../mailboxes/service.js';
import { closeImapClient, createImapClient, describeImapError, type ImapConnectionOptions } from './connection.js';
import { advanceLastUid, getSyncState, recordSyncDone, recordSyncError, restartSyncState } from './sync-state-store.js';

/**
 * Imports new messages of one IMAP mailbox. Order per message: the raw bytes are committed to
 * inbound_mail (de-duplicated on mailbox + UIDVALIDITY + UID), then last_uid advances, then the
 * message is flagged \Seen or moved. A crash between the steps repeats at most the later ones,
 * and a repeated import is a no-op, so a restart never creates a second row (or case).
 */
export interface ImapSyncOptions {
  /** Messages imported per run; the job queues a follow-up run when more are waiting. */
  maxMessages?: number;
  connection?: Omit<ImapConnectionOptions, 'maxMessageBytes'>;
}

export interface ImapSyncResult {
  imported: number;
  /** Messages over BATON_MAIL_MAX_BYTES, left unread in the folder. */
  skipped: number;
  /** More new messages than maxMessages were waiting. */
  more: boolean;
}

const DEFAULT_MAX_MESSAGES = 200;
const NOTHING: ImapSyncResult = { imported: 0, skipped: 0, more: false };

// A poll and a push may ask for the same mailbox at once: one sync at a time per mailbox in this
// process. (Across processes the unique key and the monotonic last_uid keep the outcome right.)
const running = new Map<string, Promise<unknown>>();

export async function syncImapMailbox(ctx: AppContext, mailboxId: string, options: ImapSyncOptions = {}): Promise<ImapSyncResult> {
  const previous = running.get(mailboxId) ?? Promise.resolve();
  const current = previous.catch(() => undefined).then(() => syncOnce(ctx, mailboxId, options));
  running.set(mailboxId, current);
  try {
    return await current;
  } finally {
    if (running.get(mailboxId) === current) running.delete(mailboxId);
  }
}

async function syncOnce(ctx: AppContext, mailboxId: string, options: ImapSyncOptions): Promise<ImapSyncResult> {
  const logger = ctx.logger.child({ module: 'imap', mailboxId });
  let mailbox: ImapMailbox | undefined;
  try {
    mailbox = await getImapMailbox(ctx.db, ctx.secret, mailboxId);
  } catch (error) {
    await recordSyncError(ctx.db, mailboxId, describeImapError(error)).catch(() => undefined);
    throw error;
  }
  // Deactivated, deleted or no longer on IMAP since the job was queued.
  if (!mailbox) return NOTHING;

  const maxBytes = ctx.config.mail.maxMessageBytes;
  const client = createImapClient(mailbox, logger, { ...options.connection, maxMessageBytes: maxBytes });
  try {
    await client.connect();
    const result = await importNewMessages(ctx, client, mailbox, logger, options.maxMessages ?? DEFAULT_MAX_MESSAGES);
    const notice =
      result.skipped > 0
        ? `Skipped ${result.skipped} message(s) larger than ${maxBytes} bytes; they stay unread in ${mailbox.folder}`
        : null;
    await recordSyncDone(ctx.db, mailboxId, notice);
    if (result.imported > 0) logger.info({ imported: result.imported, more: result.more }, 'imap messages imported');
    return result;
  } catch (error) {
    const message = describeImapError(error);
    logger.warn({ err: error, mailbox: mailbox.address }, `imap sync failed: ${message}`);
    // The mailbox may have been deleted meanwhile (foreign key): nothing left to report on.
    await recordSyncError(ctx.db, mailboxId, message).catch(() => undefined);
    throw new Error(`IMAP sync of ${mailbox.address} failed: ${message}`, { cause: error });
  } finally {
    await closeImapClient(client);
  }
}

async function importNewMessages(
  ctx: AppContext,
  client: ImapFlow,
  mailbox: ImapMailbox,
  logger: Logger,
  maxMessages: number,
): Promise<ImapSyncResult> {
  const folder = await client.mailboxOpen(mailbox.folder);
  const uidvalidity = Number(folder.uidValidity);
  const state = await getSyncState(ctx.db, mailbox.id);
  let lastUid = 0;
  if (state && state.uidvalidity === uidvalidity) {
    lastUid = state.last_uid;
  } else {
    if (state && state.uidvalidity !== 0) {
      logger.warn({ from: state.uidvalidity, to: uidvalidity }, 'imap UIDVALIDITY changed: reading the folder from its first message');
    }
    await restartSyncState(ctx.db, mailbox.id, uidvalidity);
  }

  // UIDs and sizes first (no other command may run inside a FETCH loop), then one message at a
  // time, so memory holds at most one message.
  const waiting: { uid: number; size: number }[] = [];
  if (folder.exists > 0) {
    for await (const message of client.fetch(`${lastUid + 1}:*`, { uid: true, size: true }, { uid: true })) {
      // `n:*` also returns the last message when n is past it.
      if (message.uid > lastUid) waiting.push({ uid: message.uid, size: message.size ?? 0 });
    }
  }
  waiting.sort((a, b) => a.uid - b.uid);
  const batch = waiting.slice(0, maxMessages);
  const maxBytes = ctx.config.mail.maxMessageBytes;
  if (batch.length > 0 && mailbox.moveTo) await client.mailboxCreate(mailbox.moveTo);

  let imported = 0;
  let skipped = 0;
  for (const { uid, size } of batch) {
    const message = size > maxBytes ? undefined : await client.fetchOne(String(uid), { uid: true, source: true }, { uid: true });
    const raw = message ? message.source : undefined;
    if (size > maxBytes || (raw && raw.length > maxBytes)) {
      logger.warn({ uid, size: Math.max(size, raw?.length ?? 0), limit: maxBytes }, 'imap message over the size limit skipped');
      skipped++;
      await advanceLastUid(ctx.db, mailbox.id, uidvalidity, uid);
      continue;
    }
    if (!raw) {
      // Expunged since the UID list was read.
      await advanceLastUid(ctx.db, mailbox.id, uidvalidity, uid);
      continue;
    }
    const ids = await acceptInboundMail(ctx.db, {
      source: 'imap',
      raw,
      envelopeFrom: null,
      recipients: [{ address: mailbox.address, mailbox: mailbox.route }],
      imap: { uidvalidity, uid },
    });
    if (ids.length > 0) imported++;
    await advanceLastUid(ctx.db, mailbox.id, uidvalidity, uid);
    if (mailbox.moveTo) await client.messageMove(String(uid), mailbox.moveTo, { uid: true });
    else await client.messageFlagsAdd(String(uid), ['\\Seen'], { uid: true });
  }
  return { imported, skipped, more: waiting.length > batch.length };
}
