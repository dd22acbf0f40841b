import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import type { JsonObject } from '../../platform/schema.js';
import { recordCaseChange } from '../cases/case-events.js';
import { addMessage, createCase, getCase, updateCase, type CaseFieldChanges } from '../cases/service.js';
import { formatMoney } from '../billing/money.js';
import { reasonLabel } from './requirements.js';
import type { DisputeRow } from './store.js';

/**
 * The case a dispute is worked in, changed only through the cases service: its deadline follows
 * the evidence due date, and what the processor reports lands as internal notes and case events.
 */

export function disputeSubject(dispute: Pick<DisputeRow, 'amount_minor' | 'currency' | 'reason'>, methodSummary: string | null): string {
  const card = methodSummary ? ` (${methodSummary})` : '';
  return `Dispute: ${formatMoney(dispute.amount_minor, dispute.currency)} – ${reasonLabel(dispute.reason)}${card}`;
}

const when = (at: Date | null): string => (at ? `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'not set');

export function disputeFacts(dispute: DisputeRow, methodSummary: string | null): string {
  const lines = [
    dispute.source === 'manual' ? 'Dispute entered by an agent.' : `Dispute reported by the payment processor (${dispute.source}).`,
    `Amount: ${formatMoney(dispute.amount_minor, dispute.currency)}`,
    `Reason: ${reasonLabel(dispute.reason)}${dispute.network_reason_code ? ` (network code ${dispute.network_reason_code})` : ''}`,
    `Status: ${dispute.status}`,
    `Evidence due: ${when(dispute.evidence_due_at)}`,
  ];
  if (methodSummary) lines.push(`Payment method: ${methodSummary}`);
  if (dispute.charge_external_id) lines.push(`Charge: ${dispute.charge_external_id}`);
  if (dispute.external_id) lines.push(`Processor dispute: ${dispute.external_id}`);
  return lines.join('\n');
}

/** Opens the dispute's case (type dispute, category dispute, high priority, due at the evidence deadline). */
export async function openDisputeCase(tx: Db, actor: Actor, dispute: DisputeRow, methodSummary: string | null): Promise<string> {
  const view = await createCase(tx, actor, {
    customerId: dispute.customer_id,
    subject: disputeSubject(dispute, methodSummary),
    category: 'dispute',
    type: 'dispute',
    priority: 'high',
    channel: 'api',
    dueAt: dispute.evidence_due_at,
    message: { bodyText: disputeFacts(dispute, methodSummary), visibility: 'internal', metadata: { dispute_id: dispute.id } },
  });
  return view.id;
}

const isCaseClosed = (error: unknown) => error instanceof AppError && error.code === 'case.closed';
const isStale = (error: unknown) => error instanceof AppError && error.code === 'case.stale_version';

/**
 * Changes case fields at the version just read; a concurrent agent edit (stale version) is retried
 * once. A closed case no longer changes: the dispute keeps its own record.
 */
export async function changeDisputeCase(tx: Db, actor: Actor, caseId: string, changes: CaseFieldChanges): Promise<boolean> {
  for (let attempt = 0; attempt < 2; attempt++) {
    const current = await getCase(tx, actor, caseId);
    if (current.status === 'closed') return false;
    try {
      await updateCase(tx, actor, caseId, { ...changes, version: current.version });
      return true;
    } catch (error) {
      if (isCaseClosed(error)) return false;
      if (!isStale(error) || attempt === 1) throw error;
    }
  }
  return false;
}

/** An internal note by Baton on the dispute's case; skipped when the case is closed. */
export async function noteOnDisputeCase(
  tx: Db,
  actor: Actor,
  caseId: string,
  text: string,
  metadata: JsonObject = {},
  attachmentIds: string[] = [],
): Promise<boolean> {
  const current = await getCase(tx, actor, caseId);
  if (current.status === 'closed') return false;
  try {
    await addMessage(tx, actor, caseId, { bodyText: text, visibility: 'internal', metadata, attachmentIds });
    return true;
  } catch (error) {
    if (!isCaseClosed(error)) throw error;
    return false;
  }
}

/** A dispute step in the case history (and the `case.<type>` domain event). */
export async function recordDisputeCaseEvent(tx: Db, actor: Actor, caseId: string, type: string, data: JsonObject): Promise<void> {
  await recordCaseChange(tx, actor, { caseId, type, data });
}
