import type { AppContext } from '../../../context.js';
import { inTransaction } from '../../../db/database.js';
import { OutboxRelay } from '../../../platform/outbox-relay.js';
import { createAgent, createWorkspace, unique, type TestAgent, type TestWorkspace } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { createCustomer } from '../../customers/service.js';
import type { PreferredChannel } from '../../customers/schema.js';
import { emailDomainListeners } from '../../email/outbound/index.js';
import { upsertBillingAccount, upsertInvoice, upsertPayment, upsertRefund } from '../service.js';
import { billingTriageListener } from '../triage/index.js';
import { outreachDomainListeners } from './index.js';
import { updateOutreachSettings, type OutreachSettings } from './settings.js';

/** Helpers of the outreach and triage tests (imported by *.test.ts only). */

export interface BillingWorld {
  ctx: AppContext;
  ws: TestWorkspace;
  admin: TestAgent;
  mailbox: { id: string; address: string; name: string } | null;
  customer: { id: string; email: string | null; name: string };
}

export async function billingWorld(
  options: { mailbox?: boolean; email?: boolean; language?: string; preferredChannel?: PreferredChannel } = {},
): Promise<BillingWorld> {
  await getTestApp();
  const ctx = await getTestContext();
  const ws = await createWorkspace();
  const admin = await createAgent(ws, { role: 'admin', name: 'Ada Admin' });
  // The mailbox row is written directly: the mailbox API is another module's.
  const mailbox =
    options.mailbox === false
      ? null
      : await ctx.db
          .insertInto('mailboxes')
          .values({ workspace_id: ws.id, address: `${unique('billing')}@acme.test`, name: 'Acme Billing', category: 'billing' })
          .returning(['id', 'address', 'name'])
          .executeTakeFirstOrThrow();
  const email = options.email === false ? null : `${unique('casey')}@customer.test`;
  const customer = await createCustomer(ctx.db, ws.system, {
    name: 'Casey Customer',
    emails: email ? [email] : [],
    ...(options.language ? { language: options.language } : {}),
    ...(options.preferredChannel ? { preferred_channel: options.preferredChannel } : {}),
  });
  return { ctx, ws, admin, mailbox, customer: { id: customer.id, email, name: 'Casey Customer' } };
}

export async function enableOutreach(world: BillingWorld, settings: Partial<OutreachSettings> = {}): Promise<void> {
  const on = { enabled: true, subject: null, body: null };
  await updateOutreachSettings(world.ctx.db, world.admin.actor, { payment_failed: on, dispute_opened: on, ...settings });
}

export interface FailedPayment {
  accountId: string;
  invoiceId: string;
  paymentId: string;
}

/** A ledger account, an invoice and a payment that fails (billing.payment_failed), through the billing records. */
export async function failPayment(
  world: BillingWorld,
  options: { amountMinor?: number; currency?: string; failureCode?: string | null; failureMessage?: string | null; paidAt?: Date } = {},
): Promise<FailedPayment> {
  const { ctx, ws, customer } = world;
  const currency = options.currency ?? 'EUR';
  const amountMinor = options.amountMinor ?? 4990;
  return inTransaction(ctx.db, async (tx) => {
    const account = await upsertBillingAccount(tx, ws.system, { customerId: customer.id, source: 'ledger', externalId: null, currency });
    const invoice = await upsertInvoice(tx, ws.system, {
      accountId: account.id,
      externalId: null,
      number: unique('INV'),
      status: 'open',
      currency,
      totalMinor: amountMinor,
      amountPaidMinor: 0,
      issuedAt: new Date('2026-11-01T00:00:00Z'),
      dueAt: new Date('2026-11-15T00:00:00Z'),
      paidAt: null,
      sourceEventAt: null,
    });
    const payment = await upsertPayment(tx, ws.system, {
      accountId: account.id,
      invoiceId: invoice.id,
      externalId: unique('pay'),
      amountMinor,
      currency,
      status: 'failed',
      failureCode: options.failureCode === undefined ? 'card_declined' : options.failureCode,
      failureMessage: options.failureMessage ?? null,
      paidAt: options.paidAt ?? new Date(),
      sourceEventAt: null,
    });
    return { accountId: account.id, invoiceId: invoice.id, paymentId: payment.id };
  });
}

