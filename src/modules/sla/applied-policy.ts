import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';

/**
 * The SLA policy applied to a case (its clock's policy), or null when none applies or the case
 * has no clock yet. For modules whose settings vary per policy (follow-ups).
 */
export async function appliedSlaPolicyId(tx: Db, actor: Actor, caseId: string): Promise<string | null> {
  authorize(actor, 'sla.read', { workspaceId: workspaceScope(actor), type: 'case', caseId });
  const row = await tx
    .selectFrom('sla_case_clocks')
    .select('policy_id')
    .where('workspace_id', '=', workspaceScope(actor))
    .where('case_id', '=', caseId)
    .executeTakeFirst();
  return row?.policy_id ?? null;
}
