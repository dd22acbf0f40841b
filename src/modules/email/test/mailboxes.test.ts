import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createTeam, createWorkspace, unique } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { IMAP_SYNC_QUEUE } from '../imap/service.js';
import { decryptImapPassword } from '../mailboxes/password-crypto.js';
import { createMailbox, getImapMailbox, getMailbox, listImapMailboxes, listMailboxes } from '../mailboxes/service.js';
import type { MailboxView } from '../mailboxes/views.js';

type ErrorResponse = { error: { code: string; message: string; details?: Record<string, unknown> } };

beforeAll(async () => {
  await getTestApp();
});

// IMAP mailboxes here point at hosts that do not exist; the IMAP poller of a later run on the same
// PostgreSQL database should not keep trying them.
const withImap: string[] = [];
afterAll(async () => {
  const { db } = await getTestContext();
  if (withImap.length > 0) await db.updateTable('mailboxes').set({ active: false }).where('id', 'in', withImap).execute();
});

async function adminWorkspace() {
  const workspace = await createWorkspace();
  return { workspace, admin: await createAgent(workspace, { role: 'admin' }) };
}

const address = (prefix = 'billing') => `${unique(prefix)}@example.test`;
const imap = { host: 'imap.example.test', port: 993, tls: true, username: 'billing@example.test', password: 'Imap-Secret-42' };

async function post(headers: Record<string, string>, payload: object, extra: Record<string, string> = {}) {
  const app = await getTestApp();
  const res = await app.inject({ method: 'POST', url: '/api/v1/mailboxes', headers: { ...headers, ...extra }, payload });
  if (res.statusCode === 201 && 'imap' in payload) withImap.push(res.json<MailboxView>().id);
  return res;
}

