import crypto from 'node:crypto';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { openSealedSecret, sealSecret, type SealContext } from '../../platform/sealed-secret.js';
import type { RuleKind } from './schema.js';

/**
 * Per-rule webhook signing secrets (triggers and scheduled automations), sealed at rest and shown
 * to the admin once, when created or rotated.
 */

const sealContext = (kind: RuleKind, ruleId: string): SealContext => ({
  purpose: 'automation.webhook',
  associatedData: `${kind}:${ruleId}`,
});

/** A new secret for the rule (replacing any former one); the plaintext is returned once. */
export async function createWebhookSecret(instanceSecret: string, tx: Db, actor: Actor, kind: RuleKind, ruleId: string): Promise<string> {
  // Standard base64 after the prefix, as Standard Webhooks libraries decode it.
  const secret = `whsec_${crypto.randomBytes(24).toString('base64')}`;
  const sealed = sealSecret(instanceSecret, sealContext(kind, ruleId), secret);
  await tx
    .insertInto('automation_webhook_secrets')
    .values({ workspace_id: actor.workspaceId, rule_kind: kind, rule_id: ruleId, sealed_secret: sealed })
    .onConflict((oc) => oc.columns(['rule_kind', 'rule_id']).doUpdateSet({ sealed_secret: sealed, created_at: new Date() }))
    .execute();
  return secret;
}

/** Which of these rules have a secret, in one query. */
export async function rulesWithWebhookSecret(tx: Db, actor: Actor, kind: RuleKind, ruleIds: string[]): Promise<Set<string>> {
  if (ruleIds.length === 0) return new Set();
  const rows = await tx
    .selectFrom('automation_webhook_secrets')
    .select('rule_id')
    .where('workspace_id', '=', actor.workspaceId)
    .where('rule_kind', '=', kind)
    .where('rule_id', 'in', ruleIds)
    .execute();
  return new Set(rows.map((r) => r.rule_id));
}

export async function deleteWebhookSecret(tx: Db, actor: Actor, kind: RuleKind, ruleId: string): Promise<void> {
  await tx
    .deleteFrom('automation_webhook_secrets')
    .where('workspace_id', '=', actor.workspaceId)
    .where('rule_kind', '=', kind)
    .where('rule_id', '=', ruleId)
    .execute();
}

/** The plaintext secret of a rule, or null when it has none. */
export async function readWebhookSecret(
  instanceSecret: string,
  db: Db,
  workspaceId: string,
  kind: RuleKind,
  ruleId: string,
): Promise<string | null> {
  const row = await db
    .selectFrom('automation_webhook_secrets')
    .select('sealed_secret')
    .where('workspace_id', '=', workspaceId)
    .where('rule_kind', '=', kind)
    .where('rule_id', '=', ruleId)
    .executeTakeFirst();
  return row ? openSealedSecret(instanceSecret, sealContext(kind, ruleId), row.sealed_secret) : null;
}

/**
 * The Standard Webhooks headers (standardwebhooks.com, ../shared/CONVENTIONS.md): `webhook-id`
 * (the delivery's id, the same on every retry so the receiver can de-duplicate),
 * `webhook-timestamp` (unix seconds) and `webhook-signature` = `v1,<base64 HMAC-SHA256 of
 * "id.timestamp.body">` keyed with the base64 part of the `whsec_` secret.
 */
export function webhookHeaders(secret: string, deliveryId: string, body: string, at: Date = new Date()): Record<string, string> {
  const timestamp = String(Math.floor(at.getTime() / 1000));
  const key = Buffer.from(secret.startsWith('whsec_') ? secret.slice('whsec_'.length) : secret, 'base64');
  const signature = crypto.createHmac('sha256', key).update(`${deliveryId}.${timestamp}.${body}`).digest('base64');
  return { 'webhook-id': deliveryId, 'webhook-timestamp': timestamp, 'webhook-signature': `v1,${signature}` };
}
