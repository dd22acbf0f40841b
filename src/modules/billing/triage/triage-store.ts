import type { Db } from '../../../db/database.js';

/** SQL of billing triage: one billing_triaged_cases row per case triaged (Baton itself; scoped by the event's workspace). */

/** Claims a case for triage; false when it was triaged already (a replayed case.created). */
export async function claimTriage(tx: Db, workspaceId: string, caseId: string): Promise<boolean> {
  const row = await tx
    .insertInto('billing_triaged_cases')
    .values({ workspace_id: workspaceId, case_id: caseId })
    .onConflict((oc) => oc.column('case_id').doNothing())
    .returning('case_id')
    .executeTakeFirst();
  return row !== undefined;
}

export async function recordTriageSignals(tx: Db, workspaceId: string, caseId: string, signals: string[]): Promise<void> {
  await tx
    .updateTable('billing_triaged_cases')
    .set({ signals })
    .where('workspace_id', '=', workspaceId)
    .where('case_id', '=', caseId)
    .execute();
}
