import { describe, expect, it } from 'vitest';
import { createAgent } from '../../../test/factories.js';
import { getTestApp } from '../../../test/harness.js';
import { receiveCustomerContact } from '../../cases/service.js';
import { findOrCreateCustomerByEmail } from '../../customers/service.js';
import { composeMail, deliver, inboundRow, mailWorld, messagesOf, processMail, receive } from './support.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

interface InboundMailItem {
  id: string;
  status: string;
  reason_code: string | null;
  from_address: string | null;
  subject: string | null;
  mailbox_address: string | null;
  case_id: string | null;
  case_number: number | null;
  size_bytes: number;
}

async function problemWorld() {
  const app = await getTestApp();
  const world = await mailWorld();
  const admin = await createAgent(world.workspace, { role: 'admin' });
  const supervisor = await createAgent(world.workspace, { role: 'supervisor' });
  const agent = await createAgent(world.workspace, { role: 'agent' });
  // One processed, one quarantined (a limit), one still waiting.
  const processed = await receive(world, { from: 'ok@customer.example', subject: 'Fine', text: 'Hi' });
  const big = await deliver(
    world.mailbox,
    await composeMail({ from: 'Big <big@customer.example>', to: world.mailbox.address, subject: 'Große Datei', text: 'x'.repeat(4000) }),
  );
  await processMail(world.workspace, { limits: { maxBytes: 1024 } });
  const waiting = await deliver(
    world.mailbox,
    await composeMail({ from: 'later@customer.example', to: world.mailbox.address, subject: 'Not yet', text: 'Hi' }),
  );
  return { app, world, admin, supervisor, agent, processed, big, waiting };
}

