import { beforeAll, describe, expect, it } from 'vitest';
import { createWorkspace } from '../../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../../test/harness.js';
import { STRIPE_WEBHOOK_BODY_LIMIT } from '../routes.js';
import { chargeObject, nowSeconds, stripeEvent, stripeId, stripeObject } from './stripe-fixtures.js';
import { deliver, newWebhookSecret, putStripeSettings, signedHeader, stripeWorld } from './webhook-support.js';

beforeAll(async () => {
  await getTestApp();
});

const email = () => `${stripeId('payer')}@example.test`;

async function storedEvents(workspaceId: string) {
  const { db } = await getTestContext();
  return db.selectFrom('billing_webhook_events').selectAll().where('workspace_id', '=', workspaceId).orderBy('received_at').execute();
}

async function paymentsOf(workspaceId: string) {
  const { db } = await getTestContext();
  return db.selectFrom('billing_payments').selectAll().where('workspace_id', '=', workspaceId).execute();
}

describe('Stripe webhook: verification', () => {
  it('accepts a correctly signed event, stores it once and applies it', async () => {
    const { workspace, secret } = await stripeWorld();
    const event = stripeEvent('charge.succeeded', chargeObject({ email: email(), amount: 4990 }));
    const res = await deliver(workspace.id, event, { secret });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true, duplicate: false, status: 'processed' });
    const [stored] = await storedEvents(workspace.id);
    expect(stored).toMatchObject({ event_id: event.id, type: 'charge.succeeded', status: 'processed', error: null, provider: 'stripe' });
    expect(stored!.payload).toMatchObject({ id: event.id, type: 'charge.succeeded' });
    expect(await paymentsOf(workspace.id)).toHaveLength(1);
  });

  it('refuses a forged signature (wrong secret), a stale one, a missing header and a changed body; nothing is stored', async () => {
    const { workspace, secret } = await stripeWorld();
    const event = stripeEvent('charge.succeeded', chargeObject({ email: email() }));
    const forged = await deliver(workspace.id, event, { secret: newWebhookSecret() });
    expect(forged.statusCode).toBe(400);
    expect(forged.json().error.code).toBe('webhook.invalid_signature');

    const stale = await deliver(workspace.id, event, { secret, timestamp: nowSeconds() - 600 });
    expect(stale.statusCode).toBe(400);
    expect(stale.json().error.code).toBe('webhook.timestamp_out_of_tolerance');

    const missing = await deliver(workspace.id, event, { header: null });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error.code).toBe('webhook.invalid_signature');

    const garbled = await deliver(workspace.id, event, { header: 'nonsense' });
    expect(garbled.json().error.code).toBe('webhook.invalid_signature');

    // Signed over one body, another one sent: the signature covers the exact bytes.
    const payload = JSON.stringify(event);
    const tampered = await deliver(workspace.id, payload.replace('"amount":4990', '"amount":1'), { header: signedHeader(payload, secret) });
    expect(tampered.statusCode).toBe(400);
    expect(tampered.json().error.code).toBe('webhook.invalid_signature');

    // Re-serialized JSON (what a parsed-then-stringified body would be) no longer verifies either.
    const reformatted = JSON.stringify(JSON.parse(payload), null, 4);
    expect((await deliver(workspace.id, reformatted, { header: signedHeader(payload, secret) })).statusCode).toBe(400);

    expect(await storedEvents(workspace.id)).toEqual([]);
    expect(await paymentsOf(workspace.id)).toEqual([]);
  });

  it('accepts every configured secret during a rotation', async () => {
    const second = newWebhookSecret();
    const { workspace, secret } = await stripeWorld([second]);
    const a = await deliver(workspace.id, stripeEvent('charge.succeeded', chargeObject({ email: email() })), { secret });
    const b = await deliver(workspace.id, stripeEvent('charge.succeeded', chargeObject({ email: email() })), { secret: second });
    expect([a.statusCode, b.statusCode]).toEqual([200, 200]);
    expect(await storedEvents(workspace.id)).toHaveLength(2);
  });

  it('answers 404 for an unknown workspace or one without webhook secrets', async () => {
    const secret = newWebhookSecret();
    const event = stripeEvent('charge.succeeded', chargeObject({ email: email() }));
    const unknown = await deliver('00000000-0000-4000-8000-000000000000', event, { secret });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('webhook_endpoint.not_found');
    expect((await deliver('not-a-uuid', event, { secret })).statusCode).toBe(404);

    const bare = await createWorkspace();
    expect((await deliver(bare.id, event, { secret })).statusCode).toBe(404);
    const { workspace, admin } = await stripeWorld();
    await putStripeSettings(admin, { webhook_secrets: [] });
    expect((await deliver(workspace.id, event, { secret })).statusCode).toBe(404);
  });

  it('answers 413 for an oversize body and 400 for a signed body that is not an event', async () => {
    const { workspace, secret } = await stripeWorld();
    const huge = JSON.stringify({
      ...stripeEvent('charge.succeeded', chargeObject({ email: email() })),
      padding: 'x'.repeat(STRIPE_WEBHOOK_BODY_LIMIT),
    });
    const res = await deliver(workspace.id, huge, { secret });
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('payload_too_large');

    const notJson = await deliver(workspace.id, '{"id": "evt_1", ', { secret });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toBe('webhook.invalid_payload');
    const notEvent = await deliver(workspace.id, JSON.stringify({ object: 'event', id: 'evt_x' }), { secret });
    expect(notEvent.json().error.code).toBe('webhook.invalid_payload');
    const wrongType = await deliver(workspace.id, 'hello', { secret, contentType: 'text/plain' });
    expect(wrongType.statusCode).toBe(415);
    expect(await storedEvents(workspace.id)).toEqual([]);
  });
});

