import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import { enqueueJob, type JobHandler } from '../../platform/jobs.js';
import { getCase } from '../cases/service.js';
import { changeDisputeCase, noteOnDisputeCase, recordDisputeCaseEvent } from './dispute-case.js';
import { claimEscalation } from './evidence-store.js';
import type { EscalationThreshold } from './schema.js';
import { selectDisputesDueBefore, type DisputeRow } from './store.js';

/**
 * The evidence deadline drive: a recurring durable job raises a dispute case to high priority
 * 72 hours before the evidence is due and to urgent 24 hours before, each with a note. The
 * dispute_escalations primary key makes each step happen once, whichever worker runs it.
 */
export const DISPUTE_DEADLINE_QUEUE = 'disputes.deadline_escalation';
const HOUR = 3_600_000;
const EVERY_MS = 15 * 60_000;
const BATCH = 500;

const RANK = { low: 0, normal: 1, high: 2, urgent: 3 } as const;

async function escalate(tx: Db, dispute: DisputeRow, threshold: EscalationThreshold, now: Date): Promise<boolean> {
  const actor = systemActor(dispute.workspace_id, 'dispute deadline');
  if (!(await claimEscalation(tx, dispute.workspace_id, dispute.id, threshold))) return false;
  // Urgent first means the 72-hour step is past: claim it too so it never follows and lowers the tone.
  if (threshold === '24h') await claimEscalation(tx, dispute.workspace_id, dispute.id, '72h');
  const caseId = dispute.case_id!;
  const kase = await getCase(tx, actor, caseId);
  if (kase.status === 'closed') return true;
  const priority = threshold === '24h' ? 'urgent' : 'high';
  if (RANK[kase.priority] < RANK[priority]) await changeDisputeCase(tx, actor, caseId, { priority });
  const hoursLeft = Math.max(0, Math.floor((dispute.evidence_due_at!.getTime() - now.getTime()) / HOUR));
  const due = dispute.evidence_due_at!.toISOString().slice(0, 16).replace('T', ' ');
  const text =
    hoursLeft === 0
      ? `The dispute evidence was due ${due} UTC.`
      : `Dispute evidence is due in less than ${threshold === '24h' ? 24 : 72} hours (${due} UTC, about ${hoursLeft} h left). Submit it before then or the dispute is lost by default.`;
  await noteOnDisputeCase(tx, actor, caseId, text, { dispute_id: dispute.id, escalation: threshold });
  await recordDisputeCaseEvent(tx, actor, caseId, 'dispute_deadline_escalated', {
    dispute_id: dispute.id,
    threshold,
    evidence_due_at: dispute.evidence_due_at!.toISOString(),
  });
  return true;
}

/** One pass over all workspaces' open disputes due within 72 hours; returns how many steps it took. */
export async function escalateDisputeDeadlines(db: Db, now = new Date()): Promise<number> {
  const due = await selectDisputesDueBefore(db, new Date(now.getTime() + 72 * HOUR), BATCH);
  let done = 0;
  for (const dispute of due) {
    const threshold: EscalationThreshold = dispute.evidence_due_at!.getTime() - now.getTime() <= 24 * HOUR ? '24h' : '72h';
    if (await inTransaction(db, (tx) => escalate(tx, dispute, threshold, now))) done++;
  }
  return done;
}

const nextRun = (now = Date.now()) => new Date(Math.floor(now / EVERY_MS) * EVERY_MS + EVERY_MS);

export function disputeDeadlineJob(): JobHandler {
  return {
    queue: DISPUTE_DEADLINE_QUEUE,
    async run(_payload, db) {
      await escalateDisputeDeadlines(db);
      const at = nextRun();
      await enqueueJob(db, DISPUTE_DEADLINE_QUEUE, {}, { runAt: at, singletonKey: at.toISOString() });
    },
  };
}

export async function scheduleDisputeDeadlines(ctx: AppContext): Promise<void> {
  const at = nextRun();
  await enqueueJob(ctx.db, DISPUTE_DEADLINE_QUEUE, {}, { runAt: at, singletonKey: at.toISOString() });
}