describe('problem mail API', () => {
  it('lists received mail newest first, by status, with cursors, for admins and supervisors', async () => {
    const { app, world, admin, supervisor, processed, big, waiting } = await problemWorld();
    const all = await app.inject({ method: 'GET', url: '/api/v1/inbound-mail', headers: admin.headers });
    expect(all.statusCode, all.body).toBe(200);
    const items = all.json<{ items: InboundMailItem[]; next_cursor: string | null }>().items;
    expect(items.map((i) => i.id)).toEqual([waiting, big, processed.id]);
    expect(items[0]).toMatchObject({ status: 'received', from_address: 'later@customer.example', subject: 'Not yet', case_id: null });
    expect(items[1]).toMatchObject({
      status: 'quarantined',
      reason_code: 'mail.too_large',
      from_address: 'big@customer.example',
      subject: 'Große Datei',
      mailbox_address: world.mailbox.address,
    });
    expect(items[2]).toMatchObject({ status: 'processed', case_id: processed.case_id, case_number: expect.any(Number) });

    const quarantined = await app.inject({
      method: 'GET',
      url: '/api/v1/inbound-mail?status=quarantined',
      headers: supervisor.tokenHeaders,
    });
    expect(quarantined.json<{ items: InboundMailItem[] }>().items.map((i) => i.id)).toEqual([big]);

    const page1 = await app.inject({ method: 'GET', url: '/api/v1/inbound-mail?limit=2', headers: admin.headers });
    const body1 = page1.json<{ items: InboundMailItem[]; next_cursor: string }>();
    expect(body1.items).toHaveLength(2);
    const page2 = await app.inject({
      method: 'GET',
      url: `/api/v1/inbound-mail?limit=2&cursor=${encodeURIComponent(body1.next_cursor)}`,
      headers: admin.headers,
    });
    expect(page2.json<{ items: InboundMailItem[]; next_cursor: null }>()).toMatchObject({
      items: [{ id: processed.id }],
      next_cursor: null,
    });

    const bad = await app.inject({ method: 'GET', url: '/api/v1/inbound-mail?status=lost', headers: admin.headers });
    expect(bad.statusCode).toBe(400);
    const badCursor = await app.inject({ method: 'GET', url: '/api/v1/inbound-mail?cursor=WzEsMl0', headers: admin.headers });
    expect(badCursor.statusCode).toBe(400);
  });

  it('is refused to agents (403) and shows nothing of other workspaces (404)', async () => {
    const { app, agent, big } = await problemWorld();
    for (const [method, url] of [
      ['GET', '/api/v1/inbound-mail'],
      ['GET', `/api/v1/inbound-mail/${big}`],
      ['GET', `/api/v1/inbound-mail/${big}/raw`],
      ['POST', `/api/v1/inbound-mail/${big}/reprocess`],
    ] as const) {
      const res = await app.inject({ method, url, headers: agent.headers });
      expect(res.statusCode, `${method} ${url}`).toBe(403);
    }
    const stranger = await createAgent((await mailWorld()).workspace, { role: 'admin' });
    for (const [method, url] of [
      ['GET', `/api/v1/inbound-mail/${big}`],
      ['GET', `/api/v1/inbound-mail/${big}/raw`],
      ['POST', `/api/v1/inbound-mail/${big}/reprocess`],
    ] as const) {
      const res = await app.inject({ method, url, headers: stranger.headers });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json<{ error: { code: string } }>().error.code).toBe('inbound_mail.not_found');
    }
    const list = await app.inject({ method: 'GET', url: '/api/v1/inbound-mail', headers: stranger.headers });
    expect(list.json<{ items: unknown[] }>().items).toEqual([]);
  });

  it('shows one message with its header block and serves the raw message as a download', async () => {
    const { app, admin, big } = await problemWorld();
    const detail = await app.inject({ method: 'GET', url: `/api/v1/inbound-mail/${big}`, headers: admin.headers });
    expect(detail.statusCode, detail.body).toBe(200);
    const body = detail.json<InboundMailItem & { headers: string }>();
    expect(body).toMatchObject({ id: big, status: 'quarantined' });
    expect(body.headers).toMatch(/^From: /m);
    expect(body.headers).toMatch(/^Subject: /m);
    expect(body.headers).not.toContain('xxxx');

    const raw = await app.inject({ method: 'GET', url: `/api/v1/inbound-mail/${big}/raw`, headers: admin.headers });
    expect(raw.statusCode).toBe(200);
    expect(raw.headers['content-type']).toBe('message/rfc822');
    expect(raw.headers['content-disposition']).toBe(`attachment; filename="message-${big}.eml"`);
    expect(raw.headers['x-content-type-options']).toBe('nosniff');
    expect(raw.rawPayload.length).toBe(body.size_bytes);
    expect(raw.rawPayload.toString()).toContain('x'.repeat(50));

    const missing = await app.inject({
      method: 'GET',
      url: '/api/v1/inbound-mail/00000000-0000-4000-8000-000000000000',
      headers: admin.headers,
    });
    expect(missing.statusCode).toBe(404);
    const malformed = await app.inject({ method: 'GET', url: '/api/v1/inbound-mail/nope', headers: admin.headers });
    expect(malformed.statusCode).toBe(400);
  });

  it('reprocesses quarantined or ignored mail (202, audited) and refuses anything else', async () => {
    const { app, world, admin, processed, big, waiting } = await problemWorld();
    const res = await app.inject({ method: 'POST', url: `/api/v1/inbound-mail/${big}/reprocess`, headers: admin.headers });
    expect(res.statusCode, res.body).toBe(202);
    expect(res.json()).toEqual({ id: big, status: 'received' });
    expect(await inboundRow(big)).toMatchObject({ status: 'received', reason_code: null, attempts: 0 });
    const audit = await world.db
      .selectFrom('audit_log')
      .select(['action', 'target_id', 'actor_id'])
      .where('workspace_id', '=', world.workspace.id)
      .where('action', '=', 'inbound_mail.reprocess')
      .execute();
    expect(audit).toEqual([{ action: 'inbound_mail.reprocess', target_id: big, actor_id: admin.id }]);
    await processMail(world.workspace);
    expect((await inboundRow(big)).status).toBe('processed');

    for (const id of [processed.id, waiting]) {
      const refused = await app.inject({ method: 'POST', url: `/api/v1/inbound-mail/${id}/reprocess`, headers: admin.headers });
      expect(refused.statusCode).toBe(422);
      expect(refused.json<{ error: { code: string } }>().error.code).toBe('inbound_mail.not_reprocessable');
    }
    const noCsrf = await app.inject({
      method: 'POST',
      url: `/api/v1/inbound-mail/${big}/reprocess`,
      headers: { cookie: admin.headers.cookie! },
    });
    expect(noCsrf.statusCode).toBe(403);
  });
});

