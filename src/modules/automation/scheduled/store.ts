import { sql, type Selectable } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { authorize, workspaceScope, type Permission } from '../../../platform/authorization.js';
import { notFound } from '../../../platform/errors.js';
import type { RuleAction, RuleConditions } from '../rule-schema.js';
import type { ScheduledAutomationsTable } from './schema.js';

/** SQL of scheduled automations and of the cases they acted on; confined to the actor's workspace. */

export type ScheduledRow = Selectable<ScheduledAutomationsTable>;

export const scheduledResource = (workspaceId: string) => ({ workspaceId, type: 'automation' });

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string): boolean => UUID.test(value);

export interface ScheduledFields {
  name: string;
  description: string;
  enabled: boolean;
  conditions: RuleConditions;
  actions: RuleAction[];
}

export async function getScheduledRow(
  db: Db,
  actor: Actor,
  id: string,
  permission: Permission,
  options: { lock?: 'update' } = {},
): Promise<ScheduledRow> {
  authorize(actor, permission, scheduledResource(workspaceScope(actor)));
  if (!isUuid(id)) throw notFound('automation');
  let query = db
    .selectFrom('scheduled_automations')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id.toLowerCase());
  if (options.lock === 'update') query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (!row) throw notFound('automation');
  return row;
}

