import { describe, expect, it } from 'vitest';
import { inTransaction } from '../../db/database.js';
import { createAgent, createWorkspace, unique } from '../../test/factories.js';
import { getTestContext } from '../../test/harness.js';
import { upsertBillingAccount, upsertInvoice } from '../billing/service.js';
import { createCase } from '../cases/service.js';
import { findOrCreateCustomerByEmail } from '../customers/service.js';
import { processorInput, recordViaWebhook } from '../disputes/test-support.js';
import { openCase, postPolicy, slaWorld, targetOf } from '../sla/test-support.js';
import {
  CASE_PLACEHOLDERS,
  fillCaseTemplate,
  loadCaseTemplateValues,
  renderCaseTemplate,
  unfilledCasePlaceholders,
  unknownCasePlaceholders,
} from './service.js';

const DAY = 86_400_000;

async function world(language = 'en') {
  const { db } = await getTestContext();
  const workspace = await createWorkspace();
  const agent = await createAgent(workspace, { name: 'Alex Agent' });
  const email = `${unique('cust')}@example.test`;
  const { customerId } = await findOrCreateCustomerByEmail(db, workspace.system, { email, name: 'Maria Müller', language });
  const kase = await createCase(db, agent.actor, {
    customerId,
    subject: 'Invoice question',
    channel: 'email',
    assigneeId: null,
    message: { bodyText: 'Why was I charged twice?', authorType: 'customer' },
  });
  return { db, workspace, agent, customerId, email, kase };
}

