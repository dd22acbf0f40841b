import fs from 'node:fs/promises';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent } from '../../../test/factories.js';
import { getTestApp } from '../../../test/harness.js';
import { addMessage, type CaseView } from '../../cases/service.js';
import { storeUpload } from '../../files/service.js';
import { contentPath, sha256Of } from '../../files/storage.js';
import { caseIdFromReplyAddress } from '../reply-address.js';
import { loopHeaderValue } from '../outbound/compose.js';
import { MAX_SEND_ATTEMPTS } from '../outbound/queue.js';
import {
  emailWorld,
  inboundEmailCase,
  outboundRows,
  relayEvents,
  runSendJobs,
  withRelay,
  type EmailWorld,
} from '../outbound/test-support.js';
import { SmtpReceiver } from './smtp-receiver.js';

/**
 * Outgoing mail end to end: a case event is relayed to the email listeners, the send job composes
 * the message and hands it over a real SMTP conversation (nodemailer) to a local SMTP server.
 */

let receiver: SmtpReceiver;

beforeAll(async () => {
  await getTestApp();
  receiver = await SmtpReceiver.start();
});

afterAll(async () => {
  await receiver.close();
});

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

async function reply(world: EmailWorld, kase: CaseView, body: string, extra: Record<string, unknown> = {}) {
  const app = await getTestApp();
  const res = await app.inject({
    method: 'POST',
    url: `/api/v1/cases/${kase.id}/messages`,
    headers: world.agent.headers,
    payload: { body, visibility: 'public', ...extra },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<{ message: { id: string } }>().message;
}

const header = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

describe('replies to customers', () => {
  it('emails a public agent reply with threading headers, CC, the signed reply address, both parts and the attachment', async () => {
    const world = await emailWorld();
    const { ctx, ws, mailbox, customer } = world;
    const kase = await inboundEmailCase(world, {
      subject: 'Re: AW: Invoice 42 is wrong',
      inboundMessageId: 'in-1@customer.test',
      references: ['root@customer.test'],
      cc: ['colleague@customer.test'],
    });
    const file = await storeUpload(ctx, { workspaceId: ws.id, filename: 'invoice-42.pdf', bytes: PDF });
    const message = await reply(
      world,
      kase,
      'We refunded the <b>second</b> charge.\n\nDetails: https://acme.test/refunds/42.\nBest, Alex',
      {
        attachment_ids: [file.id],
      },
    );

    const relayed = withRelay(ctx, receiver.url);
    await relayEvents(relayed);
    const [row] = await outboundRows(ctx, ws.id);
    expect(row).toMatchObject({ kind: 'reply', status: 'queued', case_id: kase.id, message_id: message.id, mailbox_id: mailbox.id });
    expect(await runSendJobs(relayed)).toBeGreaterThanOrEqual(1);

    const got = receiver.to(customer.email);
    expect(got).toHaveLength(1);
    const mail = got[0]!.parsed;
    expect(got[0]!.envelope).toEqual({ from: mailbox.address, to: [customer.email, 'colleague@customer.test'] });
    expect(mail.from?.value).toEqual([{ address: mailbox.address, name: 'Acme Billing' }]);
    expect(mail.to && !Array.isArray(mail.to) ? mail.to.value : []).toEqual([{ address: customer.email, name: 'Casey Customer' }]);
    expect(mail.cc && !Array.isArray(mail.cc) ? mail.cc.value.map((a) => a.address) : []).toEqual(['colleague@customer.test']);
    const replyTo = mail.replyTo?.value[0]?.address ?? '';
    expect(replyTo).not.toBe(mailbox.address);
    expect(caseIdFromReplyAddress(ctx.secret, replyTo, mailbox.address)).toBe(kase.id);
    expect(mail.subject).toBe(`Re: Invoice 42 is wrong [#${kase.number}]`);

    const sent = (await outboundRows(ctx, ws.id))[0]!;
    expect(sent).toMatchObject({ status: 'sent', attempts: 1, last_error: null });
    expect(sent.sent_at).not.toBeNull();
    expect(mail.messageId).toBe(`<${sent.message_id_header}>`);
    expect(sent.message_id_header).toMatch(new RegExp(`^[0-9a-f-]{36}@${mailbox.address.split('@')[1]}$`));
    expect(mail.inReplyTo).toBe('<in-1@customer.test>');
    expect(mail.references).toEqual(['<root@customer.test>', '<in-1@customer.test>']);
    expect(mail.headers.get('x-baton-loop')).toBe(loopHeaderValue(ctx.secret));
    expect(mail.headers.has('auto-submitted')).toBe(false);

    expect(mail.text).toContain('We refunded the <b>second</b> charge.');
    const html = String(mail.html);
    expect(html).toContain('We refunded the &lt;b&gt;second&lt;/b&gt; charge.');
    expect(html).toContain('<a href="https://acme.test/refunds/42">https://acme.test/refunds/42</a>.');
    expect(html).toContain(`#${kase.number}`);
    expect(mail.attachments.map((a) => [a.filename, a.contentType])).toEqual([['invoice-42.pdf', 'application/pdf']]);
    expect(mail.attachments[0]!.content.equals(PDF)).toBe(true);

    // What was stored is what went over the wire.
    expect(got[0]!.raw.toString('latin1').trimEnd()).toBe(Buffer.from(sent.raw!).toString('latin1').trimEnd());
    // The customer's answer to our mail threads by its Message-ID (step 2).
    const ids = await ctx.db
      .selectFrom('email_message_ids')
      .select(['message_id_header', 'direction'])
      .where('case_id', '=', kase.id)
      .where('direction', '=', 'outbound')
      .execute();
    expect(ids).toEqual([{ message_id_header: sent.message_id_header, direction: 'outbound' }]);

    // A replayed event (the relay is at-least-once) sends nothing more.
    await sql`update domain_events set published_at = null where workspace_id = ${ws.id}`.execute(ctx.db);
    await relayEvents(relayed);
    await runSendJobs(relayed);
    expect(await outboundRows(ctx, ws.id)).toHaveLength(1);
    expect(receiver.to(customer.email)).toHaveLength(1);
  });

  it('never emails an internal note', async () => {
    const world = await emailWorld();
    const kase = await inboundEmailCase(world);
    await reply(world, kase, 'Internal: the customer was charged twice, refund approved', { visibility: 'internal' });
    const relayed = withRelay(world.ctx, receiver.url);
    await relayEvents(relayed);
    await runSendJobs(relayed);
    expect(await outboundRows(world.ctx, world.ws.id)).toEqual([]);
    expect(receiver.to(world.customer.email)).toEqual([]);
  });

  it('answers from the mailbox the customer wrote to, and to the address they wrote from', async () => {
    const world = await emailWorld();
    const { ctx, ws, customer } = world;
    // A second mailbox of the case's category, created earlier: still the inbound one wins.
    const other = await ctx.db
      .insertInto('mailboxes')
      .values({
        workspace_id: ws.id,
        address: `other-${world.mailbox.address}`,
        name: 'Other',
        category: 'billing',
        created_at: new Date(0),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const second = `second-${customer.email}`;
    await ctx.db
      .insertInto('customer_identities')
      .values({ workspace_id: ws.id, customer_id: customer.id, kind: 'email', value: second, is_primary: false })
      .execute();
    const kase = await inboundEmailCase(world);
    await ctx.db
      .updateTable('messages')
      .set({ metadata: JSON.stringify({ email: { mailbox_id: world.mailbox.id, message_id: 'x@customer.test', from: second } }) })
      .where('case_id', '=', kase.id)
      .execute();
    await reply(world, kase, 'Thanks, done.');
    await relayEvents(withRelay(ctx, undefined));
    const [row] = await outboundRows(ctx, ws.id);
    expect(row!.mailbox_id).toBe(world.mailbox.id);
    expect(row!.mailbox_id).not.toBe(other.id);
    expect(row!.to_addresses).toEqual([`"Casey Customer" <${second}>`]);
  });

  it('records a suppressed mail with the reason when the customer cannot be reached or no mailbox exists', async () => {
    const world = await emailWorld();
    const { ctx, ws, customer } = world;
    await ctx.db.updateTable('customer_identities').set({ undeliverable_at: new Date() }).where('customer_id', '=', customer.id).execute();
    const kase = await inboundEmailCase(world);
    await reply(world, kase, 'Any news?');
    const noMailbox = await emailWorld({ mailbox: false });
    const kase2 = await inboundEmailCase(noMailbox);
    await reply(noMailbox, kase2, 'Hello from a workspace without mailboxes');
    await relayEvents(withRelay(ctx, receiver.url));
    await runSendJobs(withRelay(ctx, receiver.url));

    const [undeliverable] = await outboundRows(ctx, ws.id);
    expect(undeliverable).toMatchObject({ status: 'suppressed', to_addresses: [] });
    expect(undeliverable!.last_error).toMatch(/undeliverable/);
    const [unsendable] = await outboundRows(ctx, noMailbox.ws.id);
    expect(unsendable).toMatchObject({ status: 'suppressed', from_address: '' });
    expect(unsendable!.last_error).toMatch(/no active mailbox/);
    expect(
      await ctx.db
        .selectFrom('jobs')
        .select('id')
        .where(sql<boolean>`payload->>'outbound_mail_id' = ${unsendable!.id}`)
        .execute(),
    ).toEqual([]);
    expect(receiver.to(customer.email)).toEqual([]);
    expect(receiver.to(noMailbox.customer.email)).toEqual([]);
  });

  it('leaves chat cases to their own channel', async () => {
    const world = await emailWorld();
    const kase = await inboundEmailCase(world, { channel: 'chat' });
    await reply(world, kase, 'Hi from chat');
    await relayEvents(withRelay(world.ctx, receiver.url));
    expect(await outboundRows(world.ctx, world.ws.id)).toEqual([]);
  });
});

describe('sending', () => {
  it('keeps the mail without a relay, with its raw message downloadable from the viewer', async () => {
    const world = await emailWorld();
    const { ctx, ws } = world;
    const kase = await inboundEmailCase(world);
    await reply(world, kase, 'Kept, not sent');
    const kept = withRelay(ctx, undefined);
    await relayEvents(kept);
    await runSendJobs(kept);
    const [row] = await outboundRows(ctx, ws.id);
    expect(row).toMatchObject({ status: 'kept', attempts: 1, sent_at: null, last_error: null });
    expect(row!.raw).not.toBeNull();

    const admin = await createAgent(ws, { role: 'admin' });
    const app = await getTestApp();
    const res = await app.inject({ method: 'GET', url: `/api/v1/outbound-mail/${row!.id}/raw`, headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('message/rfc822');
    expect(res.headers['content-disposition']).toBe(`attachment; filename="outbound-${row!.id}.eml"`);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.rawPayload.equals(Buffer.from(row!.raw!))).toBe(true);
    expect(res.rawPayload.toString()).toContain(`Subject: Re: Invoice 42 is wrong [#${kase.number}]`);
  });

  it('retries a temporary refusal (4xx) later, then sends', async () => {
    const world = await emailWorld();
    const { ctx, ws, customer } = world;
    const kase = await inboundEmailCase(world);
    await reply(world, kase, 'Second try will work');
    const relayed = withRelay(ctx, receiver.url);
    await relayEvents(relayed);
    receiver.refuseNext(451, '4.3.0 Mailbox busy, try later');
    await runSendJobs(relayed);

    const [first] = await outboundRows(ctx, ws.id);
    expect(first).toMatchObject({ status: 'queued', attempts: 1 });
    expect(first!.last_error).toContain('451');
    const job = await ctx.db
      .selectFrom('jobs')
      .select(['status', 'run_at', 'attempts'])
      .where(sql<boolean>`payload->>'outbound_mail_id' = ${first!.id}`)
      .executeTakeFirstOrThrow();
    expect(job.status).toBe('queued');
    expect(job.run_at.getTime()).toBeGreaterThan(Date.now());
    expect(receiver.to(customer.email)).toEqual([]);

    await runSendJobs(relayed, new Date(Date.now() + 60 * 60 * 1000));
    const [second] = await outboundRows(ctx, ws.id);
    expect(second).toMatchObject({ status: 'sent', attempts: 2, last_error: null });
    expect(receiver.to(customer.email)).toHaveLength(1);
    // The retry sent the stored bytes: same Message-ID.
    expect(receiver.to(customer.email)[0]!.parsed.messageId).toBe(`<${first!.message_id_header}>`);
  });

  it('gives a temporary failure up as failed after the last attempt', async () => {
    const world = await emailWorld();
    const { ctx, ws } = world;
    const kase = await inboundEmailCase(world);
    await reply(world, kase, 'The relay never recovers');
    const relayed = withRelay(ctx, receiver.url);
    await relayEvents(relayed);
    // Seven earlier tries are on record; the eighth is the last.
    await ctx.db
      .updateTable('outbound_mail')
      .set({ attempts: MAX_SEND_ATTEMPTS - 1 })
      .where('workspace_id', '=', ws.id)
      .execute();
    receiver.refuseNext(421, '4.4.2 Too busy');
    await runSendJobs(relayed);
    const [row] = await outboundRows(ctx, ws.id);
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_SEND_ATTEMPTS });
    expect(row!.last_error).toMatch(new RegExp(`^Gave up after ${MAX_SEND_ATTEMPTS} attempts: .*421`));
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select('status')
      .where(sql<boolean>`payload->>'outbound_mail_id' = ${row!.id}`)
      .execute();
    expect(jobs).toEqual([{ status: 'done' }]);
  });

  it('fails a mail whose attachment file is gone instead of sending it without', async () => {
    const world = await emailWorld();
    const { ctx, ws, customer } = world;
    const kase = await inboundEmailCase(world);
    const bytes = Buffer.from(`notes ${crypto.randomUUID()}\n`);
    const file = await storeUpload(ctx, { workspaceId: ws.id, filename: 'notes.txt', bytes });
    await reply(world, kase, 'See the attached notes', { attachment_ids: [file.id] });
    await fs.rm(contentPath(ctx.filesDir, sha256Of(bytes)));
    const relayed = withRelay(ctx, receiver.url);
    await relayEvents(relayed);
    await runSendJobs(relayed);
    const [row] = await outboundRows(ctx, ws.id);
    expect(row).toMatchObject({ status: 'failed', raw: null });
    expect(row!.last_error).toMatch(/^Could not compose the message: .*notes\.txt/);
    expect(receiver.to(customer.email)).toEqual([]);
  });

  it('treats a refused connection as temporary', async () => {
    const world = await emailWorld();
    const kase = await inboundEmailCase(world);
    await reply(world, kase, 'Nobody listens');
    const closed = await SmtpReceiver.start();
    await closed.close();
    const relayed = withRelay(world.ctx, closed.url);
    await relayEvents(relayed);
    await runSendJobs(relayed);
    const [row] = await outboundRows(world.ctx, world.ws.id);
    expect(row).toMatchObject({ status: 'queued', attempts: 1 });
    expect(row!.last_error).toMatch(/ECONNREFUSED|ECONNECTION/);
  });

  it('fails on a permanent refusal (5xx) without retrying; an admin retry sends it', async () => {
    const world = await emailWorld();
    const { ctx, ws, customer } = world;
    const kase = await inboundEmailCase(world);
    await reply(world, kase, 'This one bounces at first');
    const relayed = withRelay(ctx, receiver.url);
    await relayEvents(relayed);
    receiver.refuseNext(550, '5.1.1 No such user here');
    await runSendJobs(relayed);

    const [failed] = await outboundRows(ctx, ws.id);
    expect(failed).toMatchObject({ status: 'failed', attempts: 1 });
    expect(failed!.last_error).toContain('550');
    expect(failed!.last_error).toContain('No such user here');
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select('status')
      .where(sql<boolean>`payload->>'outbound_mail_id' = ${failed!.id}`)
      .execute();
    expect(jobs).toEqual([{ status: 'done' }]);
    await runSendJobs(relayed, new Date(Date.now() + 60 * 60 * 1000));
    expect(receiver.to(customer.email)).toEqual([]);

    const admin = await createAgent(ws, { role: 'admin' });
    const app = await getTestApp();
    const res = await app.inject({ method: 'POST', url: `/api/v1/outbound-mail/${failed!.id}/retry`, headers: admin.headers });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({ status: 'queued', attempts: 0, last_error: null });
    await runSendJobs(relayed);
    expect((await outboundRows(ctx, ws.id))[0]).toMatchObject({ status: 'sent', attempts: 1 });
    expect(receiver.to(customer.email)).toHaveLength(1);
  });
});

describe('notifications to agents', () => {
  async function patchCase(world: EmailWorld, headers: Record<string, string>, kase: CaseView, changes: Record<string, unknown>) {
    const app = await getTestApp();
    const current = await app.inject({ method: 'GET', url: `/api/v1/cases/${kase.id}`, headers });
    const res = await app.inject({
      method: 'PATCH',
      url: `/api/v1/cases/${kase.id}`,
      headers,
      payload: { version: current.json<CaseView>().version, ...changes },
    });
    expect(res.statusCode, res.body).toBe(200);
  }

  it('tells an agent about a case assigned to them, as automatic mail with a link', async () => {
    const world = await emailWorld();
    const { ctx, ws } = world;
    const colleague = await createAgent(ws, { name: 'Robin Colleague' });
    const kase = await inboundEmailCase(world);
    await patchCase(world, world.agent.headers, kase, { assignee_id: colleague.id });
    const relayed = withRelay(ctx, receiver.url);
    await relayEvents(relayed);
    await runSendJobs(relayed);

    const got = receiver.to(colleague.email);
    expect(got).toHaveLength(1);
    const mail = got[0]!.parsed;
    expect(mail.subject).toBe(`Case #${kase.number} assigned to you: Invoice 42 is wrong`);
    expect(mail.from?.value).toEqual([{ address: 'notifications@baton.test', name: 'Baton' }]);
    expect(header(mail.headers.get('auto-submitted'))).toBe('auto-generated');
    expect(header(mail.headers.get('x-auto-response-suppress'))).toBe('All');
    expect(mail.headers.get('x-baton-loop')).toBe(loopHeaderValue(ctx.secret));
    expect(mail.text).toContain(`${ctx.config.publicUrl}/app/cases/${kase.number}`);
    expect(String(mail.html)).toContain(`<a href="${ctx.config.publicUrl}/app/cases/${kase.number}">`);
    const rows = await outboundRows(ctx, ws.id);
    expect(rows).toMatchObject([{ kind: 'notification', recipient_agent_id: colleague.id, case_id: kase.id, status: 'sent' }]);
    // Notifications do not thread into the customer's case.
    const ids = await ctx.db.selectFrom('email_message_ids').select('direction').where('case_id', '=', kase.id).execute();
    expect(ids.every((r) => r.direction === 'inbound')).toBe(true);
  });

  it('sends nothing for taking a case yourself, to an agent who opted out, or to a deactivated agent', async () => {
    const world = await emailWorld();
    const { ctx, ws, agent } = world;
    const app = await getTestApp();
    const optedOut = await createAgent(ws);
    const leaving = await createAgent(ws);
    const put = await app.inject({
      method: 'PUT',
      url: '/api/v1/me/email-preferences',
      headers: optedOut.headers,
      payload: { on_assignment: false },
    });
    expect(put.json()).toEqual({ on_assignment: false, on_customer_reply: true });

    const mine = await inboundEmailCase(world);
    await patchCase(world, agent.headers, mine, { assignee_id: agent.id });
    const theirs = await inboundEmailCase(world);
    await patchCase(world, agent.headers, theirs, { assignee_id: optedOut.id });
    const gone = await inboundEmailCase(world);
    await patchCase(world, agent.headers, gone, { assignee_id: leaving.id });
    await ctx.db.updateTable('agents').set({ status: 'deactivated' }).where('id', '=', leaving.id).execute();

    await relayEvents(withRelay(ctx, receiver.url));
    expect((await outboundRows(ctx, ws.id)).filter((r) => r.kind === 'notification')).toEqual([]);
  });

  it("tells the assignee about a customer's new message, unless they opted out", async () => {
    const world = await emailWorld();
    const { ctx, ws, agent } = world;
    const kase = await inboundEmailCase(world);
    await patchCase(world, agent.headers, kase, { assignee_id: agent.id });
    await addMessage(ctx.db, ws.system, kase.id, { bodyText: 'Any update on my refund?', visibility: 'public', authorType: 'customer' });
    const relayed = withRelay(ctx, receiver.url);
    await relayEvents(relayed);
    await runSendJobs(relayed);

    const got = receiver.to(agent.email);
    expect(got).toHaveLength(1);
    expect(got[0]!.parsed.subject).toBe(`New reply from Casey Customer on #${kase.number}`);
    expect(got[0]!.parsed.text).toContain('Any update on my refund?');
    expect(header(got[0]!.parsed.headers.get('auto-submitted'))).toBe('auto-generated');

    const app = await getTestApp();
    await app.inject({ method: 'PUT', url: '/api/v1/me/email-preferences', headers: agent.headers, payload: { on_customer_reply: false } });
    await addMessage(ctx.db, ws.system, kase.id, { bodyText: 'Hello?', visibility: 'public', authorType: 'customer' });
    await relayEvents(relayed);
    await runSendJobs(relayed);
    expect(receiver.to(agent.email)).toHaveLength(1);
  });

  it('sends no email for the lines of a live chat: the assignee reads them in the app', async () => {
    const world = await emailWorld();
    const { ctx, ws, agent } = world;
    const kase = await inboundEmailCase(world, { channel: 'chat' });
    await patchCase(world, agent.headers, kase, { assignee_id: agent.id });
    const relayed = withRelay(ctx, receiver.url);
    await relayEvents(relayed);
    const before = (await outboundRows(ctx, ws.id)).length;
    await addMessage(ctx.db, ws.system, kase.id, {
      bodyText: 'Are you still there?',
      visibility: 'public',
      authorType: 'customer',
      channel: 'chat',
    });
    // The same line by email would notify: only the channel differs.
    await addMessage(ctx.db, ws.system, kase.id, {
      bodyText: 'By email now',
      visibility: 'public',
      authorType: 'customer',
      channel: 'email',
    });
    await relayEvents(relayed);
    const notifications = (await outboundRows(ctx, ws.id)).slice(before).filter((r) => r.kind === 'notification');
    expect(notifications.map((r) => r.subject)).toEqual([`New reply from Casey Customer on #${kase.number}`]);
  });
});