describe('Stripe webhook: at least once, out of order', () => {
  it('applies an event delivered 10 times once', async () => {
    const { db } = await getTestContext();
    const { workspace, secret } = await stripeWorld();
    const event = stripeEvent(
      'charge.failed',
      chargeObject({ email: email(), status: 'failed', failureCode: 'card_declined', failureMessage: 'Your card was declined.' }),
    );
    const answers = [];
    for (let i = 0; i < 10; i++) answers.push((await deliver(workspace.id, event, { secret })).json());
    expect(answers[0]).toEqual({ received: true, duplicate: false, status: 'processed' });
    expect(answers.slice(1)).toEqual(Array(9).fill({ received: true, duplicate: true }));
    expect(await storedEvents(workspace.id)).toHaveLength(1);
    const payments = await paymentsOf(workspace.id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ status: 'failed', failure_code: 'card_declined' });
    const failedEvents = await db
      .selectFrom('domain_events')
      .select('id')
      .where('workspace_id', '=', workspace.id)
      .where('type', '=', 'billing.payment_failed')
      .execute();
    expect(failedEvents).toHaveLength(1);
    const customers = await db.selectFrom('customers').select('id').where('workspace_id', '=', workspace.id).execute();
    expect(customers).toHaveLength(1);
  });

  it('applies concurrent deliveries of the same event once', async () => {
    const { workspace, secret } = await stripeWorld();
    const event = stripeEvent('charge.succeeded', chargeObject({ email: email() }));
    const answers = await Promise.all(Array.from({ length: 4 }, () => deliver(workspace.id, event, { secret })));
    expect(answers.map((a) => a.statusCode)).toEqual([200, 200, 200, 200]);
    expect(answers.filter((a) => a.json().duplicate === false)).toHaveLength(1);
    expect(await paymentsOf(workspace.id)).toHaveLength(1);
  });

  it('keeps a charge succeeded when an older charge.failed arrives late, and when a same-second pending follows', async () => {
    const { workspace, secret } = await stripeWorld();
    const t = nowSeconds();
    const id = stripeId('ch');
    const payer = email();
    await deliver(workspace.id, stripeEvent('charge.succeeded', chargeObject({ id, email: payer, status: 'succeeded' }), { created: t }), {
      secret,
    });
    const late = await deliver(
      workspace.id,
      stripeEvent('charge.failed', chargeObject({ id, email: payer, status: 'failed', failureCode: 'card_declined' }), { created: t - 30 }),
      { secret },
    );
    expect(late.json()).toMatchObject({ duplicate: false, status: 'processed' });
    await deliver(workspace.id, stripeEvent('charge.pending', chargeObject({ id, email: payer, status: 'pending' }), { created: t }), {
      secret,
    });
    const [payment] = await paymentsOf(workspace.id);
    expect(payment).toMatchObject({ external_id: id, status: 'succeeded', failure_code: null });
    expect(payment!.source_event_at!.getTime()).toBe(t * 1000);
  });
});

