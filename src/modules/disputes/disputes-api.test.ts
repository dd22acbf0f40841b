import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { createCase, getCase, listCaseEvents } from '../cases/service.js';
import type { DisputeReport } from './report.js';
import type { DisputeSummaryView, DisputeView } from './views.js';
import {
  api,
  createAgent,
  createWorkspace,
  DAY,
  disputeWorld,
  expectStatus,
  newCustomer,
  paidInvoice,
  processorInput,
  recordViaWebhook,
  type ErrorResponse,
} from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

const due = () => new Date(Date.now() + 5 * DAY).toISOString();

describe('manual dispute entry', () => {
  it('opens a dispute case, answers a replayed Idempotency-Key with the first result, and marks the payment', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const billing = await paidInvoice(workspace, customerId, { amountMinor: 12000, currency: 'USD' });
    const body = { customer_id: customerId, payment_id: billing.paymentId, reason: 'fraudulent', evidence_due_at: due() };
    const res = await api(agent, 'POST', '/disputes', body, { 'idempotency-key': 'dispute-1' });
    expectStatus(res, 201);
    const dispute = res.json<DisputeView>();
    expect(dispute).toMatchObject({
      source: 'manual',
      status: 'needs_response',
      amount_minor: 12000,
      currency: 'USD',
      amount_display: '120.00 USD',
      reason: 'fraudulent',
      payment_id: billing.paymentId,
      account_id: billing.accountId,
      can_submit: true,
      submission: null,
    });
    expect(dispute.case).not.toBeNull();
    expect(dispute.requirements.map((r) => r.kind)).toEqual([
      'receipt',
      'customer_details',
      'prior_undisputed_payments',
      'customer_communication',
    ]);
    const kase = await getCase(db, agent.actor, dispute.case!.id);
    expect(kase).toMatchObject({ type: 'dispute', category: 'dispute', priority: 'high' });
    expect(kase.subject).toBe('Dispute: 120.00 USD – fraudulent (Visa •••• 4242)');

    const again = await api(agent, 'POST', '/disputes', body, { 'idempotency-key': 'dispute-1' });
    expectStatus(again, 201);
    expect(again.json<DisputeView>().id).toBe(dispute.id);
    const list = await api(agent, 'GET', `/disputes?customer_id=${customerId}`);
    expect(list.json<{ data: DisputeSummaryView[] }>().data).toHaveLength(1);
  });

  it('turns an existing case into the dispute case with the evidence deadline', async () => {
    const { db, agent, customerId } = await disputeWorld();
    const kase = await createCase(db, agent.actor, {
      customerId,
      subject: 'My bank says I disputed a charge',
      channel: 'email',
      message: { bodyText: 'I never received the package.' },
    });
    const dueAt = due();
    const res = await api(agent, 'POST', '/disputes', {
      customer_id: customerId,
      case_id: kase.id,
      amount_minor: 4990,
      currency: 'eur',
      reason: 'product_not_received',
      evidence_due_at: dueAt,
    });
    expectStatus(res, 201);
    const dispute = res.json<DisputeView>();
    expect(dispute.case?.id).toBe(kase.id);
    const after = await getCase(db, agent.actor, kase.id);
    expect(after).toMatchObject({ type: 'dispute', category: 'dispute', due_at: dueAt });
    const events = (await listCaseEvents(db, agent.actor, kase.id)).map((e) => e.type);
    expect(events).toEqual(expect.arrayContaining(['type_changed', 'due_changed', 'dispute_attached']));

    const byCase = await api(agent, 'GET', `/cases/${kase.id}/dispute`);
    expectStatus(byCase, 200);
    expect(byCase.json<DisputeView>().id).toBe(dispute.id);
    // A second dispute on the same case is refused.
    const second = await api(agent, 'POST', '/disputes', {
      customer_id: customerId,
      case_id: kase.id,
      amount_minor: 100,
      currency: 'EUR',
      reason: 'general',
    });
    expectStatus(second, 409);
    expect(second.json<ErrorResponse>().error.code).toBe('dispute.case_has_dispute');
  });

  it('refuses bad input with precise codes', async () => {
    const { workspace, agent, customerId } = await disputeWorld();
    const other = await newCustomer(workspace, 'Someone Else');
    const otherBilling = await paidInvoice(workspace, other);
    const foreignWs = await createWorkspace();
    const foreignCustomer = await newCustomer(foreignWs);
    const cases: [Record<string, unknown>, number, string][] = [
      [{ customer_id: foreignCustomer, amount_minor: 100, currency: 'EUR', reason: 'general' }, 422, 'dispute.unknown_customer'],
      [{ customer_id: customerId, reason: 'general' }, 422, 'dispute.amount_required'],
      [{ customer_id: customerId, payment_id: otherBilling.paymentId, reason: 'general' }, 422, 'dispute.payment_not_of_customer'],
      [{ customer_id: customerId, payment_id: '00000000-0000-4000-8000-000000000000', reason: 'general' }, 422, 'dispute.unknown_payment'],
      [{ customer_id: customerId, amount_minor: 100, currency: 'EURO', reason: 'general' }, 400, 'validation_failed'],
      [{ customer_id: customerId, amount_minor: 100, currency: '12x', reason: 'general' }, 422, 'billing.invalid_currency'],
      [{ customer_id: customerId, amount_minor: 0, currency: 'EUR', reason: 'general' }, 400, 'validation_failed'],
      [{ customer_id: customerId, amount_minor: 100, currency: 'EUR', reason: 'because' }, 400, 'validation_failed'],
      [{ customer_id: customerId, amount_minor: 100, currency: 'EUR', reason: 'general', extra: 1 }, 400, 'validation_failed'],
      [
        { customer_id: customerId, case_id: '00000000-0000-4000-8000-000000000000', amount_minor: 100, currency: 'EUR', reason: 'general' },
        422,
        'dispute.unknown_case',
      ],
    ];
    for (const [body, status, code] of cases) {
      const res = await api(agent, 'POST', '/disputes', body);
      expect(res.statusCode, `${JSON.stringify(body)} ${res.body}`).toBe(status);
      if (code !== 'validation_failed') expect(res.json<ErrorResponse>().error.code).toBe(code);
    }
    const { db } = await import('../../test/harness.js').then((h) => h.getTestContext());
    const otherCase = await createCase(db, agent.actor, {
      customerId: other,
      subject: 'Other',
      channel: 'email',
      message: { bodyText: 'x' },
    });
    const mismatch = await api(agent, 'POST', '/disputes', {
      customer_id: customerId,
      case_id: otherCase.id,
      amount_minor: 100,
      currency: 'EUR',
      reason: 'general',
    });
    expectStatus(mismatch, 422);
    expect(mismatch.json<ErrorResponse>().error.code).toBe('dispute.case_customer_mismatch');
  });
});

