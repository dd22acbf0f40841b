import { ImapFlow } from 'imapflow';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../context.js';
import { createWorkspace, unique } from '../../../test/factories.js';
import { getTestContext } from '../../../test/harness.js';
import { ImapIdleWatcher, IMAP_SYNC_QUEUE, imapSyncJob, scheduleImapPolling, syncImapMailbox } from '../imap/service.js';
import { createMailbox, getMailbox, updateMailbox } from '../mailboxes/service.js';
import { dovecotUnavailable, startDovecot, type PrivateDovecot } from './dovecot.js';

const unavailable = dovecotUnavailable();
if (unavailable) console.warn(`IMAP tests skipped: ${unavailable}`);

let ctx: AppContext;
let dovecot: PrivateDovecot;
const created: string[] = [];

beforeAll(async () => {
  if (unavailable) return;
  ctx = await getTestContext();
  dovecot = await startDovecot();
});

afterAll(async () => {
  // Leave no active mailbox pointing at a server that is about to disappear (PostgreSQL keeps rows between runs).
  if (created.length > 0) await ctx.db.updateTable('mailboxes').set({ active: false }).where('id', 'in', created).execute();
  await dovecot?.stop();
});

function message(subject: string, extra = '') {
  return `From: Pat Payer <pat@customer.test>\r\nTo: support@example.test\r\nSubject: ${subject}\r\nMessage-ID: <${unique('imap')}@customer.test>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\nHello from IMAP.\r\n${extra}`;
}

async function imapMailbox(options: { folder?: string; moveTo?: string; password?: string } = {}) {
  const ws = await createWorkspace();
  const user = `${unique('support')}@example.test`;
  dovecot.addUser(user, 'secret-pass');
  const mailbox = await createMailbox(ctx.db, ctx.secret, ws.system, {
    address: user,
    name: 'Support',
    imap: {
      host: dovecot.host,
      port: dovecot.port,
      tls: false,
      username: user,
      password: options.password ?? 'secret-pass',
      ...(options.folder ? { folder: options.folder } : {}),
      ...(options.moveTo ? { move_to: options.moveTo } : {}),
    },
  });
  created.push(mailbox.id);
  return { ws, user, id: mailbox.id };
}

