import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { conflict, unprocessable } from '../../platform/errors.js';
import type { JsonObject } from '../../platform/schema.js';
import { recordCaseChange } from './case-events.js';
import { assertAssignable, resolveRouting } from './references.js';
import type { CaseCategory, CasePriority, CaseStatus, CaseType } from './schema.js';
import { assertTransition, lifecycleTimestamps } from './status-machine.js';
import { currentVersion, loadCase, updateCaseRow, type CaseChanges, type CaseRow } from './store.js';
import { cleanSubject, cleanTags, tagDiff } from './text.js';
import { toCaseView, type CaseView } from './views.js';

export interface CaseFieldChanges {
  subject?: string | undefined;
  status?: CaseStatus | undefined;
  priority?: CasePriority | undefined;
  category?: CaseCategory | undefined;
  type?: CaseType | undefined;
  /** A deadline; null clears it. */
  dueAt?: Date | null | undefined;
  teamId?: string | null | undefined;
  queueId?: string | null | undefined;
  assigneeId?: string | null | undefined;
  tags?: string[] | undefined;
}

export interface UpdateCaseInput extends CaseFieldChanges {
  /** The version the client read; a newer one in the database refuses the change (409). */
  version: number;
}

const staleVersion = (current: number | undefined) =>
  conflict('case.stale_version', 'Someone changed this case since you loaded it; reload and try again', {
    current_version: current ?? null,
  });

/**
 * Applies field changes to a case the caller has loaded in its transaction, writing one case
 * event per changed field. Returns the row unchanged (no version bump) when nothing changes.
 * With `expectedVersion`, the update only lands on that version (optimistic concurrency).
 */
export async function applyCaseChanges(
  tx: Db,
  actor: Actor,
  row: CaseRow,
  input: CaseFieldChanges,
  expectedVersion?: number,
): Promise<CaseRow> {
  if (expectedVersion !== undefined && row.version !== expectedVersion) throw staleVersion(row.version);
  const set: CaseChanges = {};
  const events: { type: string; data: JsonObject }[] = [];

  if (input.status !== undefined && input.status !== row.status) {
    assertTransition(row.status, input.status);
    Object.assign(set, { status: input.status }, lifecycleTimestamps(row.status, input.status, 'now' as const));
    events.push({ type: 'status_changed', data: { from: row.status, to: input.status } });
  }
  if (input.subject !== undefined) {
    const subject = cleanSubject(input.subject);
    if (subject !== row.subject) {
      set.subject = subject;
      events.push({ type: 'subject_changed', data: { from: row.subject, to: subject } });
    }
  }
  if (input.priority !== undefined && input.priority !== row.priority) {
    set.priority = input.priority;
    events.push({ type: 'priority_changed', data: { from: row.priority, to: input.priority } });
  }
  if (input.category !== undefined && input.category !== row.category) {
    set.category = input.category;
    events.push({ type: 'category_changed', data: { from: row.category, to: input.category } });
  }
  if (input.type !== undefined && input.type !== row.type) {
    set.type = input.type;
    events.push({ type: 'type_changed', data: { from: row.type, to: input.type } });
  }
  if (input.dueAt !== undefined && (input.dueAt?.getTime() ?? null) !== (row.due_at?.getTime() ?? null)) {
    set.due_at = input.dueAt;
    events.push({ type: 'due_changed', data: { from: row.due_at?.toISOString() ?? null, to: input.dueAt?.toISOString() ?? null } });
  }
  if (input.teamId !== undefined || input.queueId !== undefined) {
    const routing = await resolveRouting(
      tx,
      actor,
      { teamId: row.team_id, queueId: row.queue_id },
      { teamId: input.teamId, queueId: input.queueId },
    );
    if (routing.teamId !== row.team_id) {
      set.team_id = routing.teamId;
      events.push({ type: 'team_changed', data: { from: row.team_id, to: routing.teamId } });
    }
    if (routing.queueId !== row.queue_id) {
      set.queue_id = routing.queueId;
      events.push({ type: 'queue_changed', data: { from: row.queue_id, to: routing.queueId } });
    }
  }
  if (input.assigneeId !== undefined && input.assigneeId !== row.assignee_id) {
    if (input.assigneeId !== null) await assertAssignable(tx, actor, input.assigneeId);
    set.assignee_id = input.assigneeId;
    events.push({ type: 'assigned', data: { from: row.assignee_id, to: input.assigneeId } });
  }
  if (input.tags !== undefined) {
    const tags = cleanTags(input.tags);
    const diff = tagDiff(row.tags, tags);
    if (diff.added.length > 0 || diff.removed.length > 0) {
      set.tags = tags;
      events.push({ type: 'tags_changed', data: diff });
    }
  }

  if (events.length === 0) return row;
  if (row.status === 'closed') {
    throw unprocessable('case.closed', `Case #${row.number} is closed and can no longer change`, { case_id: row.id, number: row.number });
  }
  const updated = await updateCaseRow(tx, actor, row.id, set, expectedVersion);
  if (!updated) throw staleVersion(await currentVersion(tx, actor, row.id));
  for (const event of events) await recordCaseChange(tx, actor, { caseId: row.id, ...event });
  return updated;
}

/** Changes case fields under optimistic concurrency (`version`), one history entry per changed field. */
export async function updateCase(db: Db, actor: Actor, caseId: string, input: UpdateCaseInput): Promise<CaseView> {
  return inTransaction(db, async (tx) => {
    const row = await loadCase(tx, actor, caseId, 'case.write');
    const updated = await applyCaseChanges(tx, actor, row, input, input.version);
    return toCaseView(tx, actor, updated);
  });
}

/**
 * Locks a case row until the transaction ends (checking case.write), so that work about the case
 * cannot interleave with its changes; one statement, where `updateCaseLocked(..., {})` also built
 * the case's view.
 */
export async function lockCase(tx: Db, actor: Actor, caseId: string): Promise<void> {
  await loadCase(tx, actor, caseId, 'case.write', { forUpdate: true });
}

/**
 * Field changes Baton itself makes in a listener or job (billing triage): the case row is locked
 * instead of version-checked, since no client read a version. Same history as updateCase.
 */
export async function updateCaseLocked(db: Db, actor: Actor, caseId: string, input: CaseFieldChanges): Promise<CaseView> {
  return inTransaction(db, async (tx) => {
    const row = await loadCase(tx, actor, caseId, 'case.write', { forUpdate: true });
    return toCaseView(tx, actor, await applyCaseChanges(tx, actor, row, input));
  });
}