describe('Stripe webhook: events Baton cannot use', () => {
  it('stores an event without customer id or email as failed (200) and lists it for admins', async () => {
    const app = await getTestApp();
    const { workspace, admin, secret } = await stripeWorld();
    const orphan = stripeEvent('charge.succeeded', chargeObject({ email: null, customer: null }));
    const res = await deliver(workspace.id, orphan, { secret });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ received: true, duplicate: false, status: 'failed' });
    const unknownCustomer = stripeEvent('charge.succeeded', chargeObject({ email: null, customer: 'cus_unknown123' }));
    await deliver(workspace.id, unknownCustomer, { secret });
    const ignored = stripeEvent('plan.created', stripeObject('customer'));
    expect((await deliver(workspace.id, ignored, { secret })).json()).toEqual({ received: true, duplicate: false, status: 'ignored' });
    expect(await paymentsOf(workspace.id)).toEqual([]);

    const failed = await app.inject({ method: 'GET', url: '/api/v1/billing/webhook-events?status=failed', headers: admin.headers });
    expect(failed.statusCode).toBe(200);
    const body = failed.json<{ data: { event_id: string; status: string; error: string }[]; next_cursor: string | null }>();
    expect(body.data.map((e) => e.event_id).sort()).toEqual([orphan.id, unknownCustomer.id].sort());
    expect(body.data.find((e) => e.event_id === orphan.id)!.error).toMatch(/neither a Stripe customer nor an email/);
    expect(body.data.find((e) => e.event_id === unknownCustomer.id)!.error).toMatch(/cus_unknown123 is not linked/);

    // Cursor pagination over all three, newest first.
    const seen: string[] = [];
    type EventPage = { data: { event_id: string }[]; next_cursor: string | null };
    let cursor: string | null = null;
    do {
      const url = `/api/v1/billing/webhook-events?limit=1${cursor ? `&cursor=${cursor}` : ''}`;
      const json: EventPage = (await app.inject({ method: 'GET', url, headers: admin.headers })).json<EventPage>();
      seen.push(...json.data.map((e) => e.event_id));
      cursor = json.next_cursor;
    } while (cursor);
    expect(seen).toEqual([ignored.id, unknownCustomer.id, orphan.id]);

    const bad = await app.inject({ method: 'GET', url: '/api/v1/billing/webhook-events?cursor=zzz', headers: admin.headers });
    expect(bad.statusCode).toBe(400);
    const badStatus = await app.inject({ method: 'GET', url: '/api/v1/billing/webhook-events?status=nope', headers: admin.headers });
    expect(badStatus.statusCode).toBe(400);
  });

  it('keeps the event list to admins of the workspace', async () => {
    const app = await getTestApp();
    const { createAgent } = await import('../../../../test/factories.js');
    const { workspace, secret } = await stripeWorld();
    await deliver(workspace.id, stripeEvent('charge.succeeded', chargeObject({ email: email() })), { secret });
    const supervisor = await createAgent(workspace, { role: 'supervisor' });
    expect((await app.inject({ method: 'GET', url: '/api/v1/billing/webhook-events', headers: supervisor.headers })).statusCode).toBe(403);
    const other = await stripeWorld();
    const list = await app.inject({ method: 'GET', url: '/api/v1/billing/webhook-events', headers: other.admin.headers });
    expect(list.json().data).toEqual([]);
  });
});