export async function listScheduledRows(db: Db, actor: Actor, page: { limit: number; after?: [number, string] | undefined }) {
  authorize(actor, 'automation.read', scheduledResource(workspaceScope(actor)));
  let query = db.selectFrom('scheduled_automations').selectAll().where('workspace_id', '=', workspaceScope(actor));
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

/** Enabled rules of the workspace in run order (the job's own read). */
export async function enabledScheduledRows(db: Db, actor: Actor): Promise<ScheduledRow[]> {
  authorize(actor, 'automation.read', scheduledResource(workspaceScope(actor)));
  return db
    .selectFrom('scheduled_automations')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('enabled', '=', true)
    .orderBy('position')
    .orderBy('id')
    .execute();
}

/** Workspaces with at least one enabled rule (installation-level: the recurring job's starting point). */
export async function workspacesWithEnabledRules(db: Db): Promise<string[]> {
  const rows = await db.selectFrom('scheduled_automations').select('workspace_id').where('enabled', '=', true).distinct().execute();
  return rows.map((r) => r.workspace_id);
}

export async function scheduledNameTaken(db: Db, actor: Actor, name: string, exceptId?: string): Promise<boolean> {
  let query = db
    .selectFrom('scheduled_automations')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where(sql<boolean>`lower(name) = lower(${name})`);
  if (exceptId) query = query.where('id', '<>', exceptId);
  return (await query.executeTakeFirst()) !== undefined;
}

const valuesOf = (fields: ScheduledFields) => ({
  name: fields.name,
  description: fields.description,
  enabled: fields.enabled,
  conditions: JSON.stringify(fields.conditions),
  actions: JSON.stringify(fields.actions),
});

/** Appends a rule after the workspace's last one (the workspace row lock keeps positions distinct). */
export async function insertScheduled(tx: Db, actor: Actor, fields: ScheduledFields): Promise<ScheduledRow> {
  const ws = workspaceScope(actor);
  await sql`select id from workspaces where id = ${ws} for update`.execute(tx);
  const last = await tx
    .selectFrom('scheduled_automations')
    .select((eb) => eb.fn.max('position').as('position'))
    .where('workspace_id', '=', ws)
    .executeTakeFirst();
  const position = last?.position === null || last?.position === undefined ? 0 : Number(last.position) + 1;
  return tx
    .insertInto('scheduled_automations')
    .values({ workspace_id: ws, position, resume_after_case_id: null, last_run_at: null, ...valuesOf(fields) })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Saves changed fields; conditions changing start the scan from the beginning again. */
export async function updateScheduledRow(tx: Db, actor: Actor, id: string, fields: ScheduledFields): Promise<ScheduledRow> {
  return tx
    .updateTable('scheduled_automations')
    .set((eb) => ({ ...valuesOf(fields), resume_after_case_id: null, version: eb('version', '+', 1), updated_at: new Date() }))
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteScheduledRow(tx: Db, actor: Actor, id: string): Promise<void> {
  await tx.deleteFrom('scheduled_automations').where('workspace_id', '=', workspaceScope(actor)).where('id', '=', id).execute();
}

/** All rule ids of the workspace, locked, for a reorder. */
export async function lockScheduledIds(tx: Db, actor: Actor): Promise<string[]> {
  const rows = await tx
    .selectFrom('scheduled_automations')
    .select('id')
    .where('workspace_id', '=', workspaceScope(actor))
    .orderBy('id')
    .forUpdate()
    .execute();
  return rows.map((r) => r.id);
}

/** Positions 0..n-1 in the given order, one statement. */
export async function setScheduledPositions(tx: Db, actor: Actor, orderedIds: string[]): Promise<void> {
  if (orderedIds.length === 0) return;
  const positions = orderedIds.map((_, index) => index);
  await sql`
    update scheduled_automations r set position = o.position, updated_at = now()
    from (select unnest(${orderedIds}::uuid[]) as id, unnest(${positions}::int[]) as position) o
    where r.id = o.id and r.workspace_id = ${workspaceScope(actor)}`.execute(tx);
}

// ---------- runs ----------

/**
 * Locks the rule for one case's run (FOR UPDATE): runs of the same rule by two workers take
 * turns case by case, and an edit or delete waits for the case in progress. Undefined when the
 * rule is gone, edited since the run began or (for the job's runs) disabled: the run stops.
 */
export async function lockRuleForRun(
  tx: Db,
  actor: Actor,
  id: string,
  version: number,
  requireEnabled: boolean,
): Promise<ScheduledRow | undefined> {
  const row = await tx
    .selectFrom('scheduled_automations')
    .selectAll()
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .forUpdate()
    .executeTakeFirst();
  return row && (row.enabled || !requireEnabled) && row.version === version ? row : undefined;
}

export interface CaseState {
  version: number;
  updatedAt: Date;
}

/** The case state each given case was in right after the rule last acted on it. */
export async function actedStates(db: Db, actor: Actor, ruleId: string, caseIds: string[]): Promise<Map<string, CaseState>> {
  if (caseIds.length === 0) return new Map();
  const rows = await db
    .selectFrom('scheduled_automation_acts')
    .select(['case_id', 'case_version', 'case_updated_at'])
    .where('workspace_id', '=', workspaceScope(actor))
    .where('rule_id', '=', ruleId)
    .where('case_id', 'in', caseIds)
    .execute();
  return new Map(rows.map((r) => [r.case_id, { version: r.case_version, updatedAt: new Date(r.case_updated_at) }]));
}

export const sameState = (a: CaseState | undefined, b: CaseState): boolean =>
  a !== undefined && a.version === b.version && a.updatedAt.getTime() === b.updatedAt.getTime();

/** Records that the rule acted on the case, and the case's state just after. */
export async function recordActed(tx: Db, actor: Actor, ruleId: string, caseId: string, state: CaseState): Promise<void> {
  await tx
    .insertInto('scheduled_automation_acts')
    .values({
      rule_id: ruleId,
      case_id: caseId,
      workspace_id: workspaceScope(actor),
      case_version: state.version,
      case_updated_at: state.updatedAt,
    })
    .onConflict((oc) =>
      oc.columns(['rule_id', 'case_id']).doUpdateSet((eb) => ({
        case_version: eb.ref('excluded.case_version'),
        case_updated_at: eb.ref('excluded.case_updated_at'),
        acted_at: new Date(),
        times: eb('scheduled_automation_acts.times', '+', 1),
      })),
    )
    .execute();
}

/** Marks the end of a run: when it ran, and where the next run resumes (null: from the start). */
export async function finishRuleRun(db: Db, actor: Actor, id: string, at: Date, resumeAfter: string | null): Promise<void> {
  await db
    .updateTable('scheduled_automations')
    .set({ last_run_at: at, resume_after_case_id: resumeAfter })
    .where('workspace_id', '=', workspaceScope(actor))
    .where('id', '=', id)
    .execute();
}
