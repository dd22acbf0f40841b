import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { markEmailUndeliverable } from '../../customers/service.js';
import { automaticMailAllowed } from '../processing/automatic-mail.js';
import { replyAddressFor } from '../reply-address.js';
import {
  createMailbox,
  casesOfWorkspace,
  composeMail,
  deliver,
  inboundRow,
  mailWorld,
  messagesOf,
  outboundOf,
  processMail,
  receive,
} from './support.js';

describe('automatic mail policy: auto-replies and loops', () => {
  const automatic: { name: string; headers: Record<string, string>; from?: string; envelopeFrom?: string | null }[] = [
    { name: 'Auto-Submitted: auto-replied', headers: { 'Auto-Submitted': 'auto-replied' } },
    { name: 'Precedence: bulk', headers: { Precedence: 'bulk' } },
    { name: 'a List-Id header', headers: { 'List-Id': '<news.customer.example>' } },
    { name: 'an X-Autoreply header', headers: { 'X-Autoreply': 'yes' } },
    { name: 'a mailer-daemon sender', headers: {}, from: 'MAILER-DAEMON@customer.example' },
    { name: 'a no-reply sender', headers: {}, from: 'no-reply@customer.example' },
  ];
  for (const signal of automatic) {
    it(`keeps mail with ${signal.name} in a case but never acknowledges it`, async () => {
      const world = await mailWorld();
      const row = await receive(
        world,
        {
          from: signal.from ?? 'Out Of Office <away@customer.example>',
          subject: 'Automatic reply: On vacation',
          text: 'I am away.',
          headers: signal.headers,
        },
        signal.envelopeFrom === undefined ? {} : { envelopeFrom: signal.envelopeFrom },
      );
      expect(row.status).toBe('processed');
      expect(row.case_id).not.toBeNull();
      const [message] = await messagesOf(world.ctx, row.case_id!);
      const auto = (message!.metadata as { email: { auto: Record<string, boolean> } }).email.auto;
      expect(Object.values(auto)).toContain(true);
      expect(await outboundOf(world.ctx, world.workspace.id)).toEqual([]);
    });
  }

  it('ignores our own mail coming back (loop header or our own Message-ID): no case, no answer', async () => {
    const world = await mailWorld();
    const first = await receive(world, { from: 'loop@customer.example', subject: 'Start', text: 'Hi' });
    const [ack] = await outboundOf(world.ctx, world.workspace.id);

    const looped = await receive(world, {
      from: world.mailbox.address,
      subject: 'Re: Start',
      text: 'Echo',
      headers: { 'X-Baton-Loop': world.mailbox.address, 'Auto-Submitted': 'auto-replied' },
    });
    expect(looped).toMatchObject({ status: 'ignored', reason_code: 'mail.own_loop', case_id: null });

    // A copy of our acknowledgement with its loop header stripped by some relay.
    const echoed = await receive(world, {
      from: world.mailbox.address,
      subject: ack!.subject,
      text: 'Copy',
      messageId: `<${ack!.message_id_header}>`,
    });
    expect(echoed).toMatchObject({ status: 'ignored', reason_code: 'mail.own_loop' });

    expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toHaveLength(1);
    expect(await messagesOf(world.ctx, first.case_id!)).toHaveLength(1);
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(1);
  });
});

