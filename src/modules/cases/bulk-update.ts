import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { AppError, validationError } from '../../platform/errors.js';
import { assertAssignable, resolveRouting } from './references.js';
import type { CasePriority, CaseStatus } from './schema.js';
import { loadCase } from './store.js';
import { cleanTags } from './text.js';
import { applyCaseChanges } from './update-case.js';

export const MAX_BULK_CASES = 100;

export interface BulkChanges {
  status?: CaseStatus | undefined;
  priority?: CasePriority | undefined;
  assigneeId?: string | null | undefined;
  teamId?: string | null | undefined;
  addTags?: string[] | undefined;
  removeTags?: string[] | undefined;
}

export interface BulkResult {
  id: string;
  ok: boolean;
  error?: { code: string; message: string; details?: Record<string, unknown> };
}

/**
 * The same changes on up to 100 cases, each in its own transaction: one case that cannot change
 * (closed, illegal transition, gone) does not hold back the others. No version is needed: a bulk
 * action applies to whatever state each case is in when its turn comes.
 */
export async function bulkUpdateCases(db: Db, actor: Actor, input: { caseIds: string[]; changes: BulkChanges }): Promise<BulkResult[]> {
  authorize(actor, 'case.bulk_update', { workspaceId: workspaceScope(actor), type: 'case' });
  const caseIds = [...new Set(input.caseIds)];
  if (caseIds.length === 0 || caseIds.length > MAX_BULK_CASES) {
    throw validationError('case.bulk_size', `Send 1 to ${MAX_BULK_CASES} case ids`, { field: 'case_ids' });
  }
  const { changes } = input;
  const addTags = cleanTags(changes.addTags ?? []);
  const removeTags = cleanTags(changes.removeTags ?? []);
  // References are the same for every case: refuse the whole request once rather than per case.
  if (changes.assigneeId) await assertAssignable(db, actor, changes.assigneeId);
  if (changes.teamId) await resolveRouting(db, actor, { teamId: null, queueId: null }, { teamId: changes.teamId });

  const results: BulkResult[] = [];
  for (const id of caseIds) {
    try {
      await inTransaction(db, async (tx) => {
        const row = await loadCase(tx, actor, id, 'case.bulk_update', { forUpdate: true });
        const tags =
          addTags.length > 0 || removeTags.length > 0 ? [...row.tags, ...addTags].filter((t) => !removeTags.includes(t)) : undefined;
        await applyCaseChanges(tx, actor, row, {
          status: changes.status,
          priority: changes.priority,
          assigneeId: changes.assigneeId,
          teamId: changes.teamId,
          tags,
        });
      });
      results.push({ id, ok: true });
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      results.push({
        id,
        ok: false,
        error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
      });
    }
  }
  return results;
}