/** A succeeded payment with a refund of part of it (billing.refund_recorded). */
export async function refundPayment(
  world: BillingWorld,
  options: { amountMinor?: number; status?: 'pending' | 'succeeded' | 'failed' } = {},
) {
  const { ctx, ws, customer } = world;
  return inTransaction(ctx.db, async (tx) => {
    const account = await upsertBillingAccount(tx, ws.system, {
      customerId: customer.id,
      source: 'ledger',
      externalId: null,
      currency: 'EUR',
    });
    const payment = await upsertPayment(tx, ws.system, {
      accountId: account.id,
      externalId: unique('pay'),
      amountMinor: 10000,
      currency: 'EUR',
      status: 'succeeded',
      paidAt: new Date(),
      sourceEventAt: null,
    });
    const refund = await upsertRefund(tx, ws.system, {
      paymentId: payment.id,
      externalId: unique('re'),
      amountMinor: options.amountMinor ?? 2500,
      currency: 'EUR',
      status: options.status ?? 'succeeded',
      sourceEventAt: null,
    });
    return { paymentId: payment.id, refundId: refund.id };
  });
}

/** An open dispute of the customer, written directly (the disputes API is another module's). */
export async function openDisputeRow(world: BillingWorld, options: { caseId?: string | null; paymentId?: string | null } = {}) {
  return world.ctx.db
    .insertInto('disputes')
    .values({
      workspace_id: world.ws.id,
      customer_id: world.customer.id,
      payment_id: options.paymentId ?? null,
      case_id: options.caseId ?? null,
      source: 'manual',
      amount_minor: 4990,
      currency: 'EUR',
      reason: 'product_not_received',
      status: 'needs_response',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** Relays every pending domain event to outreach, triage and the email listeners, until none is left. */
export async function relayEvents(ctx: AppContext): Promise<void> {
  const relay = new OutboxRelay(
    ctx.database,
    [...emailDomainListeners(ctx), ...outreachDomainListeners(ctx), billingTriageListener()],
    ctx.logger,
  );
  for (let pass = 0; pass < 5; pass++) {
    await relay.drain();
    const pending = await ctx.db
      .selectFrom('domain_events')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('published_at', 'is', null)
      .executeTakeFirstOrThrow();
    if (Number(pending.n) === 0) return;
  }
}

/** Marks a workspace's events of a type unpublished again: the relay hands them over a second time (a replay). */
export async function replayEvents(ctx: AppContext, workspaceId: string, type: string): Promise<void> {
  await ctx.db
    .updateTable('domain_events')
    .set({ published_at: null })
    .where('workspace_id', '=', workspaceId)
    .where('type', '=', type)
    .execute();
}

export async function casesOf(world: BillingWorld) {
  return world.ctx.db.selectFrom('cases').selectAll().where('workspace_id', '=', world.ws.id).orderBy('number').execute();
}

export async function outboundOf(world: BillingWorld) {
  return world.ctx.db.selectFrom('outbound_mail').selectAll().where('workspace_id', '=', world.ws.id).orderBy('created_at').execute();
}

/**
 * A proactive case's messages: the opening note first, then the rest. (Messages written in one
 * transaction share their created_at, so the database order alone does not tell.)
 */
export async function messagesOf(world: BillingWorld, caseId: string) {
  const rows = await world.ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  const opening = (m: (typeof rows)[number]) => (m.body_text.startsWith('Baton opened this case') ? 0 : 1);
  return rows.sort((a, b) => opening(a) - opening(b));
}
