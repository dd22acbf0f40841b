import { beforeAll, describe, expect, it } from 'vitest';
import { inTransaction } from '../../../db/database.js';
import { unique } from '../../../test/factories.js';
import { getTestApp } from '../../../test/harness.js';
import { createCase, receiveCustomerContact } from '../../cases/service.js';
import { recordProcessorDispute } from '../../disputes/service.js';
import { recordBillingEvent } from '../events.js';
import {
  billingWorld,
  casesOf,
  enableOutreach,
  failPayment,
  messagesOf,
  openDisputeRow,
  outboundOf,
  relayEvents,
  replayEvents,
  type BillingWorld,
} from './test-support.js';

// Building the test server takes a while: do it outside the tests' time limit.
beforeAll(async () => {
  await getTestApp();
});

async function outreachCases(world: BillingWorld) {
  return (await casesOf(world)).filter((c) => c.tags.includes('proactive'));
}

describe('proactive outreach on a failed payment', () => {
  it('opens one payment case and queues one mail, however often the event comes', async () => {
    const world = await billingWorld();
    await enableOutreach(world);
    const payment = await failPayment(world);
    await relayEvents(world.ctx);

    const cases = await outreachCases(world);
    expect(cases).toHaveLength(1);
    const kase = cases[0]!;
    expect(kase).toMatchObject({
      subject: 'Your payment of 49.90 EUR failed',
      category: 'payment',
      channel: 'email',
      customer_id: world.customer.id,
      status: 'new',
    });
    expect(kase.tags).toEqual(['proactive', 'billing:failed-payment']);

    const messages = await messagesOf(world, kase.id);
    expect(messages.map((m) => [m.visibility, m.author_type])).toEqual([
      ['internal', 'system'],
      ['public', 'system'],
    ]);
    expect(messages[0]!.body_text).toContain('a payment of 49.90 EUR failed');
    expect(messages[0]!.body_text).toContain('card_declined');
    const body = messages[1]!.body_text;
    expect(body).toContain('Hello Casey Customer,');
    expect(body).toContain('Reason: card_declined');
    expect(body).toContain('Due date: 15 November 2026');
    expect(body).toContain(`request #${kase.number}`);

    const mails = await outboundOf(world);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      kind: 'outreach',
      case_id: kase.id,
      message_id: messages[1]!.id,
      mailbox_id: world.mailbox!.id,
      subject: `Your payment of 49.90 EUR failed [#${kase.number}]`,
      auto_submitted: 'auto-generated',
      status: 'queued',
    });
    expect(mails[0]!.to_addresses.join(',')).toContain(world.customer.email!);
    expect(mails[0]!.reply_to).toContain('+c');

    // The relay hands the same event over again (a crash mid-batch), and the payment fails again.
    await replayEvents(world.ctx, world.ws.id, 'billing.payment_failed');
    await relayEvents(world.ctx);
    await recordBillingEvent(
      world.ctx.db,
      world.ws.system,
      'billing.payment_failed',
      { type: 'payment', id: payment.paymentId },
      {
        customer_id: world.customer.id,
        account_id: payment.accountId,
        payment_id: payment.paymentId,
        invoice_id: payment.invoiceId,
        amount_minor: 4990,
        currency: 'EUR',
        failure_code: 'card_declined',
        failure_message: null,
      },
    );
    await relayEvents(world.ctx);
    expect(await outreachCases(world)).toHaveLength(1);
    expect(await outboundOf(world)).toHaveLength(1);
  });

  it('does nothing while outreach is off (the default)', async () => {
    const world = await billingWorld();
    await failPayment(world);
    await relayEvents(world.ctx);
    expect(await casesOf(world)).toHaveLength(0);
    expect(await outboundOf(world)).toHaveLength(0);
  });

  it('does not write about a failure older than a week (imported history)', async () => {
    const world = await billingWorld();
    await enableOutreach(world);
    await failPayment(world, { paidAt: new Date(Date.now() - 8 * 86_400_000) });
    await relayEvents(world.ctx);
    expect(await casesOf(world)).toHaveLength(0);
  });

  it('writes in the customer’s language and fills an admin’s own template', async () => {
    const german = await billingWorld({ language: 'de-AT' });
    await enableOutreach(german);
    await failPayment(german, { amountMinor: 1200 });
    await relayEvents(german.ctx);
    const [kase] = await outreachCases(german);
    expect(kase!.subject).toBe('Ihre Zahlung über 12.00 EUR ist fehlgeschlagen');
    expect((await messagesOf(german, kase!.id))[1]!.body_text).toContain('Fällig am: 15. November 2026');

    const custom = await billingWorld();
    await enableOutreach(custom, {
      payment_failed: {
        enabled: true,
        subject: 'Payment problem #{{case_number}}',
        body: 'Dear {{customer_name}}: {{amount}} / {{invoice_number}} / {{failure_reason}}',
      },
    });
    await failPayment(custom, { failureCode: null, failureMessage: 'Insufficient funds' });
    await relayEvents(custom.ctx);
    const [mine] = await outreachCases(custom);
    expect(mine!.subject).toBe('Payment problem');
    const [mail] = await outboundOf(custom);
    expect(mail!.subject).toBe(`Payment problem #${mine!.number} [#${mine!.number}]`);
    expect(mail!.body_text).toMatch(/^Dear Casey Customer: 49\.90 EUR \/ INV-[0-9a-f]+ \/ Insufficient funds$/);
  });

  it('leaves an internal note instead of mail when the customer has no email address', async () => {
    const world = await billingWorld({ email: false });
    await enableOutreach(world);
    await failPayment(world);
    await relayEvents(world.ctx);
    const [kase] = await outreachCases(world);
    expect(kase!.channel).toBe('api');
    const messages = await messagesOf(world, kase!.id);
    expect(messages.every((m) => m.visibility === 'internal')).toBe(true);
    expect(messages[1]!.body_text).toContain('No message was sent to the customer: the customer has no deliverable email address.');
    expect(messages[1]!.body_text).toContain('Your payment of 49.90 EUR failed');
    expect(await outboundOf(world)).toHaveLength(0);
  });

  it('leaves a note when the customer prefers another channel or no mailbox can send', async () => {
    const phone = await billingWorld({ preferredChannel: 'phone' });
    await enableOutreach(phone);
    await failPayment(phone);
    await relayEvents(phone.ctx);
    const [phoneCase] = await outreachCases(phone);
    expect((await messagesOf(phone, phoneCase!.id))[1]!.body_text).toContain('prefers to be contacted by phone');
    expect(await outboundOf(phone)).toHaveLength(0);

    const noMailbox = await billingWorld({ mailbox: false });
    await enableOutreach(noMailbox);
    await failPayment(noMailbox);
    await relayEvents(noMailbox.ctx);
    const [quiet] = await outreachCases(noMailbox);
    expect((await messagesOf(noMailbox, quiet!.id))[1]!.body_text).toContain('no active mailbox');
    expect(await outboundOf(noMailbox)).toHaveLength(0);
  });

  it('joins the customer’s own later email about billing to the proactive case', async () => {
    const world = await billingWorld();
    await enableOutreach(world);
    await failPayment(world);
    await relayEvents(world.ctx);
    const [kase] = await outreachCases(world);

    const contact = await receiveCustomerContact(world.ctx.db, world.ws.system, {
      customerId: world.customer.id,
      subject: 'My card',
      category: 'billing',
      channel: 'email',
      bodyText: 'I have a new card now, please retry.',
    });
    expect(contact).toMatchObject({ caseId: kase!.id, joined: true });
    await relayEvents(world.ctx);
    expect(await casesOf(world)).toHaveLength(1);
  });
});

