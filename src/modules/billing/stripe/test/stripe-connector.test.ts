import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAgent, createWorkspace } from '../../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../../test/harness.js';
import { connectorFor, ledgerConnector } from '../../connectors/index.js';
import { startFakeStripeApi, type FakeStripeApi } from './fake-stripe-api.js';
import { stripeObject } from './stripe-fixtures.js';
import { newApiKey, putStripeSettings } from './webhook-support.js';

let api: FakeStripeApi;

beforeAll(async () => {
  await getTestApp();
  api = await startFakeStripeApi((request) => {
    if (request.method === 'POST' && request.path === '/v1/refunds') {
      return {
        status: 200,
        body: stripeObject('refund', {
          id: 're_fake_1',
          amount: Number(request.form.get('amount')),
          charge: request.form.get('charge'),
          status: 'succeeded',
          metadata: { baton_refund_id: request.form.get('metadata[baton_refund_id]') },
        }),
      };
    }
    const balance = /^\/v1\/customers\/([^/]+)\/balance_transactions$/.exec(request.path);
    if (request.method === 'POST' && balance) {
      return {
        status: 200,
        body: {
          id: 'cbtxn_fake_1',
          object: 'customer_balance_transaction',
          amount: Number(request.form.get('amount')),
          currency: request.form.get('currency'),
          customer: balance[1],
          type: 'adjustment',
        },
      };
    }
    const dispute = /^\/v1\/disputes\/([^/]+)$/.exec(request.path);
    if (request.method === 'POST' && dispute) {
      return {
        status: 200,
        body: stripeObject('dispute', {
          id: dispute[1],
          status: 'under_review',
          evidence_details: { has_evidence: true, submission_count: 1, due_by: 1723679999, past_due: false },
        }),
      };
    }
    return {
      status: 404,
      body: { error: { type: 'invalid_request_error', code: 'resource_missing', message: `No such route ${request.path}` } },
    };
  });
});

afterAll(async () => {
  await api?.close();
});

/** A workspace on the Stripe connector whose API base is the fake Stripe. */
async function stripeConnectorWorkspace(apiBase = api.origin) {
  const workspace = await createWorkspace();
  const admin = await createAgent(workspace, { role: 'admin' });
  const apiKey = newApiKey();
  expect((await putStripeSettings(admin, { api_key: apiKey, api_base: apiBase })).statusCode).toBe(200);
  const app = await getTestApp();
  const res = await app.inject({
    method: 'PUT',
    url: '/api/v1/billing/settings/connector',
    headers: admin.headers,
    payload: { connector: 'stripe' },
  });
  expect(res.statusCode).toBe(200);
  return { workspace, apiKey };
}

describe('connectorFor', () => {
  it('is the ledger connector until an admin switches to Stripe', async () => {
    const ctx = await getTestContext();
    const workspace = await createWorkspace();
    expect(await connectorFor(ctx, ctx.db, workspace.id)).toBe(ledgerConnector);
    const { workspace: stripeWs } = await stripeConnectorWorkspace();
    expect((await connectorFor(ctx, ctx.db, stripeWs.id)).name).toBe('stripe');
  });

  it('refuses to build a Stripe connector whose stored key no longer decrypts', async () => {
    const ctx = await getTestContext();
    const { workspace } = await stripeConnectorWorkspace();
    await expect(connectorFor({ secret: 'another-instance-secret' }, ctx.db, workspace.id)).rejects.toMatchObject({
      code: 'billing.stripe_not_configured',
    });
  });
});

