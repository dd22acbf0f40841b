import { describe, expect, it } from 'vitest';
import { createTeam } from '../../../test/factories.js';
import { replyAddressFor } from '../reply-address.js';
import {
  caseRow,
  casesOfWorkspace,
  composeMail,
  createMailbox,
  deliver,
  inboundRow,
  mailWorld,
  messagesOf,
  newMessageId,
  outboundOf,
  processMail,
  receive,
} from './support.js';

const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('inbound processing: a first message opens a case', () => {
  it('creates the customer, the case with the mailbox category and team, stores files and metadata, and acknowledges', async () => {
    const world = await mailWorld({ category: 'billing', name: 'Billing desk' });
    const team = await createTeam(world.workspace);
    await world.db.updateTable('mailboxes').set({ team_id: team.id }).where('id', '=', world.mailbox.id).execute();
    const messageId = newMessageId();
    const row = await receive(world, {
      from: 'Erika Mustermann <erika@customer.example>',
      cc: 'Max Colleague <max@customer.example>',
      subject: 'Invoice 4711 charged twice',
      messageId: `<${messageId}>`,
      text: 'Hello, I was charged twice for invoice 4711.\n\n-- \nErika',
      html: '<p>Hello, I was charged <b>twice</b> for invoice 4711.</p><img src="cid:logo@customer.example"><script>alert(1)</script>',
      attachments: [
        { filename: 'invoice.txt', content: 'Invoice 4711: 2 x 49.00 EUR' },
        { filename: 'logo.png', content: PNG, cid: 'logo@customer.example' },
      ],
    });

    expect(row.status).toBe('processed');
    expect(row.from_address).toBe('erika@customer.example');
    expect(row.subject).toBe('Invoice 4711 charged twice');
    expect(row.message_id_header).toBe(messageId);
    expect(row.processed_at).not.toBeNull();
    const theCase = await caseRow(world.ctx, row.case_id!);
    expect(theCase).toMatchObject({
      subject: 'Invoice 4711 charged twice',
      category: 'billing',
      channel: 'email',
      team_id: team.id,
      status: 'new',
    });

    const customer = await world.db
      .selectFrom('customers')
      .innerJoin('customer_identities', 'customer_identities.customer_id', 'customers.id')
      .select(['customers.id', 'customers.name', 'customer_identities.value'])
      .where('customers.id', '=', theCase.customer_id)
      .executeTakeFirstOrThrow();
    expect(customer).toMatchObject({ name: 'Erika Mustermann', value: 'erika@customer.example' });

    const [message] = await messagesOf(world.ctx, theCase.id);
    expect(message!.id).toBe(row.message_id);
    expect(message).toMatchObject({
      visibility: 'public',
      author_type: 'customer',
      channel: 'email',
      author_customer_id: theCase.customer_id,
    });
    expect(message!.body_text).toContain('charged twice for invoice 4711');
    const email = (message!.metadata as { email: Record<string, unknown> }).email;
    expect(email).toMatchObject({
      mailbox_id: world.mailbox.id,
      inbound_mail_id: row.id,
      message_id: messageId,
      from: { address: 'erika@customer.example', name: 'Erika Mustermann' },
      cc: [{ address: 'max@customer.example', name: 'Max Colleague' }],
      subject: 'Invoice 4711 charged twice',
      has_html: true,
      forwarded: false,
      auth: { spf: 'none', dkim: 'none', dmarc: 'none', verdict: 'none' },
      auto: {
        autoSubmitted: false,
        bulkPrecedence: false,
        listHeaders: false,
        nullOrDaemonSender: false,
        vendorAutoReply: false,
        ownLoop: false,
      },
    });
    expect(typeof email.date).toBe('string');
    expect(email.visible_text).toEqual(expect.stringContaining('charged twice'));

    const attachments = await world.db
      .selectFrom('attachments')
      .select(['id', 'filename', 'content_type', 'message_id'])
      .where('message_id', '=', message!.id)
      .orderBy('filename')
      .execute();
    expect(attachments.map((a) => [a.filename, a.content_type])).toEqual([
      ['invoice.txt', 'text/plain'],
      ['logo.png', 'image/png'],
    ]);
    expect(email.cid_map).toEqual({ 'logo@customer.example': attachments[1]!.id });

    const body = await world.db
      .selectFrom('email_message_bodies')
      .selectAll()
      .where('message_id', '=', message!.id)
      .executeTakeFirstOrThrow();
    expect(body.html).toContain('twice');
    expect(body.html).not.toContain('<script');
    expect(body.headers['subject']).toBe('Invoice 4711 charged twice');

    const ids = await world.db.selectFrom('email_message_ids').selectAll().where('case_id', '=', theCase.id).orderBy('direction').execute();
    expect(ids.map((i) => [i.direction, i.message_id_header])).toEqual([
      ['inbound', messageId],
      ['outbound', expect.any(String)],
    ]);

    const participants = await world.db.selectFrom('email_case_participants').selectAll().where('case_id', '=', theCase.id).execute();
    expect(participants.map((p) => [p.address, p.role, p.name])).toEqual([['max@customer.example', 'cc', 'Max Colleague']]);

    const [ack, ...more] = await outboundOf(world.ctx, world.workspace.id);
    expect(more).toEqual([]);
    expect(ack).toMatchObject({
      kind: 'acknowledgement',
      case_id: theCase.id,
      mailbox_id: world.mailbox.id,
      to_addresses: ['erika@customer.example'],
      reply_to: replyAddressFor(world.ctx.secret, theCase.id, world.mailbox.address),
      in_reply_to: messageId,
      auto_submitted: 'auto-replied',
      status: 'queued',
    });
    expect(ack!.from_address).toBe(`"Billing desk" <${world.mailbox.address}>`);
    expect(ack!.subject).toContain(`[#${theCase.number}]`);
    expect(ack!.subject).toContain('Invoice 4711 charged twice');
    expect(ack!.references_header).toContain(messageId);
    expect(ack!.body_text).toContain('Hello Erika Mustermann,');
    expect(ack!.body_text).toContain(`#${theCase.number}`);
    const autoReplies = await world.db
      .selectFrom('email_auto_replies')
      .selectAll()
      .where('workspace_id', '=', world.workspace.id)
      .execute();
    expect(autoReplies.map((r) => [r.address, r.kind])).toEqual([['erika@customer.example', 'acknowledgement']]);
  });

  it('writes the acknowledgement in the customer language or from the mailbox template', async () => {
    const german = await mailWorld({ language: 'de', name: 'Kundenservice' });
    const row = await receive(german, { from: 'kunde@customer.example', subject: 'Rechnung falsch', text: 'Bitte prüfen.' });
    const [ack] = await outboundOf(german.ctx, german.workspace.id);
    const number = (await caseRow(german.ctx, row.case_id!)).number;
    expect(ack!.subject).toBe(`[#${number}] Wir haben Ihre Anfrage erhalten: Rechnung falsch`);
    expect(ack!.body_text).toContain('Guten Tag,');

    const templated = await mailWorld({
      ackSubject: 'Got it: {{subject}}',
      ackBody: 'Dear {{customer_name}}, case {{case_number}} is open. {{unknown}}',
    });
    const second = await receive(templated, {
      from: '"Evil\r\nBcc: x@y" <t@customer.example>',
      subject: 'Need help',
      text: 'Hi',
      headers: { 'Content-Language': 'de' },
    });
    const [ack2] = await outboundOf(templated.ctx, templated.workspace.id);
    const number2 = (await caseRow(templated.ctx, second.case_id!)).number;
    expect(ack2!.subject).toBe(`Got it: Need help [#${number2}]`);
    expect(ack2!.body_text).toContain(`case ${number2} is open. {{unknown}}`);
    expect(ack2!.body_text).not.toMatch(/\r|\nBcc/);
  });

  it('sends no acknowledgement when the mailbox does not acknowledge', async () => {
    const world = await mailWorld({ acknowledge: false });
    const row = await receive(world, { from: 'quiet@customer.example', subject: 'Question', text: 'Hi' });
    expect(row.status).toBe('processed');
    expect(await outboundOf(world.ctx, world.workspace.id)).toEqual([]);
  });

  it('keeps mail without text, subject or Message-ID, with a generated id', async () => {
    const world = await mailWorld();
    const row = await receive(world, { from: 'blank@customer.example', subject: '', text: '', messageId: '' });
    expect(row.status).toBe('processed');
    const [message] = await messagesOf(world.ctx, row.case_id!);
    expect(message!.body_text).toBe('(No text)');
    expect((await caseRow(world.ctx, row.case_id!)).subject).toBe('(no subject)');
    expect(row.message_id_header).toMatch(/@/);
  });

  it('puts CC and other To addresses on the case as participants, never our own mailboxes', async () => {
    const world = await mailWorld();
    const other = await createMailbox(world.workspace);
    const row = await receive(world, {
      from: 'lead@customer.example',
      to: [world.mailbox.address, 'Partner <partner@customer.example>', other.address],
      cc: ['Boss <BOSS@customer.example>', 'lead@customer.example'],
      subject: 'Team question',
      text: 'See CC',
    });
    const participants = await world.db
      .selectFrom('email_case_participants')
      .select(['address', 'role'])
      .where('case_id', '=', row.case_id!)
      .orderBy('address')
      .execute();
    expect(participants).toEqual([
      { address: 'boss@customer.example', role: 'cc' },
      { address: 'partner@customer.example', role: 'cc' },
    ]);
  });

  it('ignores a second copy of a Message-ID already received in the workspace', async () => {
    const world = await mailWorld();
    const messageId = newMessageId();
    const first = await receive(world, { from: 'dup@customer.example', subject: 'Once', text: 'Hi', messageId: `<${messageId}>` });
    const second = await receive(world, { from: 'dup@customer.example', subject: 'Once', text: 'Hi', messageId: `<${messageId}>` });
    expect(first.status).toBe('processed');
    expect(second).toMatchObject({ status: 'ignored', reason_code: 'mail.duplicate', case_id: first.case_id });
    expect(await messagesOf(world.ctx, first.case_id!)).toHaveLength(1);
  });
});

