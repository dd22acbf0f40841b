import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { getCase, listCaseEvents, listMessages } from '../cases/service.js';
import { escalateDisputeDeadlines } from './deadline-job.js';
import { DAY, disputeWorld, processorInput, recordViaWebhook } from './test-support.js';

beforeAll(async () => {
  await getTestApp();
});

const HOUR = 3_600_000;

describe('dispute deadline escalation', () => {
  it('raises the case to high 72 h before and urgent 24 h before the due date, each once', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const due = new Date(Date.now() + 4 * DAY);
    const { caseId } = await recordViaWebhook(workspace, processorInput({ customerId, evidenceDueAt: due }));
    const farAway = await recordViaWebhook(workspace, processorInput({ customerId, evidenceDueAt: new Date(Date.now() + 20 * DAY) }));
    // Lower the case first, so the 72-hour step visibly raises it.
    const view = await getCase(db, agent.actor, caseId!);
    const { updateCase } = await import('../cases/service.js');
    await updateCase(db, agent.actor, caseId!, { version: view.version, priority: 'normal' });

    const escalations = async (id: string) =>
      (await listCaseEvents(db, agent.actor, id)).filter((e) => e.type === 'dispute_deadline_escalated');

    await escalateDisputeDeadlines(db, new Date(due.getTime() - 100 * HOUR));
    expect(await escalations(caseId!)).toHaveLength(0);

    await escalateDisputeDeadlines(db, new Date(due.getTime() - 60 * HOUR));
    expect((await getCase(db, agent.actor, caseId!)).priority).toBe('high');
    await escalateDisputeDeadlines(db, new Date(due.getTime() - 50 * HOUR));
    expect((await escalations(caseId!)).map((e) => e.data.threshold)).toEqual(['72h']);

    await escalateDisputeDeadlines(db, new Date(due.getTime() - 20 * HOUR));
    await escalateDisputeDeadlines(db, new Date(due.getTime() - 10 * HOUR));
    expect((await getCase(db, agent.actor, caseId!)).priority).toBe('urgent');
    expect((await escalations(caseId!)).map((e) => e.data.threshold)).toEqual(['72h', '24h']);
    const notes = (await listMessages(db, agent.actor, caseId!)).data.filter((m) => m.body_text.startsWith('Dispute evidence is due'));
    expect(notes).toHaveLength(2);
    expect(notes.every((m) => m.visibility === 'internal')).toBe(true);
    expect(await escalations(farAway.caseId!)).toHaveLength(0);
  });

  it('goes straight to urgent when first seen inside 24 hours, and never back to the 72-hour step', async () => {
    const { db, workspace, agent, customerId } = await disputeWorld();
    const due = new Date(Date.now() + 12 * HOUR);
    const { caseId } = await recordViaWebhook(workspace, processorInput({ customerId, evidenceDueAt: due }));
    await escalateDisputeDeadlines(db);
    await escalateDisputeDeadlines(db);
    const events = (await listCaseEvents(db, agent.actor, caseId!)).filter((e) => e.type === 'dispute_deadline_escalated');
    expect(events.map((e) => e.data.threshold)).toEqual(['24h']);
    expect((await getCase(db, agent.actor, caseId!)).priority).toBe('urgent');
  });
});
