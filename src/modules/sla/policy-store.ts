import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import { isUuid } from './schedule-store.js';
import type { Escalations, PausableStatus, PolicyConditions, SlaPoliciesTable, TimeBasis } from './schema.js';
import { readShared } from '../../platform/batch-reads.js';

/** SQL of SLA policies; every query is confined to the actor's workspace. */

export type PolicyRow = Selectable<SlaPoliciesTable>;

export const policyResource = (workspaceId: string) => ({ workspaceId, type: 'sla_policy' });

export interface PolicyFields {
  name: string;
  description: string;
  enabled: boolean;
  conditions: PolicyConditions;
  first_reply_minutes: number | null;
  next_reply_minutes: number | null;
  resolution_minutes: number | null;
  time_basis: TimeBasis;
  schedule_id: string | null;
  pause_statuses: PausableStatus[];
  warning_minutes: number;
  escalations: Escalations;
}

export async function getPolicyRow(
  db: Db,
  actor: Actor,
  id: string,
  permission: Permission,
  options: { forUpdate?: boolean } = {},
): Promise<PolicyRow> {
  authorize(actor, permission, policyResource(workspaceScope(actor)));
  if (!isUuid(id)) throw notFound('sla_policy');
  let query = db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('sla_policy');
  return row;
}

export async function listPolicyRows(db: Db, actor: Actor, page: { limit: number; after?: [number, string] }): Promise<PolicyRow[]> {
  authorize(actor, 'sla.read', policyResource(workspaceScope(actor)));
  let query = db.selectFrom('sla_policies').selectAll().where('workspace_id', '=', workspaceScope(actor));
  if (page.after) {
    const [position, id] = page.after;
    query = query.where((eb) => eb.or([eb('position', '>', position), eb.and([eb('position', '=', position), eb('id', '>', id)])]));
  }
  return query
    .orderBy('position')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
}

/**
 * Enabled policies of a workspace in the order they are tried (Baton's own use: listeners). Read
 * once per outbox relay batch: policies change only through the admin API, in transactions of
 * their own.
 */
export async function enabledPolicies(db: Db, workspaceId: string): Promise<PolicyRow[]> {
  return readShared(db, `sla-policies:${workspaceId}`, () =>
    db
      .selectFrom('sla_policies')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('enabled', '=', true)
      .orderBy('position')
      .orderBy('id')
      .execute(),
  );
}

export async function policyNameTaken(db: Db, actor: Actor, name: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('sla_policies').select('id').where('workspace_id', '=', workspaceScope(actor)).where('name', '=', name);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export const policyValuesOf = (fields: PolicyFields) => ({
  name: fields.name,
  description: fields.description,
  enabled: fields.enabled,
  conditions: JSON.stringify(fields.conditions),
  first_reply_minutes: fields.first_reply_minutes,
  next_reply_minutes: fields.next_reply_minutes,
  resolution_minutes: fields.resolution_minutes,
  time_basis: fields.time_basis,
  schedule_id: fields.schedule_id,
  pause_statuses: fields.pause_statuses,
  warning_minutes: fields.warning_minutes,
  escalations: JSON.stringify(fields.escalations),
});

/** Appends a policy after the workspace's last one (the workspace row lock keeps positions distinct). */
export async function insertPolicy(tx: Db, actor: Actor, fields: PolicyFields): Promise<PolicyRow> {
  const ws = workspaceScope(actor);
  await sql`select id from workspaces where id = ${ws} for update`.execute(tx);
  const last = await tx
    .selectFrom('sla_policies')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  const position = last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
  return tx
    .insertInto('sla_policies')
    .values({ workspace_id: ws, position, ...policyValuesOf(fields) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updatePolicyRow(tx: Db, actor: Actor, id: string, fields: PolicyFields): Promise<PolicyRow> {
  return tx
    .updateTable('sla_policies')
    .set((eb) => ({ ...policyValuesOf(fields), version: eb('version', '+', 1), updated_at: new Date() }))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deletePolicyRow(tx: Db, actor: Actor, id: string): Promise<void> {
  await tx.deleteFrom('sla_policies').where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id).execute();
}

/** All policy ids of the workspace, locked, for a reorder. */
export async function lockPolicyIds(tx: Db, actor: Actor): Promise<string[]> {
  const rows = await tx
    .selectFrom('sla_policies')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** Positions 0..n-1 in the given order, one statement. */
export async function setPositions(tx: Db, actor: Actor, orderedIds: string[]): Promise<void> {
  if (orderedIds.length === 0) return;
  const positions = orderedIds.map((_, index) => index);
  await sql`
    update sla_policies p set position = o.position, updated_at = now()
    from (select unnest(${orderedIds}::uuid[]) as id, unnest(${positions}::int[]) as position) o
    where p.id = o.id and p.workspace_id = ${workspaceScope(actor)}`.execute(tx);
}
