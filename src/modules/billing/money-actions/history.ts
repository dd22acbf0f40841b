import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import type { JsonObject } from '../../../platform/schema.js';
import { recordCaseChange } from '../../cases/case-events.js';
import { recordBillingEvent } from '../events.js';
import type { MoneyActionRow } from './views.js';

export type MoneyActionStep =
  | 'money_action_requested'
  | 'money_action_approved'
  | 'money_action_rejected'
  | 'money_action_processing'
  | 'money_action_completed'
  | 'money_action_failed';

/**
 * Every step of a money action lands in the case history (and so the customer timeline) and in
 * the audit log, in the transaction of the step.
 */
export async function recordMoneyActionStep(
  tx: Db,
  actor: Actor,
  action: MoneyActionRow,
  step: MoneyActionStep,
  extra: JsonObject = {},
): Promise<void> {
  const data: JsonObject = {
    money_action_id: action.id,
    kind: action.kind,
    amount_minor: Number(action.amount_minor),
    currency: action.currency,
    reason: action.reason,
    payment_id: action.payment_id,
    invoice_id: action.invoice_id,
    status: action.status,
    ...extra,
  };
  if (action.case_id) await recordCaseChange(tx, actor, { caseId: action.case_id, type: step, data });
  await recordAudit(tx, actor, {
    action: `billing.${step}`,
    targetType: 'money_action',
    targetId: action.id,
    details: { case_id: action.case_id, customer_id: action.customer_id, ...data },
  });
}

/** `billing.money_action_decided`: approved or rejected by a person, or completed / failed when executed (not `processing`). */
export async function recordDecision(tx: Db, actor: Actor, action: MoneyActionRow): Promise<void> {
  await recordBillingEvent(
    tx,
    actor,
    'billing.money_action_decided',
    { type: 'money_action', id: action.id },
    { customer_id: action.customer_id, money_action_id: action.id, case_id: action.case_id, status: action.status },
  );
}
