import { sql, type Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../platform/authorization.js';
import { notFound } from '../../platform/errors.js';
import type { RuleAction, RuleConditions } from './rule-schema.js';
import type { AutomationTriggersTable, TriggerEvent } from './schema.js';
import { readShared } from '../../platform/batch-reads.js';

/** SQL of triggers; every query is confined to the actor's workspace. */

export type TriggerRow = Selectable<AutomationTriggersTable>;

export const triggerResource = (workspaceId: string) => ({ workspaceId, type: 'trigger' });

export interface TriggerFields {
  name: string;
  description: string;
  enabled: boolean;
  events: TriggerEvent[];
  conditions: RuleConditions;
  actions: RuleAction[];
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function getTriggerRow(
  db: Db,
  actor: Actor,
  id: string,
  permission: Permission,
  options: { forUpdate?: boolean } = {},
): Promise<TriggerRow> {
  authorize(actor, permission, triggerResource(workspaceScope(actor)));
  if (!UUID.test(id)) throw notFound('trigger');
  let query = db.selectFrom('automation_triggers').selectAll().where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id);
  if (options.forUpdate) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('trigger');
  return row;
}

export async function listTriggerRows(
  db: Db,
  actor: Actor,
  page: { limit: number; after?: [number, string] | undefined },
): Promise<TriggerRow[]> {
  authorize(actor, 'automation.read', triggerResource(workspaceScope(actor)));
  let query = db.selectFrom('automation_triggers').selectAll().where('workspace_id', '=', workspaceScope(actor));
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
 * Enabled triggers handling one of these events, in the order they run (the listener's read).
 * Read once per outbox relay batch and event: triggers change only through the admin API, in
 * transactions of their own.
 */
export async function enabledTriggersFor(db: Db, workspaceId: string, event: TriggerEvent): Promise<TriggerRow[]> {
  return readShared(db, `triggers:${workspaceId}:${event}`, () =>
    db
      .selectFrom('automation_triggers')
      .selectAll()
      .where('workspace_id', '=', workspaceId)
      .where('enabled', '=', true)
      .where(sql<boolean>`${event} = any(events)`)
      .orderBy('position')
      .orderBy('id')
      .execute(),
  );
}

export async function triggerNameTaken(db: Db, actor: Actor, name: string, exceptId?: string): Promise<boolean> {
  let query = db.selectFrom('automation_triggers').select('id').where('workspace_id', '=', workspaceScope(actor)).where('name', '=', name);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

const valuesOf = (fields: TriggerFields) => ({
  name: fields.name,
  description: fields.description,
  enabled: fields.enabled,
  events: fields.events,
  conditions: JSON.stringify(fields.conditions),
  actions: JSON.stringify(fields.actions),
});

export async function insertTrigger(tx: Db, actor: Actor, fields: TriggerFields): Promise<TriggerRow> {
  const last = await tx
    .selectFrom('automation_triggers')
    .select((eb) => eb.fn.max('position').as('max'))
    .where('workspace_id', '=', workspaceScope(actor))
    .executeTakeFirst();
  const position = last?.max === null || last?.max === undefined ? 1 : Number(last.max) + 1;
  return tx
    .insertInto('automation_triggers')
    .values({ workspace_id: workspaceScope(actor), position, ...valuesOf(fields) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function updateTriggerRow(tx: Db, actor: Actor, id: string, fields: TriggerFields): Promise<TriggerRow> {
  return tx
    .updateTable('automation_triggers')
    .set({ ...valuesOf(fields), version: sql`version + 1`, updated_at: new Date() })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteTriggerRow(tx: Db, actor: Actor, id: string): Promise<void> {
  await tx.deleteFrom('automation_triggers').where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id).execute();
}

/** Locks the workspace's triggers (for a reorder) and returns their ids. */
export async function lockTriggerIds(tx: Db, actor: Actor): Promise<string[]> {
  const rows = await tx
    .selectFrom('automation_triggers')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .orderBy('position')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

export async function setTriggerPositions(tx: Db, actor: Actor, ids: string[]): Promise<void> {
  for (const [index, id] of ids.entries()) {
    await tx
      .updateTable('automation_triggers')
      .set({ position: index + 1 })
      .where('workspace_id', '=', workspaceScope(actor))
      .where('id', '=', id)
      .where('position', '<>', index + 1)
      .execute();
  }
}
