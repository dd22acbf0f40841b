import { sql } from 'kysely';
import { simpleParser } from 'mailparser';
import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { getTestApp } from '../../../test/harness.js';
import { addressOf, bareMessageId, formatMailbox } from '../outbound/addresses.js';
import { composeOutboundMail } from '../outbound/compose.js';
import { textToHtml } from '../outbound/html.js';
import { queueOutboundMail } from '../outbound/queue.js';
import { replySubject } from '../outbound/reply-listener.js';
import { findOutboundMailForSending } from '../outbound/store.js';
import { emailWorld, inboundEmailCase } from '../outbound/test-support.js';

/** Building outgoing mail: subjects, HTML from text, addresses, the queue's rules and the composed headers. */

beforeAll(async () => {
  await getTestApp();
});

describe('reply subjects', () => {
  it('has one Re: and the case token once, at the end', () => {
    expect(replySubject('Invoice 42 is wrong', 1042)).toBe('Re: Invoice 42 is wrong [#1042]');
    expect(replySubject('Re: RE: AW: Invoice 42', 1042)).toBe('Re: Invoice 42 [#1042]');
    expect(replySubject('[#1042] Re: Invoice [#1042] 42', 1042)).toBe('Re: Invoice 42 [#1042]');
    // Another case's token is the customer's text, not ours.
    expect(replySubject('Follow-up to [#999]', 1042)).toBe('Re: Follow-up to [#999] [#1042]');
    expect(replySubject('Re:', 1042)).toBe('Re: [#1042]');
  });
});

describe('HTML from text', () => {
  it('escapes everything, makes paragraphs, line breaks and links', () => {
    const html = textToHtml(
      'Hi <script>alert(1)</script> & "you"\nsecond line\n\nSee https://acme.test/a?b=1&c=2, or (https://acme.test/x).',
      {
        footer: 'Request #1042',
      },
    );
    expect(html).toContain('Hi &lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;you&quot;<br>\nsecond line</p>');
    expect(html).toContain('<a href="https://acme.test/a?b=1&amp;c=2">https://acme.test/a?b=1&amp;c=2</a>, or (');
    expect(html).toContain('<a href="https://acme.test/x">https://acme.test/x</a>).');
    expect(html).toContain('Request #1042</p>');
    expect(html).not.toContain('<script>');
    expect(textToHtml('javascript:alert(1) and <a href="x">')).not.toContain('<a ');
  });
});

describe('addresses', () => {
  it('quotes display names and reads bare addresses back', () => {
    expect(formatMailbox('Acme, Inc. "Billing"', 'help@acme.test')).toBe('"Acme, Inc. \\"Billing\\"" <help@acme.test>');
    expect(formatMailbox('Evil\r\nBcc: x@y.test', 'help@acme.test')).toBe('"Evil Bcc: x@y.test" <help@acme.test>');
    expect(formatMailbox('', 'help@acme.test')).toBe('help@acme.test');
    expect(addressOf('"Acme, Inc." <help@acme.test>')).toBe('help@acme.test');
    expect(addressOf('not an address')).toBeNull();
    expect(bareMessageId(' <abc@x.test> ')).toBe('abc@x.test');
    expect(bareMessageId('<a b@x>')).toBeNull();
    expect(bareMessageId('<>')).toBeNull();
  });
});

describe('queueOutboundMail', () => {
  it('stores the mail with a Message-ID of the sender’s domain, bounded references, and queues one send job', async () => {
    const world = await emailWorld();
    const { ctx, ws } = world;
    const kase = await inboundEmailCase(world);
    const references = Array.from({ length: 30 }, (_, i) => `<ref-${i}@customer.test>`);
    const queued = await inTransaction(ctx.db, (tx) =>
      queueOutboundMail(tx, {
        workspaceId: ws.id,
        kind: 'acknowledgement',
        caseId: kase.id,
        mailboxId: world.mailbox.id,
        from: formatMailbox('Acme Billing', world.mailbox.address),
        to: ['Casey <casey@customer.test>', 'CASEY@customer.test', 'nonsense'],
        cc: ['casey@customer.test', 'boss@customer.test'],
        subject: 'We got your message\r\nBcc: evil@x.test',
        inReplyTo: '<in-1@customer.test>',
        references,
        bodyText: 'Thanks\u0000!',
        autoSubmitted: 'auto-replied',
      }),
    );
    expect(queued!.messageIdHeader).toMatch(new RegExp(`^[0-9a-f-]{36}@${world.mailbox.address.split('@')[1]}$`));
    const row = (await findOutboundMailForSending(ctx.db, queued!.id))!;
    expect(row).toMatchObject({
      to_addresses: ['Casey <casey@customer.test>'],
      cc_addresses: ['boss@customer.test'],
      subject: 'We got your message Bcc: evil@x.test',
      in_reply_to: 'in-1@customer.test',
      body_text: 'Thanks!',
      auto_submitted: 'auto-replied',
      message_id_header: queued!.messageIdHeader,
    });
    const refs = row.references_header!.split(' ');
    expect(refs).toHaveLength(20);
    expect(refs[0]).toBe('ref-0@customer.test');
    expect(refs.at(-1)).toBe('in-1@customer.test');
    expect(row.body_html).toContain('<p style="margin:0 0 1em 0">Thanks!</p>');
    const jobs = await ctx.db
      .selectFrom('jobs')
      .select(['queue', 'max_attempts'])
      .where('queue', '=', 'email.send')
      .where(sql<boolean>`payload->>'outbound_mail_id' = ${queued!.id}`)
      .execute();
    expect(jobs).toEqual([{ queue: 'email.send', max_attempts: 9 }]);

    // Composed: the automatic-mail headers and the loop header are on it.
    const parsed = await simpleParser(await composeOutboundMail(ctx, ctx.db, row));
    expect(parsed.headers.get('auto-submitted')).toBe('auto-replied');
    expect(parsed.headers.get('x-auto-response-suppress')).toBe('All');
    expect(parsed.headers.has('x-baton-loop')).toBe(true);
    expect(parsed.headers.has('bcc')).toBe(false);
    expect(parsed.subject).toBe('We got your message Bcc: evil@x.test');
  });

  it('queues a case message once and refuses mail without sender or recipient', async () => {
    const world = await emailWorld();
    const { ctx, ws } = world;
    const kase = await inboundEmailCase(world);
    const message = await ctx.db.selectFrom('messages').select('id').where('case_id', '=', kase.id).executeTakeFirstOrThrow();
    const input = {
      workspaceId: ws.id,
      kind: 'reply' as const,
      caseId: kase.id,
      messageId: message.id,
      from: world.mailbox.address,
      to: [world.customer.email],
      subject: 'Once',
      bodyText: 'Only once',
    };
    expect(await inTransaction(ctx.db, (tx) => queueOutboundMail(tx, input))).not.toBeNull();
    expect(await inTransaction(ctx.db, (tx) => queueOutboundMail(tx, input))).toBeNull();
    await expect(inTransaction(ctx.db, (tx) => queueOutboundMail(tx, { ...input, messageId: null, to: ['nobody'] }))).rejects.toMatchObject(
      {
        code: 'email.no_recipient',
      },
    );
    await expect(inTransaction(ctx.db, (tx) => queueOutboundMail(tx, { ...input, messageId: null, from: 'Baton' }))).rejects.toMatchObject({
      code: 'email.invalid_sender',
    });
    expect(await ctx.db.selectFrom('outbound_mail').select('id').where('workspace_id', '=', ws.id).execute()).toHaveLength(1);
  });
});
