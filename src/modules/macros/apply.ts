import { inTransaction, type Db } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import { getCase, recordCaseChange, updateCase, updateCaseLocked, type CaseFieldChanges, type CaseView } from '../cases/service.js';
import { loadVisibleMacro } from './macros.js';
import { renderCaseTemplate } from './placeholders.js';
import type { MacroChanges, MacroVisibility } from './schema.js';
import { recordMacroUse } from './store.js';
import { macroView, type FieldChange, type MacroView } from './views.js';

/**
 * Previewing and applying a macro on a case. Applying changes the case's fields (through the
 * cases service, under the case's version) and hands back the rendered reply; the reply is not
 * sent: the agent edits it in the composer and sends it (as in Zendesk).
 */

/** The case field changes a macro asks for, against the case as it is now. */
export function caseChangesOf(changes: MacroChanges, kase: CaseView, actor: AgentActor): CaseFieldChanges {
  const result: CaseFieldChanges = {};
  if (changes.status !== undefined) result.status = changes.status;
  if (changes.priority !== undefined) result.priority = changes.priority;
  if (changes.category !== undefined) result.category = changes.category;
  if (changes.team_id !== undefined) result.teamId = changes.team_id;
  if (changes.queue_id !== undefined) result.queueId = changes.queue_id;
  if (changes.assignee !== undefined) result.assigneeId = changes.assignee === 'me' ? actor.agentId : changes.assignee;
  if (changes.add_tags?.length || changes.remove_tags?.length) {
    const remove = new Set(changes.remove_tags ?? []);
    const tags = kase.tags.filter((t) => !remove.has(t));
    for (const tag of changes.add_tags ?? []) if (!tags.includes(tag)) tags.push(tag);
    result.tags = tags;
  }
  return result;
}

/** What would actually change (fields already at the macro's value are left out). */
export function fieldChanges(kase: CaseView, changes: CaseFieldChanges): FieldChange[] {
  const list: FieldChange[] = [];
  const push = (field: string, from: unknown, to: unknown) => {
    if (from !== to) list.push({ field, from, to });
  };
  if (changes.status !== undefined) push('status', kase.status, changes.status);
  if (changes.priority !== undefined) push('priority', kase.priority, changes.priority);
  if (changes.category !== undefined) push('category', kase.category, changes.category);
  if (changes.teamId !== undefined) push('team_id', kase.team_id, changes.teamId);
  if (changes.queueId !== undefined) push('queue_id', kase.queue_id, changes.queueId);
  if (changes.assigneeId !== undefined) push('assignee_id', kase.assignee?.id ?? null, changes.assigneeId);
  if (changes.tags !== undefined) {
    const same = changes.tags.length === kase.tags.length && changes.tags.every((t) => kase.tags.includes(t));
    if (!same) list.push({ field: 'tags', from: kase.tags, to: changes.tags });
  }
  return list;
}

export interface MacroPreview {
  macro: MacroView;
  body: string;
  visibility: MacroVisibility;
  changes: FieldChange[];
}

/** The rendered reply and the changes the macro would make; changes nothing. */
export async function previewMacro(db: Db, actor: AgentActor, caseId: string, macroId: string): Promise<MacroPreview> {
  return inTransaction(db, async (tx) => {
    const macro = await loadVisibleMacro(tx, actor, macroId);
    const kase = await getCase(tx, actor, caseId);
    const changes = fieldChanges(kase, caseChangesOf(macro.changes, kase, actor));
    // Placeholders read the case as it is now; after applying, status/priority read the new values.
    const body = await renderCaseTemplate(tx, actor, kase.id, macro.body);
    return { macro: macroView(macro), body, visibility: macro.visibility, changes };
  });
}

export interface MacroApplied extends MacroPreview {
  case: CaseView;
}

/**
 * Applies the macro's field changes in one transaction with its history entry and usage count.
 * With `caseVersion` a case changed since the agent loaded it is refused (409 case.stale_version);
 * without it the case row is locked instead.
 */
export async function applyMacro(
  db: Db,
  actor: AgentActor,
  caseId: string,
  macroId: string,
  options: { caseVersion?: number | undefined } = {},
): Promise<MacroApplied> {
  return inTransaction(db, async (tx) => {
    const macro = await loadVisibleMacro(tx, actor, macroId);
    const before = await getCase(tx, actor, caseId);
    const requested = caseChangesOf(macro.changes, before, actor);
    const changes = fieldChanges(before, requested);
    const updated =
      options.caseVersion !== undefined
        ? await updateCase(tx, actor, before.id, { ...requested, version: options.caseVersion })
        : await updateCaseLocked(tx, actor, before.id, requested);
    await recordCaseChange(tx, actor, {
      caseId: before.id,
      type: 'macro_applied',
      data: { macro_id: macro.id, macro_name: macro.name, changes: changes.map((c) => c.field) },
    });
    const used = await recordMacroUse(tx, actor, macro.id);
    const body = await renderCaseTemplate(tx, actor, before.id, macro.body);
    return { macro: macroView(used), body, visibility: macro.visibility, changes, case: updated };
  });
}