describe('Stripe connector through the real stripe client', () => {
  it('creates a refund: path, form body, API key and Idempotency-Key', async () => {
    const ctx = await getTestContext();
    const { workspace, apiKey } = await stripeConnectorWorkspace();
    const connector = await connectorFor(ctx, ctx.db, workspace.id);
    const before = api.requests.length;
    const result = await connector.createRefund({
      refundId: '6f1c7f7e-0000-4000-8000-000000000001',
      paymentExternalId: 'ch_abc123',
      amountMinor: 1500,
      currency: 'EUR',
      reason: 'requested_by_customer',
      idempotencyKey: 'money-action:6f1c7f7e-aaaa',
    });
    expect(result).toEqual({ externalId: 're_fake_1', status: 'succeeded' });
    const [request] = api.requests.slice(before);
    expect(request).toMatchObject({ method: 'POST', path: '/v1/refunds' });
    expect(Object.fromEntries(request!.form)).toEqual({
      charge: 'ch_abc123',
      amount: '1500',
      reason: 'requested_by_customer',
      'metadata[baton_refund_id]': '6f1c7f7e-0000-4000-8000-000000000001',
    });
    expect(request!.headers['idempotency-key']).toBe('money-action:6f1c7f7e-aaaa');
    expect(request!.headers.authorization).toBe(`Bearer ${apiKey}`);
    expect(request!.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
  });

  it('retries a 500 with the same idempotency key and the identical body', async () => {
    const ctx = await getTestContext();
    const { workspace } = await stripeConnectorWorkspace();
    const connector = await connectorFor(ctx, ctx.db, workspace.id);
    api.script('POST', '/v1/refunds', [{ status: 500, body: { error: { type: 'api_error', message: 'Something went wrong' } } }]);
    const before = api.requests.length;
    const result = await connector.createRefund({
      refundId: '6f1c7f7e-0000-4000-8000-000000000002',
      paymentExternalId: 'pi_intent42',
      amountMinor: 700,
      currency: 'EUR',
      reason: 'Customer says the parcel never arrived',
      idempotencyKey: 'money-action:retry-test',
    });
    expect(result.externalId).toBe('re_fake_1');
    const attempts = api.requests.slice(before);
    expect(attempts).toHaveLength(2);
    expect(attempts[0]!.body).toBe(attempts[1]!.body);
    expect(attempts.map((a) => a.headers['idempotency-key'])).toEqual(['money-action:retry-test', 'money-action:retry-test']);
    // A payment intent is refunded as one; free text goes to metadata, not Stripe's reason enum.
    expect(Object.fromEntries(attempts[0]!.form)).toEqual({
      payment_intent: 'pi_intent42',
      amount: '700',
      'metadata[baton_refund_id]': '6f1c7f7e-0000-4000-8000-000000000002',
      'metadata[baton_reason]': 'Customer says the parcel never arrived',
    });
  });

  it('grants a credit as a negative customer balance transaction', async () => {
    const ctx = await getTestContext();
    const { workspace } = await stripeConnectorWorkspace();
    const connector = await connectorFor(ctx, ctx.db, workspace.id);
    const before = api.requests.length;
    const result = await connector.grantCredit({
      creditId: 'credit-1',
      accountExternalId: 'cus_QXg1o8vcGmoR32',
      amountMinor: 2500,
      currency: 'EUR',
      description: 'Goodwill credit for the outage',
      idempotencyKey: 'money-action:credit-1',
    });
    expect(result).toEqual({ externalId: 'cbtxn_fake_1' });
    const [request] = api.requests.slice(before);
    expect(request!.path).toBe('/v1/customers/cus_QXg1o8vcGmoR32/balance_transactions');
    expect(Object.fromEntries(request!.form)).toEqual({
      amount: '-2500',
      currency: 'eur',
      description: 'Goodwill credit for the outage',
      'metadata[baton_credit_id]': 'credit-1',
    });
    expect(request!.headers['idempotency-key']).toBe('money-action:credit-1');
  });

  it('submits dispute evidence with submit=true', async () => {
    const ctx = await getTestContext();
    const { workspace } = await stripeConnectorWorkspace();
    const connector = await connectorFor(ctx, ctx.db, workspace.id);
    const before = api.requests.length;
    const result = await connector.submitDisputeEvidence({
      disputeExternalId: 'dp_1Pgc71B7WZ01zgkWMevJiAUx',
      fields: { uncategorized_text: 'Delivered and signed for.', customer_email_address: 'jenny@example.test' },
      idempotencyKey: 'dispute-submit:dp_1',
    });
    expect(result.response).toEqual({ id: 'dp_1Pgc71B7WZ01zgkWMevJiAUx', status: 'under_review', submission_count: 1, has_evidence: true });
    const [request] = api.requests.slice(before);
    expect(request!.path).toBe('/v1/disputes/dp_1Pgc71B7WZ01zgkWMevJiAUx');
    expect(Object.fromEntries(request!.form)).toEqual({
      'evidence[uncategorized_text]': 'Delivered and signed for.',
      'evidence[customer_email_address]': 'jenny@example.test',
      submit: 'true',
    });
    expect(request!.headers['idempotency-key']).toBe('dispute-submit:dp_1');
  });

  it('maps Stripe errors: a decline is 422 processor_declined, a bad key 422 processor_auth_failed, Stripe down 503', async () => {
    const ctx = await getTestContext();
    const { workspace } = await stripeConnectorWorkspace();
    const connector = await connectorFor(ctx, ctx.db, workspace.id);
    const refund = {
      refundId: 'r',
      paymentExternalId: 'ch_1',
      amountMinor: 100,
      currency: 'EUR',
      reason: 'duplicate',
      idempotencyKey: 'k-declined',
    };
    api.script('POST', '/v1/refunds', [
      {
        status: 400,
        body: {
          error: { type: 'invalid_request_error', code: 'charge_already_refunded', message: 'Charge ch_1 has already been refunded.' },
        },
      },
      { status: 401, body: { error: { type: 'invalid_request_error', message: 'Invalid API Key provided' } } },
    ]);
    await expect(connector.createRefund(refund)).rejects.toMatchObject({
      kind: 'unprocessable',
      code: 'billing.processor_declined',
      details: { processor_code: 'charge_already_refunded', retryable: false },
    });
    await expect(connector.createRefund({ ...refund, idempotencyKey: 'k-auth' })).rejects.toMatchObject({
      code: 'billing.processor_auth_failed',
    });
    await expect(
      connector.grantCredit({
        creditId: 'c',
        accountExternalId: null,
        amountMinor: 1,
        currency: 'EUR',
        description: 'x',
        idempotencyKey: 'k',
      }),
    ).rejects.toMatchObject({
      code: 'billing.processor_reference_missing',
    });

    // Nothing listens on this port: connection refused after the retries.
    const down = await stripeConnectorWorkspace('http://127.0.0.1:9');
    const unreachable = await connectorFor(ctx, ctx.db, down.workspace.id);
    await expect(unreachable.createRefund({ ...refund, idempotencyKey: 'k-down' })).rejects.toMatchObject({
      kind: 'unavailable',
      code: 'billing.processor_unavailable',
      details: { retryable: true },
    });
  }, 30_000);
});
