import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { recordAudit } from '../../platform/audit.js';
import { selectSettings, upsertSettings } from './evidence-store.js';

/**
 * The policy texts the evidence builder quotes. A workspace that never set them gets these
 * defaults, written to be true of a typical subscription business and meant to be replaced.
 */
export const DEFAULT_REFUND_POLICY = [
  'Refund policy',
  '',
  'You may request a refund within 14 days of a charge by contacting our support team. Refunds are issued to the original payment method within 5-10 business days of approval.',
  'Subscription fees for a billing period that has already been used in full are not refundable, except where the law requires otherwise.',
  'If a charge was made in error, we refund it in full as soon as we confirm the error.',
].join('\n');

export const DEFAULT_CANCELLATION_POLICY = [
  'Cancellation policy',
  '',
  'You can cancel your subscription at any time from your account settings or by contacting our support team.',
  'A cancellation takes effect at the end of the current billing period; you keep access until then and are not charged again.',
  'We confirm every cancellation by email. Charges made before a cancellation request remain due.',
].join('\n');

export interface DisputeSettingsView {
  refund_policy: string;
  cancellation_policy: string;
  is_default: boolean;
  updated_at: string | null;
}

/** What the prefill quotes (no permission check: callers already authorized the dispute). */
export async function readPolicies(db: Db, workspaceId: string): Promise<{ refundPolicy: string; cancellationPolicy: string }> {
  const row = await selectSettings(db, workspaceId);
  return {
    refundPolicy: row?.refund_policy ?? DEFAULT_REFUND_POLICY,
    cancellationPolicy: row?.cancellation_policy ?? DEFAULT_CANCELLATION_POLICY,
  };
}

export async function getDisputeSettings(db: Db, actor: Actor): Promise<DisputeSettingsView> {
  authorize(actor, 'billing.manage', { workspaceId: workspaceScope(actor), type: 'dispute_settings' });
  const row = await selectSettings(db, workspaceScope(actor));
  return {
    refund_policy: row?.refund_policy ?? DEFAULT_REFUND_POLICY,
    cancellation_policy: row?.cancellation_policy ?? DEFAULT_CANCELLATION_POLICY,
    is_default: row === undefined,
    updated_at: row?.updated_at.toISOString() ?? null,
  };
}

export async function updateDisputeSettings(
  db: Db,
  actor: Actor,
  input: { refund_policy?: string | undefined; cancellation_policy?: string | undefined },
): Promise<DisputeSettingsView> {
  authorize(actor, 'billing.manage', { workspaceId: workspaceScope(actor), type: 'dispute_settings' });
  await inTransaction(db, async (tx) => {
    const current = await readPolicies(tx, workspaceScope(actor));
    await upsertSettings(tx, workspaceScope(actor), {
      refundPolicy: input.refund_policy ?? current.refundPolicy,
      cancellationPolicy: input.cancellation_policy ?? current.cancellationPolicy,
    });
    await recordAudit(tx, actor, {
      action: 'dispute.settings_updated',
      targetType: 'workspace',
      targetId: workspaceScope(actor),
      details: { fields: Object.keys(input) },
    });
  });
  return getDisputeSettings(db, actor);
}