describe('automatic mail policy: limits', () => {
  it('acknowledges a sender at most once in 24 hours', async () => {
    const world = await mailWorld({ category: 'billing' });
    const refunds = await createMailbox(world.workspace, { category: 'refund' });
    const disputes = await createMailbox(world.workspace, { category: 'dispute' });
    const first = await receive(world, { from: 'busy@customer.example', subject: 'Invoice', text: 'One' });
    const second = await receive(
      { workspace: world.workspace, mailbox: refunds },
      { from: 'busy@customer.example', subject: 'Refund', text: 'Two' },
    );
    expect(second.case_id).not.toBe(first.case_id);
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(1);

    await world.db
      .updateTable('email_auto_replies')
      .set({ sent_at: new Date(Date.now() - 25 * 3600_000) })
      .where('workspace_id', '=', world.workspace.id)
      .execute();
    await receive({ workspace: world.workspace, mailbox: disputes }, { from: 'busy@customer.example', subject: 'Dispute', text: 'Three' });
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(2);
  });

  it('stops automatic mail to a case that received more than 10 messages in 10 minutes', async () => {
    const world = await mailWorld();
    const first = await receive(world, { from: 'flood@customer.example', subject: 'Flood', text: 'Message 0' });
    const caseId = first.case_id!;
    const replyTo = replyAddressFor(world.ctx.secret, caseId, world.mailbox.address);
    const allowed = () =>
      inTransaction(world.db, (tx) =>
        automaticMailAllowed(tx, { workspaceId: world.workspace.id, caseId, address: 'flood@customer.example' }),
      );
    for (let i = 1; i < 10; i++) {
      const raw = await composeMail({ from: 'flood@customer.example', to: replyTo, subject: `Re: Flood ${i}`, text: `Message ${i}` });
      await deliver(world.mailbox, raw, { envelopeTo: [replyTo] });
    }
    await processMail(world.workspace);
    expect(await messagesOf(world.ctx, caseId)).toHaveLength(10);
    expect(await allowed()).toBe(true);

    await receive(
      world,
      { from: 'flood@customer.example', to: replyTo, subject: 'Re: Flood 10', text: 'Message 10' },
      { envelopeTo: [replyTo] },
    );
    expect(await messagesOf(world.ctx, caseId)).toHaveLength(11);
    expect(await allowed()).toBe(false);
    // Other cases are not affected.
    expect(
      await inTransaction(world.db, (tx) =>
        automaticMailAllowed(tx, { workspaceId: world.workspace.id, caseId: null, address: 'flood@customer.example' }),
      ),
    ).toBe(true);
  });

  it('sends nothing automatic to an address that bounced', async () => {
    const world = await mailWorld();
    await receive(world, { from: 'gone@customer.example', subject: 'First', text: 'Hi' });
    await markEmailUndeliverable(world.db, world.workspace.system, 'gone@customer.example', 'test bounce');
    expect(
      await inTransaction(world.db, (tx) =>
        automaticMailAllowed(tx, { workspaceId: world.workspace.id, caseId: null, address: 'GONE@customer.example' }),
      ),
    ).toBe(false);
    const refunds = await createMailbox(world.workspace, { category: 'refund' });
    await world.db.deleteFrom('email_auto_replies').where('workspace_id', '=', world.workspace.id).execute();
    const row = await receive(
      { workspace: world.workspace, mailbox: refunds },
      { from: 'gone@customer.example', subject: 'Second', text: 'Hi' },
    );
    expect(row.status).toBe('processed');
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(1);
  });
});

