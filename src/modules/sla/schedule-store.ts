import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import type { BusinessSchedule } from './business-hours.js';
import type { SlaSchedulesTable } from './schema.js';

/** SQL of business-hours schedules and team assignments; every query is confined to the actor's workspace. */

export type ScheduleRow = Selectable<SlaSchedulesTable>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

export const scheduleResource = (workspaceId: string) => ({ workspaceId, type: 'business_hours' });

export async function getScheduleRow(
  db: Db,
  actor: Actor,
  id: string,
  permission: Permission,
  options: { forUpdate?: boolean } = {},
): Promise<ScheduleRow> {
  authorize(actor, permission, scheduleResource(workspaceScope(actor)));
  if (!isUuid(id)) throw notFound('business_hours');
  let query = db.selectFrom('sla_schedules').selectAll().where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('business_hours');
  return row;
}

export async function listScheduleRows(db: Db, actor: Actor, page: { limit: number; after?: [string, string] }): Promise<ScheduleRow[]> {
  authorize(actor, 'sla.read', scheduleResource(workspaceScope(actor)));
  let query = db.selectFrom('sla_schedules').selectAll().where('workspace_id', '=', workspaceScope(actor));
  if (page.after) {
    const [name, id] = page.after;
    query = query.where((eb) => eb.or([eb('name', '>', name), eb.and([eb('name', '=', name), eb('id', '>', id)])]));
  }
  return query
    .orderBy('name')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
}

export async function scheduleNameTaken(db: Db, actor: Actor, name: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('sla_schedules').select('id').where('workspace_id', '=', workspaceScope(actor)).where('name', '=', name);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

export async function insertSchedule(
  tx: Db,
  actor: Actor,
  input: { name: string; schedule: BusinessSchedule; isDefault: boolean },
): Promise<ScheduleRow> {
  return tx
    .insertInto('sla_schedules')
    .values({
      workspace_id: workspaceScope(actor),
      name: input.name,
      time_zone: input.schedule.timeZone,
      weekly: JSON.stringify(input.schedule.weekly),
      holidays: JSON.stringify(input.schedule.holidays),
      is_default: input.isDefault,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateScheduleRow(
  tx: Db,
  actor: Actor,
  id: string,
  changes: { name?: string; schedule?: BusinessSchedule; isDefault?: boolean },
): Promise<ScheduleRow> {
  return tx
    .updateTable('sla_schedules')
    .set((eb) => ({
      ...(changes.name !== undefined ? { name: changes.name } : {}),
      ...(changes.schedule
        ? {
            time_zone: changes.schedule.timeZone,
            weekly: JSON.stringify(changes.schedule.weekly),
            holidays: JSON.stringify(changes.schedule.holidays),
          }
        : {}),
      ...(changes.isDefault !== undefined ? { is_default: changes.isDefault } : {}),
      version: eb('version', '+', 1),
      updated_at: new Date(),
    }))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Clears the workspace's default flag (before another schedule takes it: one default at most). */
export async function clearDefaultSchedule(tx: Db, actor: Actor, exceptId?: string): Promise<void> {
  let query = tx
    .updateTable('sla_schedules')
    .set({ is_default: false, updated_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('is_default', '=', true);
  if (exceptId) query = query.where('id', '<>', exceptId);
  await query.execute();
}

export async function deleteScheduleRow(tx: Db, actor: Actor, id: string): Promise<void> {
  await tx.deleteFrom('sla_schedules').where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id).execute();
}

/** Who still uses a schedule: teams and policies (a schedule in use cannot be deleted). */
export async function scheduleUsers(tx: Db, actor: Actor, id: string): Promise<{ teamIds: string[]; policyIds: string[] }> {
  const ws = workspaceScope(actor);
  const teams = await tx
    .selectFrom('sla_team_schedules')
    .select('team_id')
    .where('workspace_id', '=', ws)
    .where('schedule_id', '=', id)
    .orderBy('team_id')
    .execute();
  const policies = await tx
    .selectFrom('sla_policies')
    .select('id')
    .where('workspace_id', '=', ws)
    .where('schedule_id', '=', id)
    .orderBy('id')
    .execute();
  return { teamIds: teams.map((t) => t.team_id), policyIds: policies.map((p) => p.id) };
}

/** Team ids by schedule id for a page of schedules, in one query. */
export async function teamsOfSchedules(db: Db, actor: Actor, scheduleIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (scheduleIds.length === 0) return out;
  const rows = await db
    .selectFrom('sla_team_schedules')
    .select(['schedule_id', 'team_id'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('schedule_id', 'in', scheduleIds)
    .orderBy('team_id')
    .execute();
  for (const row of rows) out.set(row.schedule_id, [...(out.get(row.schedule_id) ?? []), row.team_id]);
  return out;
}

export async function teamScheduleId(db: Db, workspaceId: string, teamId: string): Promise<string | null> {
  const row = await db
    .selectFrom('sla_team_schedules')
    .select('schedule_id')
    .where('workspace_id', '=', workspaceId)
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return row?.schedule_id ?? null;
}

export async function upsertTeamSchedule(tx: Db, actor: Actor, teamId: string, scheduleId: string): Promise<void> {
  await tx
    .insertInto('sla_team_schedules')
    .values({ team_id: teamId, workspace_id: workspaceScope(actor), schedule_id: scheduleId })
    .onConflict((oc) => oc.column('team_id').doUpdateSet({ schedule_id: scheduleId, updated_at: new Date() }))
    .execute();
}

export async function deleteTeamSchedule(tx: Db, actor: Actor, teamId: string): Promise<boolean> {
  const result = await tx
    .deleteFrom('sla_team_schedules')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('team_id', '=', teamId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

/** A schedule by id or the workspace default, for Baton's own use (listeners, jobs): no actor check. */
export async function findScheduleForClock(
  db: Db,
  workspaceId: string,
  which: { id: string } | 'default',
): Promise<ScheduleRow | undefined> {
  let query = db.selectFrom('sla_schedules').selectAll().where('workspace_id', '=', workspaceId);
  query = which === 'default' ? query.where('is_default', '=', true) : query.where('id', '=', which.id);
  return query.executeTakeFirst();
}
