import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { listMessages } from '../cases/service.js';
import type { DisputeView, EvidenceItemView } from './views.js';
import { api, DAY, disputeWorld, expectStatus, paidInvoice, processorInput, recordViaWebhook, type ErrorResponse } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

function pdfText(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-packet-'));
  const file = path.join(dir, 'packet.pdf');
  fs.writeFileSync(file, bytes);
  try {
    return execFileSync('pdftotext', ['-enc', 'UTF-8', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function disputeWithEvidence() {
  const world = await disputeWorld();
  const billing = await paidInvoice(world.workspace, world.customerId);
  const recorded = await recordViaWebhook(
    world.workspace,
    processorInput({
      customerId: world.customerId,
      accountId: billing.accountId,
      paymentId: billing.paymentId,
      evidenceDueAt: new Date(Date.now() + 5 * DAY),
    }),
  );
  const add = (payload: object) => api(world.agent, 'POST', `/disputes/${recorded.disputeId}/evidence`, payload);
  expectStatus(
    await add({ kind: 'customer_communication', title: 'Letter from Athens', body: 'Grüße aus Köln. Ελληνικά κείμενα. Привет, мир!' }),
    201,
  );
  expectStatus(await add({ kind: 'receipt', title: 'Invoice INV-9', body: 'Pro plan 49.90 EUR\n'.repeat(200) }), 201);
  expectStatus(await add({ kind: 'uncategorized', title: 'Left out', body: 'NOT IN THE PACKET', included: false }), 201);
  return { ...world, ...recorded };
}

describe('evidence packet PDF', () => {
  it('prints non-Latin text and the amount, lists the items, leaves out excluded ones, and renders the same bytes twice', async () => {
    const { agent, disputeId } = await disputeWithEvidence();
    const res = await api(agent, 'GET', `/disputes/${disputeId}/packet.pdf`);
    expectStatus(res, 200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="dispute-/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    const bytes = res.rawPayload;
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(bytes);
    for (const expected of [
      'Dispute evidence',
      '49.90 EUR',
      'product not received',
      'Contents',
      'Grüße aus Köln',
      'Ελληνικά',
      'Привет',
      'Visa •••• 4242',
      'Letter from Athens',
    ]) {
      expect(text, expected).toContain(expected);
    }
    expect(text).not.toContain('NOT IN THE PACKET');
    expect(text).toMatch(/Page \d+ of \d+/);
    const again = await api(agent, 'GET', `/disputes/${disputeId}/packet.pdf`);
    expect(again.headers['x-packet-sha256']).toBe(res.headers['x-packet-sha256']);
    expect(Buffer.compare(again.rawPayload, bytes)).toBe(0);
  });
});

describe('submitting evidence', () => {
  it('submits once: stores the packet, moves the status, notes the case; a second submit and later edits get 409', async () => {
    const { db, agent, disputeId, caseId } = await disputeWithEvidence();
    const res = await api(agent, 'POST', `/disputes/${disputeId}/submit`);
    expectStatus(res, 200);
    const view = res.json<DisputeView>();
    expect(view).toMatchObject({ status: 'under_review', can_submit: false });
    expect(view.submission).toMatchObject({ submitted_by: agent.id });
    expect(view.submission!.packet_url).toMatch(/^\/files\//);
    const stored = await db.selectFrom('dispute_submissions').selectAll().where('dispute_id', '=', disputeId).executeTakeFirstOrThrow();
    const fields = (stored.processor_response as { fields: string[] }).fields;
    expect(fields).toEqual(expect.arrayContaining(['customer_name', 'customer_email_address', 'uncategorized_text']));
    const packet = await api(agent, 'GET', `/disputes/${disputeId}/packet.pdf`);
    expect(packet.headers['x-packet-sha256']).toBe(stored.packet_sha256);

    const notes = (await listMessages(db, agent.actor, caseId!)).data;
    const note = notes.find((m) => m.body_text.startsWith('Dispute evidence submitted'));
    expect(note?.attachments.map((a) => a.content_type)).toEqual(['application/pdf']);
    const events = await db.selectFrom('domain_events').select('type').where('aggregate_id', '=', disputeId).execute();
    expect(events.map((e) => e.type)).toContain('dispute.evidence_submitted');

    const second = await api(agent, 'POST', `/disputes/${disputeId}/submit`);
    expectStatus(second, 409);
    expect(second.json<ErrorResponse>().error.code).toBe('dispute.already_submitted');
    const edit = await api(agent, 'POST', `/disputes/${disputeId}/evidence`, { kind: 'receipt', title: 'Late' });
    expectStatus(edit, 409);
    expect(edit.json<ErrorResponse>().error.code).toBe('dispute.already_submitted');
    const item = (await api(agent, 'GET', `/disputes/${disputeId}/evidence`)).json<{ data: EvidenceItemView[] }>().data[0]!;
    expectStatus(await api(agent, 'PATCH', `/disputes/${disputeId}/evidence/${item.id}`, { title: 'x' }), 409);
    expectStatus(await api(agent, 'DELETE', `/disputes/${disputeId}/evidence/${item.id}`), 409);
    expectStatus(await api(agent, 'POST', `/disputes/${disputeId}/evidence/prefill`), 409);
  });

  it('two submits at once record one submission', async () => {
    const { db, agent, disputeId } = await disputeWithEvidence();
    const results = await Promise.all([
      api(agent, 'POST', `/disputes/${disputeId}/submit`),
      api(agent, 'POST', `/disputes/${disputeId}/submit`),
    ]);
    expect(results.map((r) => r.statusCode).sort()).toEqual([200, 409]);
    const rows = await db.selectFrom('dispute_submissions').select('dispute_id').where('dispute_id', '=', disputeId).execute();
    expect(rows).toHaveLength(1);
  });

  it('refuses a submission after the due date, outside needs_response, or without evidence', async () => {
    const { workspace, agent, customerId } = await disputeWorld();
    const late = await api(agent, 'POST', '/disputes', {
      customer_id: customerId,
      amount_minor: 1000,
      currency: 'EUR',
      reason: 'general',
      evidence_due_at: new Date(Date.now() - 3_600_000).toISOString(),
    });
    const lateId = late.json<DisputeView>().id;
    expect(late.json<DisputeView>().can_submit).toBe(false);
    await api(agent, 'POST', `/disputes/${lateId}/evidence`, { kind: 'receipt', title: 'Receipt', body: 'paid' });
    const refused = await api(agent, 'POST', `/disputes/${lateId}/submit`);
    expectStatus(refused, 422);
    expect(refused.json<ErrorResponse>().error.code).toBe('dispute.evidence_overdue');

    const reviewing = await recordViaWebhook(workspace, processorInput({ customerId, status: 'under_review' }));
    const notOpen = await api(agent, 'POST', `/disputes/${reviewing.disputeId}/submit`);
    expectStatus(notOpen, 422);
    expect(notOpen.json<ErrorResponse>().error.code).toBe('dispute.not_awaiting_evidence');

    const empty = await recordViaWebhook(workspace, processorInput({ customerId }));
    const noEvidence = await api(agent, 'POST', `/disputes/${empty.disputeId}/submit`);
    expectStatus(noEvidence, 422);
    expect(noEvidence.json<ErrorResponse>().error.code).toBe('dispute.no_evidence');
    const { db } = await getTestContext();
    const rows = await db.selectFrom('dispute_submissions').select('dispute_id').where('workspace_id', '=', workspace.id).execute();
    expect(rows).toHaveLength(0);
  });
});