describe('proactive outreach on a dispute', () => {
  async function disputeCase(world: BillingWorld) {
    const kase = await createCase(world.ctx.db, world.ws.system, {
      customerId: world.customer.id,
      subject: 'Dispute of 49.90 EUR',
      category: 'dispute',
      type: 'dispute',
      channel: 'api',
      message: { bodyText: 'Chargeback received', visibility: 'internal' },
    });
    const dispute = await openDisputeRow(world, { caseId: kase.id });
    await recordBillingEvent(
      world.ctx.db,
      world.ws.system,
      'dispute.opened',
      { type: 'dispute', id: dispute.id },
      {
        customer_id: world.customer.id,
        dispute_id: dispute.id,
        case_id: kase.id,
        payment_id: null,
        amount_minor: 4990,
        currency: 'EUR',
        reason: 'product_not_received',
        evidence_due_at: null,
      },
    );
    return kase;
  }

  it('writes the dispute message on the dispute case once and tags it proactive', async () => {
    const world = await billingWorld();
    await enableOutreach(world);
    const kase = await disputeCase(world);
    await relayEvents(world.ctx);
    await replayEvents(world.ctx, world.ws.id, 'dispute.opened');
    await relayEvents(world.ctx);

    const mails = await outboundOf(world);
    expect(mails).toHaveLength(1);
    expect(mails[0]).toMatchObject({
      kind: 'outreach',
      case_id: kase.id,
      subject: `About your disputed payment of 49.90 EUR [#${kase.number}]`,
    });
    expect(mails[0]!.body_text).toContain('reason given: product not received');
    const [row] = await casesOf(world);
    expect(row!.tags).toEqual(['proactive']);
    // Triage leaves dispute cases alone.
    expect(row!.priority).toBe('normal');
  });

  it('writes nothing about a dispute already closed when Baton first saw it (its case is solved)', async () => {
    const world = await billingWorld();
    await enableOutreach(world);
    const result = await inTransaction(world.ctx.db, (tx) =>
      recordProcessorDispute(tx, world.ws.system, {
        source: 'stripe',
        externalId: unique('dp'),
        chargeExternalId: null,
        customerId: world.customer.id,
        accountId: null,
        paymentId: null,
        amountMinor: 4990,
        currency: 'EUR',
        reason: 'fraudulent',
        networkReasonCode: null,
        status: 'lost',
        evidenceDueAt: null,
        eventAt: new Date(),
      }),
    );
    await relayEvents(world.ctx);
    expect(await outboundOf(world)).toHaveLength(0);
    const [row] = await casesOf(world);
    expect(row).toMatchObject({ id: result.caseId, status: 'solved' });
    expect(row!.tags).not.toContain('proactive');
  });

  it('does nothing on a dispute while its outreach is off', async () => {
    const world = await billingWorld();
    await enableOutreach(world, { dispute_opened: { enabled: false, subject: null, body: null } });
    await disputeCase(world);
    await relayEvents(world.ctx);
    expect(await outboundOf(world)).toHaveLength(0);
  });
});