async function withImap<T>(user: string, fn: (client: ImapFlow) => Promise<T>): Promise<T> {
  const client = new ImapFlow({
    host: dovecot.host,
    port: dovecot.port,
    secure: false,
    auth: { user, pass: 'secret-pass' },
    logger: false,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.logout();
  }
}

async function rowsOf(mailboxId: string) {
  return ctx.db
    .selectFrom('inbound_mail')
    .select(['id', 'workspace_id', 'source', 'raw', 'envelope_from', 'envelope_to', 'imap_uidvalidity', 'imap_uid', 'status'])
    .where('mailbox_id', '=', mailboxId)
    .orderBy('imap_uidvalidity')
    .orderBy('imap_uid')
    .execute();
}

async function syncState(mailboxId: string) {
  return ctx.db.selectFrom('imap_sync_state').selectAll().where('mailbox_id', '=', mailboxId).executeTakeFirst();
}

async function jobsOf(mailboxId: string) {
  return ctx.db
    .selectFrom('jobs')
    .select(['id', 'status', 'run_at', 'singleton_key'])
    .where('queue', '=', IMAP_SYNC_QUEUE)
    .where(sql<string>`payload->>'mailbox_id'`, '=', mailboxId)
    .orderBy('id')
    .execute();
}

describe.skipIf(unavailable !== undefined)('IMAP sync (private Dovecot)', () => {
  it('imports a delivered message once, flags it seen, and never twice after a restart', async () => {
    const { ws, user, id } = await imapMailbox();
    await dovecot.deliver(user, message('Charged twice'));
    expect(await syncImapMailbox(ctx, id)).toEqual({ imported: 1, skipped: 0, more: false });
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      workspace_id: ws.id,
      source: 'imap',
      status: 'received',
      envelope_from: null,
      envelope_to: [user],
      imap_uid: 1,
    });
    expect(Buffer.from(rows[0]!.raw).toString()).toContain('Subject: Charged twice');
    const flags = await withImap(user, async (client) => {
      await client.mailboxOpen('INBOX');
      const fetched = await client.fetchOne('1', { flags: true }, { uid: true });
      return fetched ? fetched.flags : undefined;
    });
    expect(flags?.has('\\Seen')).toBe(true);

    expect(await syncImapMailbox(ctx, id)).toEqual({ imported: 0, skipped: 0, more: false });
    // A crash after storing the message but before last_uid advanced: the unique key holds.
    await ctx.db.updateTable('imap_sync_state').set({ last_uid: 0 }).where('mailbox_id', '=', id).execute();
    expect((await syncImapMailbox(ctx, id)).imported).toBe(0);
    expect(await rowsOf(id)).toHaveLength(1);
    expect((await syncState(id))?.last_uid).toBe(1);

    await dovecot.deliver(user, message('Second'));
    expect((await syncImapMailbox(ctx, id)).imported).toBe(1);
    expect((await rowsOf(id)).map((r) => r.imap_uid)).toEqual([1, 2]);
    const view = await getMailbox(ctx.db, ws.system, id);
    expect(view.imap).toMatchObject({ last_error: null, has_password: true });
    expect(view.imap?.last_sync_at).toBeTruthy();
  });

  it('starts from the first message again when UIDVALIDITY changes', async () => {
    const { user, id } = await imapMailbox({ folder: 'Support' });
    await withImap(user, (client) => client.mailboxCreate('Support'));
    await dovecot.deliver(user, message('One'), 'Support');
    await dovecot.deliver(user, message('Two'), 'Support');
    expect((await syncImapMailbox(ctx, id)).imported).toBe(2);
    const before = await syncState(id);
    expect(before?.last_uid).toBe(2);

    // Recreating the folder gives it a new UIDVALIDITY, and its UIDs start at 1 again.
    await withImap(user, async (client) => {
      await client.mailboxDelete('Support');
      await client.mailboxCreate('Support');
    });
    await dovecot.deliver(user, message('After the reset'), 'Support');
    expect((await syncImapMailbox(ctx, id)).imported).toBe(1);
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(3);
    const after = await syncState(id);
    expect(after?.uidvalidity).not.toBe(before?.uidvalidity);
    expect(after?.last_uid).toBe(1);
    expect(rows[2]).toMatchObject({ imap_uid: 1, imap_uidvalidity: after?.uidvalidity });
    expect(Buffer.from(rows[2]!.raw).toString()).toContain('Subject: After the reset');
  });

  it('moves imported messages to move_to, creating the folder', async () => {
    const { user, id } = await imapMailbox({ moveTo: 'Processed' });
    await dovecot.deliver(user, message('Move me'));
    await dovecot.deliver(user, message('Me too'));
    expect((await syncImapMailbox(ctx, id)).imported).toBe(2);
    const count = async (client: ImapFlow, folder: string) => {
      const status = await client.status(folder, { messages: true });
      return status ? status.messages : undefined;
    };
    const counts = await withImap(user, async (client) => ({
      inbox: await count(client, 'INBOX'),
      moved: await count(client, 'Processed'),
    }));
    expect(counts).toEqual({ inbox: 0, moved: 2 });
    expect((await syncImapMailbox(ctx, id)).imported).toBe(0);
  });

  it('records a wrong password in last_error and throws, then recovers', async () => {
    const { ws, user, id } = await imapMailbox({ password: 'wrong-pass' });
    await dovecot.deliver(user, message('Waiting'));
    await expect(syncImapMailbox(ctx, id, { connection: { connectionTimeoutMs: 5000 } })).rejects.toThrow(/IMAP login failed/);
    expect((await syncState(id))?.last_error).toMatch(/IMAP login failed/);
    expect((await getMailbox(ctx.db, ws.system, id)).imap?.last_error).toMatch(/IMAP login failed/);
    expect(await rowsOf(id)).toHaveLength(0);

    await updateMailbox(ctx.db, ctx.secret, ws.system, id, { imap: { password: 'secret-pass' } });
    expect((await syncImapMailbox(ctx, id)).imported).toBe(1);
    expect((await getMailbox(ctx.db, ws.system, id)).imap?.last_error).toBeNull();
  });

  it('records an unreachable server and a missing folder in last_error', async () => {
    const { ws, id } = await imapMailbox({ folder: 'Nope' });
    await expect(syncImapMailbox(ctx, id)).rejects.toThrow(/Nope/);
    expect((await syncState(id))?.last_error).toMatch(/Nope/);

    const closedPort = dovecot.port === 1 ? 2 : 1;
    await updateMailbox(ctx.db, ctx.secret, ws.system, id, { imap: { port: closedPort, folder: 'INBOX' } });
    await expect(syncImapMailbox(ctx, id, { connection: { connectionTimeoutMs: 3000 } })).rejects.toThrow(/failed/);
    expect((await getMailbox(ctx.db, ws.system, id)).imap?.last_error).toBeTruthy();
  });

  it('skips a message over the size limit and imports the rest', async () => {
    const { ws, user, id } = await imapMailbox();
    await dovecot.deliver(user, message('Huge', `${'x'.repeat(998)}\r\n`.repeat(1100)));
    await dovecot.deliver(user, message('Small'));
    expect(await syncImapMailbox(ctx, id)).toEqual({ imported: 1, skipped: 1, more: false });
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.imap_uid)).toEqual([2]);
    expect((await getMailbox(ctx.db, ws.system, id)).imap?.last_error).toMatch(/Skipped 1 message/);
    expect((await syncState(id))?.last_uid).toBe(2);
  });

  it('imports at most maxMessages per run and reports that more are waiting', async () => {
    const { user, id } = await imapMailbox();
    for (const subject of ['a', 'b', 'c']) await dovecot.deliver(user, message(subject));
    expect(await syncImapMailbox(ctx, id, { maxMessages: 2 })).toEqual({ imported: 2, skipped: 0, more: true });
    expect(await syncImapMailbox(ctx, id, { maxMessages: 2 })).toEqual({ imported: 1, skipped: 0, more: false });
  });

  it('runs as a job that schedules the next poll, and polling is scheduled per IMAP mailbox', async () => {
    const { ws, user, id } = await imapMailbox();
    // Creating the mailbox queued its first sync.
    expect((await jobsOf(id)).map((j) => j.singleton_key)).toEqual([expect.stringMatching(/^push:/)]);
    await dovecot.deliver(user, message('By job'));
    const before = Date.now();
    await imapSyncJob(ctx).run({ mailbox_id: id }, ctx.db);
    expect(await rowsOf(id)).toHaveLength(1);
    const poll = (await jobsOf(id)).find((j) => j.singleton_key?.startsWith('poll:'));
    const interval = ctx.config.mail.imapPollSeconds * 1000;
    expect(poll?.run_at.getTime()).toBeGreaterThan(before);
    expect(poll!.run_at.getTime()).toBeLessThanOrEqual(before + interval + 1000);
    // A second run in the same slot queues nothing more.
    await imapSyncJob(ctx).run({ mailbox_id: id }, ctx.db);
    expect((await jobsOf(id)).filter((j) => j.singleton_key?.startsWith('poll:'))).toHaveLength(1);

    expect(await scheduleImapPolling(ctx)).toBeGreaterThan(0);
    expect((await jobsOf(id)).filter((j) => j.singleton_key?.startsWith('poll:'))).toHaveLength(2);

    // A deactivated mailbox stops its polling chain.
    await updateMailbox(ctx.db, ctx.secret, ws.system, id, { active: false });
    await ctx.db
      .deleteFrom('jobs')
      .where('queue', '=', IMAP_SYNC_QUEUE)
      .where(sql<string>`payload->>'mailbox_id'`, '=', id)
      .execute();
    await imapSyncJob(ctx).run({ mailbox_id: id }, ctx.db);
    expect(await jobsOf(id)).toEqual([]);
  });

  it('the IDLE watcher queues a sync within seconds of a delivery', async () => {
    const { user, id } = await imapMailbox();
    const watcher = new ImapIdleWatcher(ctx, { connection: { connectionTimeoutMs: 3000 } });
    try {
      await watcher.start();
      const deadline = Date.now() + 10_000;
      while (!watcher.isIdling(id) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
      expect(watcher.isIdling(id)).toBe(true);
      await ctx.db
        .deleteFrom('jobs')
        .where('queue', '=', IMAP_SYNC_QUEUE)
        .where(sql<string>`payload->>'mailbox_id'`, '=', id)
        .execute();

      const delivered = Date.now();
      await dovecot.deliver(user, message('Pushed'));
      let jobs = await jobsOf(id);
      while (jobs.length === 0 && Date.now() - delivered < 5000) {
        await new Promise((r) => setTimeout(r, 50));
        jobs = await jobsOf(id);
      }
      expect(jobs).toHaveLength(1);
      expect(jobs[0]!.singleton_key).toMatch(/^push:/);
      expect(Date.now() - delivered).toBeLessThan(5000);
    } finally {
      await watcher.stop();
    }
    expect(watcher.isIdling(id)).toBe(false);
  });
});