describe('listing, reading and deciding disputes', () => {
  it('filters by status, outcome and due date and pages with a cursor', async () => {
    const { workspace, agent, customerId } = await disputeWorld();
    const soon = new Date(Date.now() + 2 * DAY);
    const later = new Date(Date.now() + 9 * DAY);
    const a = await recordViaWebhook(workspace, processorInput({ customerId, evidenceDueAt: soon }));
    const b = await recordViaWebhook(workspace, processorInput({ customerId, evidenceDueAt: later }));
    const c = await recordViaWebhook(workspace, processorInput({ customerId, status: 'under_review', evidenceDueAt: later }));
    const d = await recordViaWebhook(workspace, processorInput({ customerId, status: 'lost', evidenceDueAt: null }));

    const ids = async (query: string) => {
      const res = await api(agent, 'GET', `/disputes${query}`);
      expectStatus(res, 200);
      return res.json<{ data: DisputeSummaryView[] }>().data.map((x) => x.id);
    };
    expect(await ids('')).toEqual([d.disputeId, c.disputeId, b.disputeId, a.disputeId]);
    expect(await ids('?status=needs_response')).toEqual([b.disputeId, a.disputeId]);
    expect(await ids('?status=needs_response,under_review')).toEqual([c.disputeId, b.disputeId, a.disputeId]);
    expect(await ids('?outcome=lost')).toEqual([d.disputeId]);
    expect(await ids('?outcome=none')).toEqual([c.disputeId, b.disputeId, a.disputeId]);
    expect(await ids(`?due_before=${encodeURIComponent(new Date(Date.now() + 3 * DAY).toISOString())}`)).toEqual([a.disputeId]);

    const first = await api(agent, 'GET', '/disputes?limit=3');
    const page1 = first.json<{ data: DisputeSummaryView[]; next_cursor: string | null }>();
    expect(page1.data).toHaveLength(3);
    expect(page1.next_cursor).not.toBeNull();
    const second = await api(agent, 'GET', `/disputes?limit=3&cursor=${page1.next_cursor}`);
    const page2 = second.json<{ data: DisputeSummaryView[]; next_cursor: string | null }>();
    expect(page2.data.map((x) => x.id)).toEqual([a.disputeId]);
    expect(page2.next_cursor).toBeNull();

    const bad = await api(agent, 'GET', '/disputes?status=open');
    expectStatus(bad, 400);
    expect(bad.json<ErrorResponse>().error.code).toBe('dispute.invalid_filter');
    expectStatus(await api(agent, 'GET', '/disputes?cursor=nonsense!'), 400);
  });

  it('records the outcome of a manual dispute once, and refuses it for processor disputes', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const created = await api(agent, 'POST', '/disputes', {
      customer_id: customerId,
      amount_minor: 2500,
      currency: 'EUR',
      reason: 'duplicate',
      evidence_due_at: due(),
    });
    const dispute = created.json<DisputeView>();
    const won = await api(agent, 'POST', `/disputes/${dispute.id}/outcome`, { outcome: 'won' });
    expectStatus(won, 200);
    expect(won.json<DisputeView>()).toMatchObject({ status: 'won', outcome: 'won', can_submit: false });
    expect(won.json<DisputeView>().outcome_at).not.toBeNull();
    const events = (await listCaseEvents(db, agent.actor, dispute.case!.id)).map((e) => e.type);
    expect(events).toContain('dispute_closed');
    const twice = await api(agent, 'POST', `/disputes/${dispute.id}/outcome`, { outcome: 'lost' });
    expectStatus(twice, 422);
    expect(twice.json<ErrorResponse>().error.code).toBe('dispute.already_closed');

    const processor = await recordViaWebhook(workspace, processorInput({ customerId }));
    const refused = await api(agent, 'POST', `/disputes/${processor.disputeId}/outcome`, { outcome: 'won' });
    expectStatus(refused, 422);
    expect(refused.json<ErrorResponse>().error.code).toBe('dispute.processor_managed');
    expectStatus(await api(agent, 'POST', `/disputes/${dispute.id}/outcome`, { outcome: 'maybe' }), 400);
  });

  it('answers 404 for another workspace and for a case without a dispute', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const mine = await recordViaWebhook(workspace, processorInput({ customerId }));
    const outsiderWs = await createWorkspace();
    const outsider = await createAgent(outsiderWs, { role: 'admin' });
    for (const [method, url] of [
      ['GET', `/disputes/${mine.disputeId}`],
      ['GET', `/cases/${mine.caseId}/dispute`],
      ['GET', `/disputes/${mine.disputeId}/evidence`],
      ['GET', `/disputes/${mine.disputeId}/packet.pdf`],
      ['POST', `/disputes/${mine.disputeId}/evidence/prefill`],
      ['POST', `/disputes/${mine.disputeId}/submit`],
    ] as const) {
      const res = await api(outsider, method, url);
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    const list = await api(outsider, 'GET', '/disputes');
    expect(list.body).not.toContain(mine.disputeId);
    const plain = await createCase(db, agent.actor, { customerId, subject: 'Hi', channel: 'email', message: { bodyText: 'hello' } });
    const none = await api(agent, 'GET', `/cases/${plain.id}/dispute`);
    expectStatus(none, 404);
    expect(none.json<ErrorResponse>().error.code).toBe('dispute.not_found');
  });

  it('reports counts, amounts and win rates per currency and reason', async () => {
    const { workspace, agent, customerId } = await disputeWorld();
    const record = (over: Parameters<typeof processorInput>[0]) => recordViaWebhook(workspace, processorInput(over));
    await record({ customerId, amountMinor: 1000, currency: 'eur', reason: 'fraudulent', status: 'won' });
    await record({ customerId, amountMinor: 2000, currency: 'eur', reason: 'fraudulent', status: 'lost' });
    await record({ customerId, amountMinor: 3000, currency: 'eur', reason: 'fraudulent', status: 'won' });
    await record({ customerId, amountMinor: 500, currency: 'usd', reason: 'duplicate', status: 'needs_response' });
    await record({ customerId, amountMinor: 700, currency: 'jpy', reason: 'duplicate', status: 'lost' });
    await record({ customerId, amountMinor: 900, currency: 'usd', reason: 'general', status: 'warning_closed' });
    const res = await api(agent, 'GET', '/disputes/report');
    expectStatus(res, 200);
    const report = res.json<DisputeReport>();
    expect(report.totals).toEqual({ won: 2, lost: 2, open: 1, closed_other: 1, win_rate: 0.5 });
    expect(report.by_currency).toEqual([
      {
        currency: 'EUR',
        won: { count: 2, amount_minor: 4000 },
        lost: { count: 1, amount_minor: 2000 },
        open: { count: 0, amount_minor: 0 },
        win_rate: 0.6667,
      },
      {
        currency: 'JPY',
        won: { count: 0, amount_minor: 0 },
        lost: { count: 1, amount_minor: 700 },
        open: { count: 0, amount_minor: 0 },
        win_rate: 0,
      },
      {
        currency: 'USD',
        won: { count: 0, amount_minor: 0 },
        lost: { count: 0, amount_minor: 0 },
        open: { count: 1, amount_minor: 500 },
        win_rate: null,
      },
    ]);
    const duplicate = report.by_reason.find((r) => r.reason === 'duplicate')!;
    expect(duplicate).toMatchObject({
      reason_label: 'duplicate charge',
      lost: { count: 1, amounts: [{ currency: 'JPY', amount_minor: 700 }] },
      open: { count: 1, amounts: [{ currency: 'USD', amount_minor: 500 }] },
      win_rate: 0,
    });
    expect(report.by_reason.find((r) => r.reason === 'fraudulent')!.win_rate).toBe(0.6667);
    // Another workspace sees none of it.
    const outsider = await createAgent(await createWorkspace());
    expect((await api(outsider, 'GET', '/disputes/report')).json<DisputeReport>().totals).toEqual({
      won: 0,
      lost: 0,
      open: 0,
      closed_other: 0,
      win_rate: null,
    });
  });
});
