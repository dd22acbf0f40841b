import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { isUuid } from './schedule-store.js';
import { policyResource, policyValuesOf, type PolicyFields, type PolicyRow } from './policy-store.js';

/** SQL of the policies created from regulatory presets (sla_policies.preset, migrations/0091). */

/** The workspace's preset policies by preset key. */
export async function presetPolicyRows(db: Db, actor: Actor): Promise<Map<string, PolicyRow>> {
  authorize(actor, 'sla.read', policyResource(workspaceScope(actor)));
  const rows = await db
    .selectFrom('sla_policies')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('preset', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.preset!, r]));
}

/** The policy of one preset, locked for a change (sla.manage). */
export async function lockPresetPolicy(tx: Db, actor: Actor, key: string): Promise<PolicyRow | undefined> {
  authorize(actor, 'sla.manage', policyResource(workspaceScope(actor)));
  return tx
    .selectFrom('sla_policies')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('preset', '=', key)
    .forUpdate()
    .executeTakeFirst();
}

/** A policy by id for Baton's own reads (the case SLA panel); undefined when deleted. */
export async function policyRowForClock(db: Db, workspaceId: string, id: string): Promise<PolicyRow | undefined> {
  if (!isUuid(id)) return undefined;
  return db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceId).where('id', '=', id).executeTakeFirst();
}

/**
 * Inserts a preset's policy before every other one (a regulatory clock must win over general
 * policies). Under the workspace row lock, as insertPolicy, so positions stay distinct.
 */
export async function insertPresetPolicy(
  tx: Db,
  actor: Actor,
  fields: PolicyFields,
  preset: { key: string; scheduleId: string | null },
): Promise<PolicyRow> {
  const ws = workspaceScope(actor);
  await sql`select id from workspaces where id = ${ws} for update`.execute(tx);
  const first = await tx
    .selectFrom('sla_policies')
    .select((eb) => eb.fn.min('position').as('position'))
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  const position = first?.position === null || first?.position === undefined ? 0 : Number(first.position) - 1;
  return tx
    .insertInto('sla_policies')
    .values({ workspace_id: ws, position, ...policyValuesOf(fields), preset: preset.key, preset_schedule_id: preset.scheduleId })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePresetPolicy(
  tx: Db,
  actor: Actor,
  id: string,
  fields: PolicyFields,
  scheduleId: string | null,
): Promise<PolicyRow> {
  return tx
    .updateTable('sla_policies')
    .set((eb) => ({ ...policyValuesOf(fields), preset_schedule_id: scheduleId, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function scheduleIdByName(tx: Db, actor: Actor, name: string): Promise<string | undefined> {
  const row = await tx
    .selectFrom('sla_schedules')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.id;
}
