import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { addMessage, createCase } from '../cases/service.js';
import { requirementsFor, requirementsView } from './requirements.js';
import type { EvidenceItemView, DisputeView } from './views.js';
import {
  api,
  createAgent,
  disputeWorld,
  expectStatus,
  paidInvoice,
  processorInput,
  recordViaWebhook,
  DAY,
  type ErrorResponse,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

describe('evidence requirements per reason', () => {
  it('follows the reason, with a general fallback, and counts only included items with content', () => {
    expect(requirementsFor('product_not_received').map((r) => r.kind)).toEqual([
      'receipt',
      'shipping_documentation',
      'customer_communication',
      'customer_details',
    ]);
    expect(
      requirementsFor('subscription_canceled')
        .filter((r) => r.required)
        .map((r) => r.kind),
    ).toEqual(['cancellation_policy', 'customer_communication', 'receipt']);
    expect(
      requirementsFor('credit_not_processed')
        .filter((r) => r.required)
        .map((r) => r.kind),
    ).toEqual(['refund_policy', 'customer_communication', 'receipt']);
    expect(
      requirementsFor('fraudulent')
        .filter((r) => r.required)
        .map((r) => r.kind),
    ).toEqual(['receipt', 'customer_details', 'prior_undisputed_payments']);
    expect(requirementsFor('duplicate').map((r) => r.kind)).toContain('prior_undisputed_payments');
    expect(requirementsFor('insufficient_funds')).toEqual(requirementsFor('general'));
    const view = requirementsView('product_not_received', [
      { kind: 'receipt', included: true, body: 'Invoice 1' },
      { kind: 'service_documentation', included: true, body: 'Account used daily' },
      { kind: 'customer_communication', included: false, body: 'left out' },
    ]);
    expect(view.map((r) => [r.kind, r.satisfied])).toEqual([
      ['receipt', true],
      ['shipping_documentation', true],
      ['customer_communication', false],
      ['customer_details', false],
    ]);
  });
});

describe('evidence builder', () => {
  it('prefills a transcript line, the invoice, prior payments and policies; a re-run keeps edited and agent items', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const prior = await paidInvoice(workspace, customerId, { paidAt: new Date(Date.now() - 40 * DAY), number: 'INV-0001' });
    const billing = await paidInvoice(workspace, customerId, { number: 'INV-0002' });
    void prior;
    const kase = await createCase(db, agent.actor, {
      customerId,
      subject: 'Where is my order?',
      channel: 'email',
      message: { bodyText: 'Grüße! My order #77 never arrived.' },
    });
    await addMessage(db, agent.actor, kase.id, { bodyText: 'Tracking shows it was delivered on Monday.', visibility: 'public' });
    await addMessage(db, agent.actor, kase.id, { bodyText: 'Internal: customer is a repeat disputer', visibility: 'internal' });
    const { disputeId } = await recordViaWebhook(
      workspace,
      processorInput({ customerId, accountId: billing.accountId, paymentId: billing.paymentId, reason: 'product_not_received' }),
    );

    const res = await api(agent, 'POST', `/disputes/${disputeId}/evidence/prefill`);
    expectStatus(res, 200);
    const items = res.json<{ data: EvidenceItemView[] }>().data;
    const byKind = (kind: string) => items.find((i) => i.kind === kind);
    expect(items.every((i) => i.origin === 'prefill')).toBe(true);
    const transcript = byKind('customer_communication')!;
    expect(transcript.body).toContain('Grüße! My order #77 never arrived.');
    expect(transcript.body).toContain('Tracking shows it was delivered on Monday.');
    expect(transcript.body).not.toContain('repeat disputer');
    const receipt = byKind('receipt')!;
    expect(receipt.body).toContain('INV-0002');
    expect(receipt.body).toContain('Pro plan, monthly');
    expect(receipt.body).toContain('49.90 EUR');
    expect(byKind('prior_undisputed_payments')!.body).toContain('49.90 EUR');
    expect(byKind('refund_policy')!.body).toContain('Refund policy');
    expect(byKind('customer_details')!.body).toContain('Dana Disputer');

    // The agent edits the receipt and adds an own item; a second prefill replaces only untouched prefill items.
    const edited = await api(agent, 'PATCH', `/disputes/${disputeId}/evidence/${receipt.id}`, { body: 'Receipt, checked by the agent' });
    expectStatus(edited, 200);
    expect(edited.json<EvidenceItemView>()).toMatchObject({ edited: true, origin: 'prefill' });
    const own = await api(agent, 'POST', `/disputes/${disputeId}/evidence`, {
      kind: 'shipping_documentation',
      title: 'DHL tracking',
      body: 'Delivered 2026-11-02',
    });
    expectStatus(own, 201);
    const rerun = (await api(agent, 'POST', `/disputes/${disputeId}/evidence/prefill`)).json<{ data: EvidenceItemView[] }>().data;
    expect(rerun.filter((i) => i.kind === 'receipt')).toHaveLength(1);
    expect(rerun.find((i) => i.kind === 'receipt')!.body).toBe('Receipt, checked by the agent');
    expect(rerun.find((i) => i.id === own.json<EvidenceItemView>().id)).toBeDefined();
    expect(rerun.filter((i) => i.kind === 'customer_communication')).toHaveLength(1);
    expect(rerun.find((i) => i.kind === 'customer_communication')!.id).not.toBe(transcript.id);

    const view = (await api(agent, 'GET', `/disputes/${disputeId}`)).json<DisputeView>();
    expect(view.requirements.every((r) => r.satisfied)).toBe(true);
    expect(view.evidence).toHaveLength(rerun.length);
  });

  it('adds, changes and removes items, refusing bad input', async () => {
    const { workspace, agent, customerId } = await disputeWorld();
    const { disputeId } = await recordViaWebhook(workspace, processorInput({ customerId }));
    const created = await api(
      agent,
      'POST',
      `/disputes/${disputeId}/evidence`,
      { kind: 'uncategorized', title: 'Note', body: 'Ελληνικά' },
      { 'idempotency-key': 'ev-1' },
    );
    expectStatus(created, 201);
    const item = created.json<EvidenceItemView>();
    expect(item).toMatchObject({ origin: 'agent', included: true, position: 0, edited: false });
    const replay = await api(
      agent,
      'POST',
      `/disputes/${disputeId}/evidence`,
      { kind: 'uncategorized', title: 'Note', body: 'Ελληνικά' },
      { 'idempotency-key': 'ev-1' },
    );
    expect(replay.json<EvidenceItemView>().id).toBe(item.id);
    const second = await api(agent, 'POST', `/disputes/${disputeId}/evidence`, { kind: 'receipt', title: 'Receipt' });
    expect(second.json<EvidenceItemView>().position).toBe(1);

    expectStatus(await api(agent, 'POST', `/disputes/${disputeId}/evidence`, { kind: 'photo', title: 'x' }), 400);
    expectStatus(await api(agent, 'POST', `/disputes/${disputeId}/evidence`, { kind: 'receipt', title: '' }), 400);
    expectStatus(
      await api(agent, 'POST', `/disputes/${disputeId}/evidence`, { kind: 'receipt', title: 'x', body: 'a'.repeat(200_001) }),
      400,
    );
    expectStatus(await api(agent, 'PATCH', `/disputes/${disputeId}/evidence/${item.id}`, {}), 400);

    const patched = await api(agent, 'PATCH', `/disputes/${disputeId}/evidence/${item.id}`, { included: false, position: 5 });
    expect(patched.json<EvidenceItemView>()).toMatchObject({ included: false, position: 5, edited: false });
    expectStatus(await api(agent, 'DELETE', `/disputes/${disputeId}/evidence/${item.id}`), 204);
    const gone = await api(agent, 'DELETE', `/disputes/${disputeId}/evidence/${item.id}`);
    expectStatus(gone, 404);
    expect(gone.json<ErrorResponse>().error.code).toBe('dispute_evidence_item.not_found');
    const list = await api(agent, 'GET', `/disputes/${disputeId}/evidence`);
    expect(list.json<{ data: EvidenceItemView[] }>().data.map((i) => i.title)).toEqual(['Receipt']);
  });

  it('lets admins change the policy texts the prefill quotes', async () => {
    const { workspace, agent, customerId } = await disputeWorld();
    const admin = await createAgent(workspace, { role: 'admin' });
    const initial = await api(admin, 'GET', '/disputes/settings');
    expect(initial.json()).toMatchObject({ is_default: true });
    expectStatus(await api(agent, 'PUT', '/disputes/settings', { refund_policy: 'Nope' }), 403);
    expectStatus(await api(admin, 'PUT', '/disputes/settings', {}), 400);
    const put = await api(admin, 'PUT', '/disputes/settings', { refund_policy: 'Refunds within 30 days, no questions asked.' });
    expectStatus(put, 200);
    expect(put.json()).toMatchObject({ is_default: false, refund_policy: 'Refunds within 30 days, no questions asked.' });
    const { disputeId } = await recordViaWebhook(workspace, processorInput({ customerId, reason: 'credit_not_processed' }));
    const items = (await api(agent, 'POST', `/disputes/${disputeId}/evidence/prefill`)).json<{ data: EvidenceItemView[] }>().data;
    expect(items.find((i) => i.kind === 'refund_policy')!.body).toBe('Refunds within 30 days, no questions asked.');
  });
});
