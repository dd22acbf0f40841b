import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';

/** SQL of followup_settings: the workspace default (sla_policy_id null) and per-policy overrides. */

export interface SettingsRow {
  id: string;
  workspace_id: string;
  sla_policy_id: string | null;
  pending_reminder_after_days: number | null;
  pending_solve_after_days: number | null;
  checkin_after_days: number | null;
  reminder_body: string | null;
  checkin_body: string | null;
  created_at: Date;
  updated_at: Date;
}

export interface SettingsFields {
  pending_reminder_after_days: number | null;
  pending_solve_after_days: number | null;
  checkin_after_days: number | null;
  reminder_body: string | null;
  checkin_body: string | null;
}

export async function listSettingsRows(db: Db, actor: Actor): Promise<SettingsRow[]> {
  return db
    .selectFrom('followup_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

/** The override of `policyId` if there is one, else the default row (either may be missing). */
export async function findSettingsFor(db: Db, actor: Actor, policyId: string | null): Promise<SettingsRow | undefined> {
  const rows = await db
    .selectFrom('followup_settings')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where((eb) =>
      policyId ? eb.or([eb('sla_policy_id', 'is', null), eb('sla_policy_id', '=', policyId)]) : eb('sla_policy_id', 'is', null),
    )
    .execute();
  return rows.find((r) => r.sla_policy_id !== null) ?? rows[0];
}

export async function upsertSettings(db: Db, actor: Actor, policyId: string | null, fields: SettingsFields): Promise<SettingsRow> {
  const workspaceId = workspaceScope(actor);
  const values = { ...fields, updated_at: new Date() };
  const insert = db.insertInto('followup_settings').values({ workspace_id: workspaceId, sla_policy_id: policyId, ...fields });
  const upsert = policyId
    ? insert.onConflict((oc) => oc.columns(['workspace_id', 'sla_policy_id']).where('sla_policy_id', 'is not', null).doUpdateSet(values))
    : insert.onConflict((oc) => oc.column('workspace_id').where('sla_policy_id', 'is', null).doUpdateSet(values));
  return upsert.returningAll().executeTakeFirstOrThrow();
}

export async function deleteSettings(db: Db, actor: Actor, policyId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('followup_settings')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('sla_policy_id', '=', policyId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}