describe('case template placeholders', () => {
  it('lists every placeholder with a description', () => {
    const names = CASE_PLACEHOLDERS.map((p) => p.name);
    for (const name of [
      'customer.name',
      'customer.first_name',
      'customer.email',
      'case.number',
      'agent.name',
      'dispute.amount',
      'invoice.due_date',
      'today',
    ]) {
      expect(names).toContain(name);
    }
    expect(CASE_PLACEHOLDERS.every((p) => p.description.length > 0)).toBe(true);
  });

  it('reports unknown placeholders, allowing spaces inside the braces', () => {
    expect(unknownCasePlaceholders('Hi {{ customer.first_name }}, case {{case.number}}')).toEqual([]);
    expect(unknownCasePlaceholders('Hi {{customer.nickname}} {{ customer name }} {{customer.nickname}}')).toEqual([
      'customer.nickname',
      'customer name',
    ]);
    expect(unknownCasePlaceholders('no placeholders {single}')).toEqual([]);
  });

  it('fills known values and leaves missing or unknown ones visible for the agent', () => {
    const text = fillCaseTemplate('Hi {{ customer.first_name }}, {{dispute.amount}} {{x.y}}', {
      'customer.first_name': 'Maria',
      'dispute.amount': null,
    });
    expect(text).toBe('Hi Maria, {{dispute.amount}} {{x.y}}');
    expect(unfilledCasePlaceholders(text)).toEqual(['dispute.amount']);
    // Values are one line of plain text: a newline in a name cannot break the template apart.
    expect(fillCaseTemplate('{{customer.name}}!', { 'customer.name': 'A\nB' })).toBe('A B!');
  });

  it('loads the values of a plain case through the other modules', async () => {
    const w = await world();
    const now = new Date('2026-03-05T10:00:00Z');
    const values = await loadCaseTemplateValues(w.db, w.agent.actor, w.kase.id, { now });
    expect(values).toMatchObject({
      'customer.name': 'Maria Müller',
      'customer.first_name': 'Maria',
      'customer.email': w.email,
      'case.number': String(w.kase.number),
      'case.subject': 'Invoice question',
      'case.status': w.kase.status,
      'case.priority': 'normal',
      'agent.name': 'Alex Agent',
      'dispute.amount': null,
      'dispute.reason': null,
      'dispute.evidence_due_date': null,
      'invoice.number': null,
      'billing.balance': null,
      today: '5 March 2026',
    });
    const rendered = await renderCaseTemplate(
      w.db,
      w.agent.actor,
      w.kase.id,
      'Dear {{customer.first_name}}, re #{{case.number}} – {{invoice.number}}',
    );
    expect(rendered).toBe(`Dear Maria, re #${w.kase.number} – {{invoice.number}}`);
  });

  it('names the given agent (automations: the assignee) for agent.name', async () => {
    const w = await world();
    const other = await createAgent(w.workspace, { name: 'Olga Other' });
    const values = await loadCaseTemplateValues(w.db, w.workspace.system, w.kase.id, { agentId: other.id });
    expect(values['agent.name']).toBe('Olga Other');
  });

  it("formats the latest open invoice and the balance in the customer's language", async () => {
    const w = await world('de');
    const issued = new Date(Date.now() - 5 * DAY);
    await inTransaction(w.db, async (tx) => {
      const account = await upsertBillingAccount(tx, w.workspace.system, {
        customerId: w.customerId,
        source: 'ledger',
        externalId: null,
        currency: 'EUR',
      });
      for (const [number, at, due] of [
        ['INV-OLD', new Date(issued.getTime() - 30 * DAY), 1000],
        ['INV-2026-7', issued, 4990],
      ] as const) {
        await upsertInvoice(tx, w.workspace.system, {
          accountId: account.id,
          externalId: unique('in'),
          number,
          status: 'open',
          currency: 'EUR',
          totalMinor: due,
          amountPaidMinor: 0,
          amountDueMinor: due,
          issuedAt: at,
          dueAt: new Date('2026-04-15T00:00:00Z'),
          paidAt: null,
          lines: [{ description: 'Pro plan', quantity: 1, unitAmountMinor: due, amountMinor: due }],
          sourceEventAt: null,
        });
      }
    });
    const values = await loadCaseTemplateValues(w.db, w.agent.actor, w.kase.id);
    expect(values['invoice.number']).toBe('INV-2026-7');
    expect(values['invoice.amount_due']).toBe('49,90\u00a0€');
    expect(values['invoice.due_date']).toBe('15. April 2026');
    expect(values['billing.balance']).toBe('59,90\u00a0€');
    expect(values['billing.amount_due']).toBe('59,90\u00a0€');
  });

  it("fills a dispute case's amount, reason and evidence due date", async () => {
    const w = await world();
    const { caseId } = await recordViaWebhook(
      w.workspace,
      processorInput({ customerId: w.customerId, amountMinor: 12345, currency: 'usd', evidenceDueAt: new Date('2026-05-20T23:59:59Z') }),
    );
    const values = await loadCaseTemplateValues(w.db, w.agent.actor, caseId!);
    expect(values['dispute.amount']).toBe('US$123.45');
    expect(values['dispute.reason']).toEqual(expect.any(String));
    expect(values['dispute.reason']!.length).toBeGreaterThan(0);
    expect(values['dispute.evidence_due_date']).toBe('20 May 2026');
  });

  it('fills the running resolution target as the customer reads it', async () => {
    const w = await slaWorld();
    await postPolicy(w, { targets: { first_reply_minutes: 60, resolution_minutes: 600 } });
    const kase = await openCase(w);
    const target = await targetOf(w, kase.id, 'resolution');
    const values = await loadCaseTemplateValues(w.db, w.agent.actor, kase.id);
    const expected = new Intl.DateTimeFormat('en-GB', {
      year: 'numeric',
      month: 'long',
      day: 'numeric',
      hour: '2-digit',
      minute: '2-digit',
      timeZoneName: 'short',
      timeZone: 'UTC',
    }).format(new Date(target!.due_at!));
    expect(values['sla.resolution_due']).toBe(expected);
  });

  it('refuses a case of another workspace (404)', async () => {
    const w = await world();
    const outsider = await createAgent(await createWorkspace());
    await expect(loadCaseTemplateValues(w.db, outsider.actor, w.kase.id)).rejects.toMatchObject({ code: 'case.not_found' });
  });
});