describe('inbound processing: continuity', () => {
  it('joins the customer open case of the same category instead of opening another (and does not acknowledge again)', async () => {
    const world = await mailWorld({ category: 'billing' });
    const first = await receive(world, { from: 'again@customer.example', subject: 'First', text: 'One' });
    const second = await receive(world, { from: 'again@customer.example', subject: 'Unrelated subject', text: 'Two' });
    expect(second.case_id).toBe(first.case_id);
    expect(await messagesOf(world.ctx, first.case_id!)).toHaveLength(2);
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(1);
  });

  it('routes a new case by the mailbox category when the mailbox has no team', async () => {
    const world = await mailWorld({ category: 'technical' });
    const team = await createTeam(world.workspace, { queues: [{ name: 'Tech', categories: ['technical'] }] });
    const row = await receive(world, { from: 'tech@customer.example', subject: 'App crashes', text: 'Crash' });
    expect(await caseRow(world.ctx, row.case_id!)).toMatchObject({ category: 'technical', team_id: team.id });
  });

  it('opens one case per sender and mailbox category, and customer cases of other workspaces stay apart', async () => {
    const a = await mailWorld();
    const b = await mailWorld();
    await receive(a, { from: 'shared@customer.example', subject: 'A', text: 'a' });
    await receive(b, { from: 'shared@customer.example', subject: 'B', text: 'b' });
    const casesA = await casesOfWorkspace(a.ctx, a.workspace.id);
    const casesB = await casesOfWorkspace(b.ctx, b.workspace.id);
    expect(casesA).toHaveLength(1);
    expect(casesB).toHaveLength(1);
    expect(casesA[0]!.customer_id).not.toBe(casesB[0]!.customer_id);
  });

  it('leaves other workspaces mail to their own runs', async () => {
    const a = await mailWorld();
    const b = await mailWorld();
    const raw = await composeMail({ from: 'x@customer.example', to: b.mailbox.address, subject: 'B', text: 'b' });
    const id = await deliver(b.mailbox, raw);
    await processMail(a.workspace);
    expect((await inboundRow(id)).status).toBe('received');
    await processMail(b.workspace);
    expect((await inboundRow(id)).status).toBe('processed');
  });
});