describe('mailboxes API', () => {
  it('creates, lists, reads, changes and deletes a mailbox, audited', async () => {
    const app = await getTestApp();
    const { db } = await getTestContext();
    const { workspace, admin } = await adminWorkspace();
    const team = await createTeam(workspace);
    const mixed = address('Billing').replace('billing', 'BiLLing');
    const res = await post(admin.headers, {
      address: `  ${mixed} `,
      name: 'Billing',
      team_id: team.id,
      category: 'billing',
      language: 'de',
      acknowledge: false,
      ack_subject: 'Wir haben Ihre Nachricht erhalten',
      imap,
    });
    expect(res.statusCode).toBe(201);
    const mailbox = res.json<MailboxView>();
    expect(mailbox).toMatchObject({
      address: mixed.toLowerCase(),
      name: 'Billing',
      team_id: team.id,
      category: 'billing',
      language: 'de',
      acknowledge: false,
      ack_subject: 'Wir haben Ihre Nachricht erhalten',
      ack_body: null,
      active: true,
      imap: {
        host: 'imap.example.test',
        port: 993,
        tls: true,
        username: 'billing@example.test',
        folder: 'INBOX',
        move_to: null,
        has_password: true,
        last_sync_at: null,
        last_error: null,
      },
    });
    expect(res.body).not.toContain(imap.password);

    const agent = await createAgent(workspace);
    const list = await app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: agent.headers });
    expect(list.statusCode).toBe(200);
    expect(list.json<{ items: MailboxView[] }>().items).toEqual([mailbox]);
    expect(list.body).not.toContain(imap.password);
    const one = await app.inject({ method: 'GET', url: `/api/v1/mailboxes/${mailbox.id}`, headers: agent.tokenHeaders });
    expect(one.json()).toEqual(mailbox);
    expect(await getMailbox(db, agent.actor, mailbox.id)).toEqual(mailbox);

    const patched = await app.inject({
      method: 'PATCH',
      url: `/api/v1/mailboxes/${mailbox.id}`,
      headers: admin.headers,
      payload: { name: 'Invoices', team_id: null, active: false, ack_subject: null },
    });
    expect(patched.statusCode).toBe(200);
    expect(patched.json()).toMatchObject({
      name: 'Invoices',
      team_id: null,
      active: false,
      ack_subject: null,
      imap: { has_password: true },
    });

    const deleted = await app.inject({ method: 'DELETE', url: `/api/v1/mailboxes/${mailbox.id}`, headers: admin.headers });
    expect(deleted.statusCode).toBe(204);
    expect((await app.inject({ method: 'GET', url: `/api/v1/mailboxes/${mailbox.id}`, headers: agent.headers })).statusCode).toBe(404);

    const audit = await db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'details'])
      .where('workspace_id', '=', workspace.id)
      .orderBy('id')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['mailbox.created', 'mailbox.updated', 'mailbox.deleted']);
    expect(audit.every((a) => a.target_id === mailbox.id)).toBe(true);
    expect(JSON.stringify(audit)).not.toContain(imap.password);
    expect(audit[1]!.details).toMatchObject({ name: { from: 'Billing', to: 'Invoices' }, active: { from: true, to: false } });
  });

  it('returns the first result for a repeated Idempotency-Key', async () => {
    const { db } = await getTestContext();
    const { workspace, admin } = await adminWorkspace();
    const body = { address: address(), name: 'Support' };
    const key = { 'idempotency-key': unique('key') };
    const first = await post(admin.headers, body, key);
    const second = await post(admin.headers, body, key);
    expect(first.statusCode).toBe(201);
    expect(second.statusCode).toBe(201);
    expect(second.json()).toEqual(first.json());
    const rows = await db.selectFrom('mailboxes').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(rows).toHaveLength(1);
    const reused = await post(admin.headers, { ...body, name: 'Other' }, key);
    expect(reused.statusCode).toBe(422);
  });

  it('refuses bad input with precise errors and writes nothing', async () => {
    const { db } = await getTestContext();
    const { workspace, admin } = await adminWorkspace();
    const cases: [object, number, string][] = [
      [{ address: 'not-an-address', name: 'X' }, 400, 'mailbox.invalid_address'],
      [{ address: 'a b@example.test', name: 'X' }, 400, 'mailbox.invalid_address'],
      [{ address: 'billing@', name: 'X' }, 400, 'mailbox.invalid_address'],
      [{ address: 'billing..x@example.test', name: 'X' }, 400, 'mailbox.invalid_address'],
      [{ address: 'billing+vip@example.test', name: 'X' }, 400, 'mailbox.plus_address'],
      [{ address: address(), name: '' }, 400, 'validation_failed'],
      [{ address: address(), name: 'X', surprise: true }, 400, 'validation_failed'],
      [{ address: address(), name: 'X', category: 'sales' }, 400, 'validation_failed'],
      [{ address: address(), name: 'X', language: 'Deutsch!' }, 400, 'validation_failed'],
      [{ address: address(), name: 'X', imap: { ...imap, port: 0 } }, 400, 'validation_failed'],
      [
        { address: address(), name: 'X', imap: { host: 'imap.example.test', port: 993, tls: true, username: 'u' } },
        400,
        'validation_failed',
      ],
      [{ address: address(), name: 'X', imap: { ...imap, password: 'x', extra: 1 } }, 400, 'validation_failed'],
      [{ address: address(), name: 'X', imap: { ...imap, folder: 'INBOX', move_to: 'INBOX' } }, 400, 'mailbox.imap_move_to_same'],
      [{ address: address(), name: 'X', team_id: (await createTeam(await createWorkspace())).id }, 422, 'mailbox.unknown_team'],
    ];
    for (const [payload, status, code] of cases) {
      const res = await post(admin.headers, payload);
      expect({ payload, status: res.statusCode, code: res.json<ErrorResponse>().error.code }).toEqual({ payload, status, code });
    }
    const rows = await db.selectFrom('mailboxes').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(rows).toEqual([]);
  });

  it('refuses an address another mailbox has, in any workspace and any letter case', async () => {
    const { admin } = await adminWorkspace();
    const taken = address();
    expect((await post(admin.headers, { address: taken, name: 'One' })).statusCode).toBe(201);
    const again = await post(admin.headers, { address: taken.toUpperCase(), name: 'Two' });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorResponse>().error).toMatchObject({ code: 'mailbox.address_taken', details: { field: 'address' } });
    const other = await adminWorkspace();
    expect((await post(other.admin.headers, { address: taken, name: 'Three' })).json<ErrorResponse>().error.code).toBe(
      'mailbox.address_taken',
    );

    const app = await getTestApp();
    const second = (await post(admin.headers, { address: address(), name: 'Second' })).json<MailboxView>();
    const rename = await app.inject({
      method: 'PATCH',
      url: `/api/v1/mailboxes/${second.id}`,
      headers: admin.headers,
      payload: { address: taken },
    });
    expect(rename.statusCode).toBe(409);
    const plus = await app.inject({
      method: 'PATCH',
      url: `/api/v1/mailboxes/${second.id}`,
      headers: admin.headers,
      payload: { address: 'x+y@example.test' },
    });
    expect(plus.json<ErrorResponse>().error.code).toBe('mailbox.plus_address');
    const empty = await app.inject({ method: 'PATCH', url: `/api/v1/mailboxes/${second.id}`, headers: admin.headers, payload: {} });
    expect(empty.statusCode).toBe(400);
  });

  it('lets only admins write; agents and supervisors may read', async () => {
    const app = await getTestApp();
    const { workspace, admin } = await adminWorkspace();
    const mailbox = (await post(admin.headers, { address: address(), name: 'Support' })).json<MailboxView>();
    for (const role of ['agent', 'supervisor'] as const) {
      const someone = await createAgent(workspace, { role });
      const requests = [
        { method: 'POST' as const, url: '/api/v1/mailboxes', payload: { address: address(), name: 'Mine' } },
        { method: 'PATCH' as const, url: `/api/v1/mailboxes/${mailbox.id}`, payload: { name: 'Mine' } },
        { method: 'DELETE' as const, url: `/api/v1/mailboxes/${mailbox.id}` },
      ];
      for (const request of requests) {
        const res = await app.inject({ ...request, headers: someone.headers });
        expect({ role, method: request.method, status: res.statusCode }).toEqual({ role, method: request.method, status: 403 });
      }
      expect((await app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: someone.headers })).statusCode).toBe(200);
    }
    expect((await app.inject({ method: 'GET', url: '/api/v1/mailboxes' })).statusCode).toBe(401);
    const unchanged = await app.inject({ method: 'GET', url: `/api/v1/mailboxes/${mailbox.id}`, headers: admin.headers });
    expect(unchanged.json()).toEqual(mailbox);
  });

  it('hides mailboxes of other workspaces (404), and lists only its own', async () => {
    const app = await getTestApp();
    const mine = await adminWorkspace();
    const theirs = await adminWorkspace();
    const mailbox = (await post(mine.admin.headers, { address: address(), name: 'Mine', imap })).json<MailboxView>();
    for (const request of [
      { method: 'GET' as const, url: `/api/v1/mailboxes/${mailbox.id}` },
      { method: 'PATCH' as const, url: `/api/v1/mailboxes/${mailbox.id}`, payload: { name: 'Stolen' } },
      { method: 'DELETE' as const, url: `/api/v1/mailboxes/${mailbox.id}` },
    ]) {
      const res = await app.inject({ ...request, headers: theirs.admin.headers });
      expect(res.statusCode).toBe(404);
      expect(res.json<ErrorResponse>().error.code).toBe('mailbox.not_found');
    }
    const list = await app.inject({ method: 'GET', url: '/api/v1/mailboxes', headers: theirs.admin.headers });
    expect(list.json()).toEqual({ items: [] });
    const { db } = await getTestContext();
    expect(await listMailboxes(db, mine.admin.actor)).toHaveLength(1);
  });

  it('stores the IMAP password encrypted, keeps it unless replaced, and removes IMAP', async () => {
    const app = await getTestApp();
    const { db, secret } = await getTestContext();
    const { admin } = await adminWorkspace();
    const mailbox = (await post(admin.headers, { address: address(), name: 'Support', imap })).json<MailboxView>();
    const stored = async () =>
      (await db.selectFrom('mailboxes').select('imap_password_enc').where('id', '=', mailbox.id).executeTakeFirstOrThrow())
        .imap_password_enc!;
    const encrypted = await stored();
    expect(encrypted).toMatch(/^v1\./);
    expect(encrypted).not.toContain(imap.password);
    expect(decryptImapPassword(secret, mailbox.id, encrypted)).toBe(imap.password);
    // Bound to its mailbox: copied onto another row it does not decrypt.
    expect(() => decryptImapPassword(secret, crypto.randomUUID(), encrypted)).toThrow(/cannot be decrypted/);
    expect(() => decryptImapPassword('another-secret', mailbox.id, encrypted)).toThrow(/cannot be decrypted/);

    const patch = (payload: object) =>
      app.inject({ method: 'PATCH', url: `/api/v1/mailboxes/${mailbox.id}`, headers: admin.headers, payload });
    const moved = await patch({ imap: { folder: 'Support', move_to: 'Support/Done' } });
    expect(moved.statusCode).toBe(200);
    expect(moved.json<MailboxView>().imap).toMatchObject({
      host: imap.host,
      folder: 'Support',
      move_to: 'Support/Done',
      has_password: true,
    });
    expect(await stored()).toBe(encrypted);
    expect((await getImapMailbox(db, secret, mailbox.id))?.password).toBe(imap.password);

    expect((await patch({ imap: { password: 'New-Secret-43' } })).statusCode).toBe(200);
    expect(await stored()).not.toBe(encrypted);
    expect((await getImapMailbox(db, secret, mailbox.id))?.password).toBe('New-Secret-43');
    expect((await listImapMailboxes(db, secret)).find((m) => m.id === mailbox.id)).toMatchObject({
      password: 'New-Secret-43',
      folder: 'Support',
      moveTo: 'Support/Done',
    });

    await db
      .insertInto('imap_sync_state')
      .values({ mailbox_id: mailbox.id, uidvalidity: 7, last_uid: 3, last_error: 'IMAP login failed' })
      .execute();
    expect(
      (await app.inject({ method: 'GET', url: `/api/v1/mailboxes/${mailbox.id}`, headers: admin.headers })).json<MailboxView>().imap,
    ).toMatchObject({
      last_error: 'IMAP login failed',
    });

    const removed = await patch({ imap: null });
    expect(removed.json<MailboxView>().imap).toBeNull();
    const row = await db.selectFrom('mailboxes').selectAll().where('id', '=', mailbox.id).executeTakeFirstOrThrow();
    expect(row).toMatchObject({ imap_host: null, imap_username: null, imap_password_enc: null, imap_move_to: null });
    expect(await db.selectFrom('imap_sync_state').select('mailbox_id').where('mailbox_id', '=', mailbox.id).execute()).toEqual([]);
    expect(await getImapMailbox(db, secret, mailbox.id)).toBeUndefined();

    const incomplete = await patch({ imap: { host: 'imap.example.test' } });
    expect(incomplete.statusCode).toBe(400);
    expect(incomplete.json<ErrorResponse>().error).toMatchObject({
      code: 'mailbox.imap_incomplete',
      details: { fields: ['imap.username', 'imap.password'] },
    });
    const audit = await db.selectFrom('audit_log').select('details').where('target_id', '=', mailbox.id).execute();
    expect(JSON.stringify(audit)).not.toMatch(/Imap-Secret-42|New-Secret-43/);
  });

  it('queues a first sync for IMAP mailboxes and starts over when the account changes', async () => {
    const app = await getTestApp();
    const { db } = await getTestContext();
    const { admin } = await adminWorkspace();
    const mailbox = (await post(admin.headers, { address: address(), name: 'Support', imap })).json<MailboxView>();
    const jobs = () =>
      db
        .selectFrom('jobs')
        .select('singleton_key')
        .where('queue', '=', IMAP_SYNC_QUEUE)
        .where(sql<string>`payload->>'mailbox_id'`, '=', mailbox.id)
        .execute();
    expect((await jobs()).map((j) => j.singleton_key)).toEqual([expect.stringMatching(/^push:/)]);

    await db.insertInto('imap_sync_state').values({ mailbox_id: mailbox.id, uidvalidity: 7, last_uid: 3 }).execute();
    const state = () => db.selectFrom('imap_sync_state').select('last_uid').where('mailbox_id', '=', mailbox.id).executeTakeFirst();
    const patch = (payload: object) =>
      app.inject({ method: 'PATCH', url: `/api/v1/mailboxes/${mailbox.id}`, headers: admin.headers, payload });
    await patch({ imap: { move_to: 'Done' } });
    expect(await state()).toEqual({ last_uid: 3 });
    await patch({ imap: { username: 'other@example.test' } });
    expect(await state()).toBeUndefined();
  });

  it('deletes only a mailbox without mail; one with mail is deactivated instead', async () => {
    const app = await getTestApp();
    const { db, secret } = await getTestContext();
    const { workspace, admin } = await adminWorkspace();
    const mailbox = await createMailbox(db, secret, workspace.system, { address: address(), name: 'Used' });
    await db
      .insertInto('inbound_mail')
      .values({
        workspace_id: workspace.id,
        mailbox_id: mailbox.id,
        source: 'smtp',
        raw: Buffer.from('Subject: x\r\n\r\nx'),
        size_bytes: 15,
      })
      .execute();
    const refused = await app.inject({ method: 'DELETE', url: `/api/v1/mailboxes/${mailbox.id}`, headers: admin.headers });
    expect(refused.statusCode).toBe(409);
    expect(refused.json<ErrorResponse>().error.code).toBe('mailbox.in_use');
    const deactivated = await app.inject({
      method: 'PATCH',
      url: `/api/v1/mailboxes/${mailbox.id}`,
      headers: admin.headers,
      payload: { active: false },
    });
    expect(deactivated.json<MailboxView>().active).toBe(false);
    expect(await db.selectFrom('inbound_mail').select('id').where('mailbox_id', '=', mailbox.id).execute()).toHaveLength(1);
  });
});