function dsn(input: { mailbox: string; recipient: string; status: string; originalMessageId: string; action?: string }): string {
  const boundary = 'dsn-boundary-42';
  return [
    'From: Mail Delivery System <MAILER-DAEMON@mx.customer.example>',
    `To: ${input.mailbox}`,
    'Subject: Undelivered Mail Returned to Sender',
    `Message-ID: <dsn-${Math.random().toString(36).slice(2)}@mx.customer.example>`,
    `Date: ${new Date().toUTCString()}`,
    'Auto-Submitted: auto-replied',
    'MIME-Version: 1.0',
    `Content-Type: multipart/report; report-type=delivery-status; boundary="${boundary}"`,
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=us-ascii',
    '',
    'This is the mail system at host mx.customer.example. Your message could not be delivered.',
    '',
    `--${boundary}`,
    'Content-Type: message/delivery-status',
    '',
    'Reporting-MTA: dns; mx.customer.example',
    '',
    `Final-Recipient: rfc822; ${input.recipient}`,
    `Action: ${input.action ?? 'failed'}`,
    `Status: ${input.status}`,
    `Diagnostic-Code: smtp; 550 ${input.status} <${input.recipient}>: Recipient address rejected: User unknown`,
    '',
    `--${boundary}`,
    'Content-Type: text/rfc822-headers',
    '',
    `From: Support <${input.mailbox}>`,
    `To: ${input.recipient}`,
    'Subject: We received your request',
    `Message-ID: <${input.originalMessageId}>`,
    '',
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

describe('bounces', () => {
  it('attach to the case of the bounced mail as an internal note, mark the address undeliverable and open no case', async () => {
    const world = await mailWorld();
    const first = await receive(world, { from: 'Erika <erika@customer.example>', subject: 'Help', text: 'Hi' });
    const [ack] = await outboundOf(world.ctx, world.workspace.id);
    const id = await deliver(
      world.mailbox,
      dsn({
        mailbox: world.mailbox.address,
        recipient: 'erika@customer.example',
        status: '5.1.1',
        originalMessageId: ack!.message_id_header,
      }),
      { envelopeFrom: null },
    );
    await processMail(world.workspace);
    const row = await inboundRow(id);
    expect(row).toMatchObject({ status: 'processed', case_id: first.case_id });

    const messages = await messagesOf(world.ctx, first.case_id!);
    expect(messages).toHaveLength(2);
    const note = messages[1]!;
    expect(note.id).toBe(row.message_id);
    expect(note).toMatchObject({ visibility: 'internal', author_type: 'system' });
    expect(note.body_text).toContain('erika@customer.example');
    expect(note.body_text).toContain('5.1.1');
    expect(note.body_text).toContain('User unknown');

    const identity = await world.db
      .selectFrom('customer_identities')
      .select('undeliverable_at')
      .where('workspace_id', '=', world.workspace.id)
      .where('value', '=', 'erika@customer.example')
      .executeTakeFirstOrThrow();
    expect(identity.undeliverable_at).not.toBeNull();
    expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toHaveLength(1);
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(1);
  });

  it('do not mark an address the bounced mail was never sent to, nor for a temporary failure', async () => {
    const world = await mailWorld();
    await receive(world, { from: 'keep@customer.example', subject: 'Help', text: 'Hi' });
    await receive(world, { from: 'victim@customer.example', subject: 'Other', text: 'Hi' });
    const [ack] = await outboundOf(world.ctx, world.workspace.id);
    await deliver(
      world.mailbox,
      dsn({
        mailbox: world.mailbox.address,
        recipient: 'victim@customer.example',
        status: '5.1.1',
        originalMessageId: ack!.message_id_header,
      }),
      { envelopeFrom: null },
    );
    await deliver(
      world.mailbox,
      dsn({
        mailbox: world.mailbox.address,
        recipient: 'keep@customer.example',
        status: '4.2.2',
        action: 'delayed',
        originalMessageId: ack!.message_id_header,
      }),
      { envelopeFrom: null },
    );
    await processMail(world.workspace);
    const marked = await world.db
      .selectFrom('customer_identities')
      .select('value')
      .where('workspace_id', '=', world.workspace.id)
      .where('undeliverable_at', 'is not', null)
      .execute();
    expect(marked).toEqual([]);
  });

  it('about mail we do not know are ignored and open no case', async () => {
    const world = await mailWorld();
    const id = await deliver(
      world.mailbox,
      dsn({
        mailbox: world.mailbox.address,
        recipient: 'someone@customer.example',
        status: '5.1.1',
        originalMessageId: 'unknown@elsewhere.example',
      }),
      { envelopeFrom: null },
    );
    await processMail(world.workspace);
    expect(await inboundRow(id)).toMatchObject({ status: 'ignored', reason_code: 'mail.bounce_unmatched', case_id: null });
    expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toEqual([]);
  });
});
