import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, unique } from '../../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../../test/harness.js';
import { findOrCreateCustomerByEmail, getCustomer } from '../../../customers/service.js';
import { startFakeStripeApi, type FakeStripeApi } from './fake-stripe-api.js';
import { chargeObject, refundObject, stripeEvent, stripeId, stripeObject, subscriptionObject } from './stripe-fixtures.js';
import { deliver, newApiKey, putStripeSettings, stripeWorld, type StripeWorld } from './webhook-support.js';

/**
 * Subscriptions of Stripe customers Baton has not linked yet (the customer is fetched through the
 * Stripe client) and the admin's retry of webhook events that failed to apply.
 */
let api: FakeStripeApi;
/** The Stripe customers the fake Stripe knows. */
const stripeCustomers = new Map<string, Record<string, unknown>>();

beforeAll(async () => {
  await getTestApp();
  api = await startFakeStripeApi((request) => {
    const customer = /^\/v1\/customers\/([^/]+)$/.exec(request.path);
    if (request.method === 'GET' && customer && stripeCustomers.has(customer[1]!)) {
      return { status: 200, body: stripeCustomers.get(customer[1]!) };
    }
    return {
      status: 404,
      body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such customer: '${customer?.[1] ?? ''}'` } },
    };
  });
});

afterAll(async () => {
  await api?.close();
});

const email = () => `${stripeId('payer')}@example.test`;

function stripeCustomer(input: { email: string | null; name?: string | null; deleted?: boolean }): string {
  const id = stripeId('cus');
  stripeCustomers.set(
    id,
    input.deleted
      ? { id, object: 'customer', deleted: true }
      : stripeObject('customer', { id, email: input.email, name: input.name ?? null }),
  );
  return id;
}

async function withApiKey(world: StripeWorld, apiBase = api.origin): Promise<void> {
  const res = await putStripeSettings(world.admin, { api_key: newApiKey(), api_base: apiBase });
  expect(res.statusCode, res.body).toBe(200);
}

async function send(world: StripeWorld, type: string, object: Record<string, unknown>) {
  const event = stripeEvent(type, object);
  const res = await deliver(world.workspace.id, event, { secret: world.secret });
  return { res, eventId: String(event.id) };
}

async function storedEvent(world: StripeWorld, eventId: string) {
  const { db } = await getTestContext();
  return db
    .selectFrom('billing_webhook_events')
    .select(['id', 'status', 'error', 'processed_at'])
    .where('workspace_id', '=', world.workspace.id)
    .where('event_id', '=', eventId)
    .executeTakeFirstOrThrow();
}

async function accountOf(world: StripeWorld, stripeCustomerId: string) {
  const { db } = await getTestContext();
  return db
    .selectFrom('billing_accounts')
    .select(['id', 'customer_id', 'email', 'name'])
    .where('workspace_id', '=', world.workspace.id)
    .where('external_id', '=', stripeCustomerId)
    .executeTakeFirst();
}

async function retry(world: StripeWorld, id: string, headers = world.admin.headers) {
  const app = await getTestApp();
  return app.inject({ method: 'POST', url: `/api/v1/billing/webhook-events/${id}/retry`, headers });
}

describe('subscriptions of a Stripe customer Baton has not linked yet', () => {
  it('looks the customer up in Stripe and links it by email to the Baton customer of that address', async () => {
    const { db } = await getTestContext();
    const world = await stripeWorld();
    await withApiKey(world);
    const address = email();
    const { customerId } = await findOrCreateCustomerByEmail(db, world.workspace.system, { email: address, name: 'Jenny Rosen' });
    const cus = stripeCustomer({ email: address.toUpperCase(), name: 'Jenny R.' });
    const sub = subscriptionObject({ customer: cus, status: 'active', unitAmount: 2900, nickname: 'Team' });

    const { res } = await send(world, 'customer.subscription.created', sub);
    expect(res.json()).toEqual({ received: true, duplicate: false, status: 'processed' });
    expect(await accountOf(world, cus)).toMatchObject({ customer_id: customerId, email: address });
    const subscriptions = await db
      .selectFrom('billing_subscriptions')
      .select(['external_id', 'plan_name', 'status', 'price_minor'])
      .where('workspace_id', '=', world.workspace.id)
      .execute();
    expect(subscriptions).toEqual([{ external_id: sub.id, plan_name: 'Team', status: 'active', price_minor: 2900 }]);
    const lookups = api.requests.filter((r) => r.method === 'GET' && r.path === `/v1/customers/${cus}`);
    expect(lookups).toHaveLength(1);
    expect(lookups[0]!.headers.authorization).toMatch(/^Bearer sk_test_/);

    // Linked now: the next event of that customer needs no lookup.
    await send(world, 'customer.subscription.updated', subscriptionObject({ id: String(sub.id), customer: cus, status: 'past_due' }));
    expect(api.requests.filter((r) => r.path === `/v1/customers/${cus}`)).toHaveLength(1);
  });

  it('creates the Baton customer from the Stripe customer’s name and email, as a charge would', async () => {
    const world = await stripeWorld();
    await withApiKey(world);
    const address = email();
    const cus = stripeCustomer({ email: address, name: 'Ola Nordmann' });
    const { res } = await send(world, 'customer.subscription.created', subscriptionObject({ customer: cus, status: 'trialing' }));
    expect(res.json()).toMatchObject({ status: 'processed' });
    const account = (await accountOf(world, cus))!;
    expect(account).toMatchObject({ email: address, name: 'Ola Nordmann' });
    const customer = await getCustomer((await getTestContext()).db, world.workspace.system, account.customer_id);
    expect(customer.name).toBe('Ola Nordmann');
    expect(customer.emails.map((e) => e.value)).toEqual([address]);
  });

  it('stores the event failed with the reason when the Stripe customer has no email, was deleted or does not exist', async () => {
    const world = await stripeWorld();
    await withApiKey(world);
    const cases: [string, RegExp][] = [
      [stripeCustomer({ email: null, name: 'No Mail' }), /has no email address in Stripe/],
      [stripeCustomer({ email: null, deleted: true }), /the Stripe customer was deleted/],
      [stripeId('cus'), /No such customer/],
    ];
    for (const [cus, reason] of cases) {
      const { res, eventId } = await send(world, 'customer.subscription.created', subscriptionObject({ customer: cus, status: 'active' }));
      expect(res.json()).toMatchObject({ status: 'failed' });
      expect((await storedEvent(world, eventId)).error).toMatch(reason);
      expect(await accountOf(world, cus)).toBeUndefined();
    }
  });

  it('answers 503 and stores nothing while Stripe cannot be reached, so Stripe delivers again', async () => {
    const world = await stripeWorld();
    // Nothing listens on this port.
    await withApiKey(world, 'http://127.0.0.1:9');
    const { res, eventId } = await send(
      world,
      'customer.subscription.created',
      subscriptionObject({ customer: stripeId('cus'), status: 'active' }),
    );
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: { code: 'billing.processor_unavailable' } });
    const { db } = await getTestContext();
    const stored = await db.selectFrom('billing_webhook_events').select('id').where('event_id', '=', eventId).execute();
    expect(stored).toEqual([]);
  }, 30_000);
});

describe('POST /billing/webhook-events/:id/retry', () => {
  it('applies a failed event once it can be: processed, the error cleared, audited; a second retry is 409', async () => {
    const world = await stripeWorld();
    const address = email();
    const cus = stripeCustomer({ email: address, name: 'Late Linked' });
    const sub = subscriptionObject({ customer: cus, status: 'active' });
    // No API key yet: the customer cannot be looked up.
    const { res, eventId } = await send(world, 'customer.subscription.created', sub);
    expect(res.json()).toMatchObject({ status: 'failed' });
    const failed = await storedEvent(world, eventId);
    expect(failed.error).toMatch(new RegExp(`${cus} is not linked.*no Stripe API key`));

    await withApiKey(world);
    const retried = await retry(world, failed.id);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ id: failed.id, event_id: eventId, status: 'processed', error: null });
    expect(await accountOf(world, cus)).toMatchObject({ email: address });
    const { db } = await getTestContext();
    const subs = await db
      .selectFrom('billing_subscriptions')
      .select('external_id')
      .where('workspace_id', '=', world.workspace.id)
      .execute();
    expect(subs).toEqual([{ external_id: sub.id }]);
    const audit = await db
      .selectFrom('audit_log')
      .select(['actor_id', 'details'])
      .where('workspace_id', '=', world.workspace.id)
      .where('action', '=', 'billing.webhook_event_retried')
      .execute();
    expect(audit).toEqual([
      {
        actor_id: world.admin.id,
        details: expect.objectContaining({ event_id: eventId, status: 'processed', error: null, previous_error: failed.error }),
      },
    ]);

    const again = await retry(world, failed.id);
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ error: { code: 'billing.webhook_event_not_failed', details: { status: 'processed' } } });
    expect(subs).toHaveLength(1);
  });

  it('keeps an event failed with the new reason when it still cannot be applied, and changes nothing', async () => {
    const world = await stripeWorld();
    const chargeId = stripeId('ch');
    const { eventId } = await send(world, 'refund.created', refundObject({ charge: chargeId, amount: 5000 }));
    const stored = await storedEvent(world, eventId);
    expect(stored).toMatchObject({ status: 'failed', error: expect.stringMatching(/not known to Baton/) });

    // The charge arrives, but for less than the refund: the retry fails for another reason.
    await send(world, 'charge.succeeded', chargeObject({ id: chargeId, email: email(), amount: 1000 }));
    const retried = await retry(world, stored.id);
    expect(retried.statusCode, retried.body).toBe(200);
    expect(retried.json()).toMatchObject({ status: 'failed', error: expect.stringMatching(/billing\.refund_exceeds_payment/) });
    const after = await storedEvent(world, eventId);
    expect(after.processed_at!.getTime()).toBeGreaterThanOrEqual(stored.processed_at!.getTime());
    const { db } = await getTestContext();
    const refunds = await db.selectFrom('billing_refunds').select('id').where('workspace_id', '=', world.workspace.id).execute();
    expect(refunds).toEqual([]);
  });

  it('is for admins of the workspace: 403 for supervisors, 404 for another workspace or an unknown id, 400 for a bad id', async () => {
    const world = await stripeWorld();
    const { eventId } = await send(world, 'refund.created', refundObject({ charge: stripeId('ch'), amount: 100 }));
    const stored = await storedEvent(world, eventId);
    const supervisor = await createAgent(world.workspace, { role: 'supervisor' });
    expect((await retry(world, stored.id, supervisor.headers)).statusCode).toBe(403);
    const other = await stripeWorld();
    const foreign = await retry(other, stored.id);
    expect(foreign.statusCode).toBe(404);
    expect(foreign.json()).toMatchObject({ error: { code: 'billing.webhook_event_not_found' } });
    expect((await retry(world, '6f1c7f7e-0000-4000-8000-000000000000')).statusCode).toBe(404);
    expect((await retry(world, unique('not-a-uuid'))).statusCode).toBe(400);
    expect((await storedEvent(world, eventId)).status).toBe('failed');
  });

  it('refuses to retry an event that was processed or ignored (409)', async () => {
    const world = await stripeWorld();
    const { eventId } = await send(world, 'plan.created', stripeObject('customer'));
    const ignored = await storedEvent(world, eventId);
    expect(ignored.status).toBe('ignored');
    const res = await retry(world, ignored.id);
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ error: { code: 'billing.webhook_event_not_failed', details: { status: 'ignored' } } });
  });
});
