import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import type { BillingConnectorName } from '../schema.js';

/**
 * SQL of the processor columns of billing_settings (one row per workspace, shared with the
 * outreach and triage settings of other parts: each part writes only its own columns). Callers
 * authorize; every query is scoped by the actor's workspace.
 */
export interface ProcessorSettingsRow {
  connector: BillingConnectorName;
  stripe_api_key_enc: string | null;
  stripe_webhook_secrets_enc: string[];
  stripe_api_base: string | null;
  updated_at: Date;
}

export async function selectProcessorSettings(
  db: Db,
  actor: Actor,
  options: { lock?: boolean } = {},
): Promise<ProcessorSettingsRow | undefined> {
  let query = db
    .selectFrom('billing_settings')
    .select(['connector', 'stripe_api_key_enc', 'stripe_webhook_secrets_enc', 'stripe_api_base', 'updated_at'])
    .where('workspace_id', '=', actor.workspaceId);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export interface ProcessorSettingsPatch {
  connector?: BillingConnectorName;
  stripe_api_key_enc?: string | null;
  stripe_webhook_secrets_enc?: string[];
  stripe_api_base?: string | null;
}

/** Creates the workspace's row on first use; only the given columns change. */
export async function upsertProcessorSettings(tx: Db, actor: Actor, patch: ProcessorSettingsPatch): Promise<void> {
  const values = {
    workspace_id: actor.workspaceId,
    ...(patch.connector !== undefined ? { connector: patch.connector } : {}),
    ...(patch.stripe_api_key_enc !== undefined ? { stripe_api_key_enc: patch.stripe_api_key_enc } : {}),
    ...(patch.stripe_webhook_secrets_enc !== undefined ? { stripe_webhook_secrets_enc: patch.stripe_webhook_secrets_enc } : {}),
    ...(patch.stripe_api_base !== undefined ? { stripe_api_base: patch.stripe_api_base } : {}),
  };
  await tx
    .insertInto('billing_settings')
    .values(values)
    .onConflict((oc) =>
      oc.column('workspace_id').doUpdateSet({
        ...(patch.connector !== undefined ? { connector: patch.connector } : {}),
        ...(patch.stripe_api_key_enc !== undefined ? { stripe_api_key_enc: patch.stripe_api_key_enc } : {}),
        ...(patch.stripe_webhook_secrets_enc !== undefined ? { stripe_webhook_secrets_enc: patch.stripe_webhook_secrets_enc } : {}),
        ...(patch.stripe_api_base !== undefined ? { stripe_api_base: patch.stripe_api_base } : {}),
        updated_at: sql`now()`,
      }),
    )
    .execute();
}