describe('message email API', () => {
  it('serves the sanitized HTML with cid images pointing to signed embedded-image links, addresses, auth and headers', async () => {
    const app = await getTestApp();
    const world = await mailWorld();
    const agent = await createAgent(world.workspace, { role: 'agent' });
    const row = await receive(world, {
      from: 'Erika <erika@customer.example>',
      cc: 'max@customer.example',
      subject: 'With picture',
      text: 'See picture',
      html: '<p onclick="steal()">See <img src="cid:pic@customer.example" alt="pic"> and <img src="https://tracker.example/p.gif"></p><script>alert(1)</script><a href="javascript:alert(1)">x</a>',
      attachments: [{ filename: 'pic.png', content: PNG, cid: 'pic@customer.example' }],
    });
    const res = await app.inject({ method: 'GET', url: `/api/v1/messages/${row.message_id}/email`, headers: agent.headers });
    expect(res.statusCode, res.body).toBe(200);
    const body = res.json<{
      message_id: string;
      html: string;
      has_remote_images: boolean;
      from: unknown;
      cc: unknown;
      auth: unknown;
      headers: Record<string, string>;
      subject: string;
    }>();
    expect(body.message_id).toBe(row.message_id);
    expect(body.html).toMatch(/<img[^>]+src="\/files\/[0-9a-f-]{36}\?embed=[^"]+"/);
    expect(body.html).not.toContain('cid:');
    expect(body.html).not.toMatch(/<script|onclick|javascript:/i);
    expect(body.has_remote_images).toBe(true);
    expect(body.from).toEqual({ address: 'erika@customer.example', name: 'Erika' });
    expect(body.cc).toEqual([{ address: 'max@customer.example', name: '' }]);
    expect(body.auth).toEqual({ spf: 'none', dkim: 'none', dmarc: 'none', verdict: 'none' });
    expect(body.subject).toBe('With picture');
    expect(body.headers['subject']).toBe('With picture');

    // The link in the HTML serves the picture inline, loadable from the sandboxed frame.
    const src = /src="(\/files\/[^"]+\?embed=[^"]+)"/.exec(body.html)![1]!.replace(/&amp;/g, '&');
    const file = await app.inject({ method: 'GET', url: src });
    expect(file.statusCode).toBe(200);
    expect(file.headers['cross-origin-resource-policy']).toBe('cross-origin');
    expect(file.rawPayload.equals(PNG)).toBe(true);
  });

  it('is 404 for another workspace, an unknown id and a message that did not come by email', async () => {
    const app = await getTestApp();
    const world = await mailWorld();
    const row = await receive(world, { from: 'erika@customer.example', subject: 'Hi', text: 'Hi' });
    const stranger = await createAgent((await mailWorld()).workspace, { role: 'admin' });
    const foreign = await app.inject({ method: 'GET', url: `/api/v1/messages/${row.message_id}/email`, headers: stranger.headers });
    expect(foreign.statusCode).toBe(404);

    const agent = await createAgent(world.workspace);
    const { customerId } = await findOrCreateCustomerByEmail(world.db, world.workspace.system, { email: 'web@customer.example' });
    const contact = await receiveCustomerContact(world.db, world.workspace.system, {
      customerId,
      subject: 'Web',
      category: 'general',
      channel: 'web',
      bodyText: 'From the form',
    });
    const [webMessage] = await messagesOf(world.ctx, contact.caseId);
    const web = await app.inject({ method: 'GET', url: `/api/v1/messages/${webMessage!.id}/email`, headers: agent.headers });
    expect(web.statusCode).toBe(404);
    const unknown = await app.inject({
      method: 'GET',
      url: '/api/v1/messages/00000000-0000-4000-8000-000000000000/email',
      headers: agent.headers,
    });
    expect(unknown.statusCode).toBe(404);
  });
});
