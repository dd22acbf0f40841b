import crypto from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeStripeApi, type FakeStripeApi } from '../billing/stripe/test/fake-stripe-api.js';
import { stripeObject } from '../billing/stripe/test/stripe-fixtures.js';
import { newApiKey, putStripeSettings } from '../billing/stripe/test/webhook-support.js';
import type { DisputeView } from './views.js';
import { api, createAgent, DAY, disputeWorld, expectStatus, paidInvoice, processorInput, recordViaWebhook } from './test-support.js';

/**
 * Evidence submitted to Stripe through the real stripe client against a local fake Stripe: the
 * packet PDF is uploaded with the files API (whose host follows the configured API base, as the
 * API's does) and its file id sent as the `uncategorized_file` evidence.
 */
let stripe: FakeStripeApi;

beforeAll(async () => {
  stripe = await startFakeStripeApi((request) => {
    if (request.method === 'POST' && request.path === '/v1/files') {
      return { status: 200, body: stripeObject('file', { id: 'file_packet_1', purpose: 'dispute_evidence', type: 'pdf' }) };
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
    return { status: 404, body: { error: { type: 'invalid_request_error', message: `No such route ${request.path}` } } };
  });
});

afterAll(async () => {
  await stripe?.close();
});

async function stripeDispute() {
  const world = await disputeWorld();
  const admin = await createAgent(world.workspace, { role: 'admin' });
  expect((await putStripeSettings(admin, { api_key: newApiKey(), api_base: stripe.origin })).statusCode).toBe(200);
  expectStatus(await api(admin, 'PUT', '/billing/settings/connector', { connector: 'stripe' }), 200);
  const billing = await paidInvoice(world.workspace, world.customerId);
  const externalId = `dp_${crypto.randomBytes(8).toString('hex')}`;
  const recorded = await recordViaWebhook(
    world.workspace,
    processorInput({
      customerId: world.customerId,
      externalId,
      accountId: billing.accountId,
      paymentId: billing.paymentId,
      evidenceDueAt: new Date(Date.now() + 5 * DAY),
    }),
  );
  expectStatus(
    await api(world.agent, 'POST', `/disputes/${recorded.disputeId}/evidence`, {
      kind: 'customer_communication',
      title: 'Delivery confirmation',
      body: 'The parcel was signed for on 3 March.',
    }),
    201,
  );
  return { ...world, ...recorded, externalId };
}

describe('submitting evidence to Stripe', () => {
  it('uploads the packet PDF to the files API and sends its id as uncategorized_file with the text evidence', async () => {
    const { db, agent, disputeId, externalId } = await stripeDispute();
    const before = stripe.requests.length;
    const res = await api(agent, 'POST', `/disputes/${disputeId}/submit`);
    expectStatus(res, 200);
    expect(res.json<DisputeView>().submission).not.toBeNull();

    const [upload, update] = stripe.requests.slice(before);
    // The upload reached the configured API base (not files.stripe.com) as multipart with the PDF.
    expect(upload).toMatchObject({ method: 'POST', path: '/v1/files' });
    expect(upload!.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    const body = upload!.raw.toString('latin1');
    expect(body).toMatch(/name="purpose"\r\n\r\ndispute_evidence\r\n/);
    expect(body).toMatch(/name="file"; filename="dispute-[^"]+\.pdf"\r\nContent-Type: application\/pdf\r\n\r\n%PDF-/);
    const stored = await db.selectFrom('dispute_submissions').selectAll().where('dispute_id', '=', disputeId).executeTakeFirstOrThrow();
    // The uploaded bytes are the packet Baton stored for the submission.
    const boundary = /boundary=(.+)$/.exec(String(upload!.headers['content-type']))![1]!;
    const pdf = upload!.raw.subarray(upload!.raw.indexOf('%PDF-'), upload!.raw.lastIndexOf(`\r\n--${boundary}--`));
    expect(crypto.createHash('sha256').update(pdf).digest('hex')).toBe(stored.packet_sha256);
    expect(upload!.headers['idempotency-key']).toBe(`dispute-submit:${disputeId}:packet:${stored.packet_sha256}`);

    expect(update).toMatchObject({ method: 'POST', path: `/v1/disputes/${externalId}` });
    const form = Object.fromEntries(update!.form);
    expect(form).toMatchObject({
      'evidence[uncategorized_file]': 'file_packet_1',
      'evidence[uncategorized_text]': expect.stringContaining('The parcel was signed for on 3 March.'),
      submit: 'true',
    });
    expect(update!.headers['idempotency-key']).toBe(`dispute-submit:${disputeId}`);
    expect(stored.processor_response).toMatchObject({ connector: 'stripe', id: externalId, uncategorized_file: 'file_packet_1' });
    const audit = await db
      .selectFrom('audit_log')
      .select('details')
      .where('target_id', '=', disputeId)
      .where('action', '=', 'dispute.evidence_submitted')
      .executeTakeFirstOrThrow();
    expect(audit.details).toMatchObject({ processor_file_id: 'file_packet_1' });
  });

  it('submits nothing when Stripe refuses the upload: the agent can try again', async () => {
    const { db, agent, disputeId, externalId } = await stripeDispute();
    stripe.script('POST', '/v1/files', [
      { status: 400, body: { error: { type: 'invalid_request_error', code: 'file_too_large', message: 'The file is too large.' } } },
    ]);
    const before = stripe.requests.length;
    const refused = await api(agent, 'POST', `/disputes/${disputeId}/submit`);
    expectStatus(refused, 422);
    expect(refused.json()).toMatchObject({ error: { code: 'billing.processor_declined', details: { processor_code: 'file_too_large' } } });
    expect(stripe.requests.slice(before).map((r) => r.path)).toEqual(['/v1/files']);
    const none = await db.selectFrom('dispute_submissions').select('dispute_id').where('dispute_id', '=', disputeId).execute();
    expect(none).toEqual([]);

    expectStatus(await api(agent, 'POST', `/disputes/${disputeId}/submit`), 200);
    expect(stripe.requests.slice(before).map((r) => r.path)).toEqual(['/v1/files', '/v1/files', `/v1/disputes/${externalId}`]);
  });
});
