import type { Selectable } from 'kysely';
import type { Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { getCase, recordCaseChange } from '../cases/service.js';
import { ruleActor, type ActionResult, type RuleOrigin } from './actions.js';
import type { AutomationRunsTable, RuleKind } from './schema.js';
import type { AutomationRunView } from './trigger-schemas.js';

/**
 * The append-only run log of automation rules on a case (triggers and scheduled automations).
 * An applied run also writes an `automation_applied` case history entry (as the rule), so the
 * agent sees in the case history which rule changed what.
 */

type RunRow = Selectable<AutomationRunsTable>;

export interface RuleRunInput {
  kind: RuleKind;
  ruleId: string;
  ruleName: string;
  caseId: string;
  eventId?: number | null;
  eventType?: string | null;
  rootKey?: string | null;
  depth?: number;
  outcome: 'applied' | 'skipped';
  skipReason?: string | null;
  results?: ActionResult[];
}

export async function recordRuleRun(tx: Db, actor: Actor, run: RuleRunInput): Promise<void> {
  await tx
    .insertInto('automation_runs')
    .values({
      workspace_id: actor.workspaceId,
      rule_kind: run.kind,
      rule_id: run.ruleId,
      rule_name: run.ruleName,
      case_id: run.caseId,
      event_id: run.eventId ?? null,
      event_type: run.eventType ?? null,
      root_key: run.rootKey ?? null,
      outcome: run.outcome,
      skip_reason: run.skipReason ?? null,
      action_results: JSON.stringify(run.results ?? []),
      depth: run.depth ?? 0,
    })
    .execute();
  if (run.outcome !== 'applied') return;
  const origin: RuleOrigin = { kind: run.kind, ruleId: run.ruleId, ruleName: run.ruleName, depth: run.depth ?? 0 };
  if (run.rootKey) origin.rootKey = run.rootKey;
  await recordCaseChange(tx, ruleActor(actor.workspaceId, origin), {
    caseId: run.caseId,
    type: 'automation_applied',
    data: {
      rule_kind: run.kind,
      rule_id: run.ruleId,
      rule_name: run.ruleName,
      event_type: run.eventType ?? null,
      actions: (run.results ?? []).map((r) => ({ ...r })),
    },
  });
}

/** Rules that already ran (or were held back) for this root event: a trigger runs once per root. */
export async function rulesRunForRoot(tx: Db, workspaceId: string, rootKey: string): Promise<Set<string>> {
  const rows = await tx
    .selectFrom('automation_runs')
    .select('rule_id')
    .where('workspace_id', '=', workspaceId)
    .where('root_key', '=', rootKey)
    .execute();
  return new Set(rows.map((r) => r.rule_id));
}

function runView(row: RunRow): AutomationRunView {
  return {
    id: String(row.id),
    rule_kind: row.rule_kind,
    rule_id: row.rule_id,
    rule_name: row.rule_name,
    case_id: row.case_id,
    event_id: row.event_id === null ? null : Number(row.event_id),
    event_type: row.event_type,
    outcome: row.outcome,
    skip_reason: row.skip_reason,
    action_results: row.action_results as AutomationRunView['action_results'],
    depth: row.depth,
    created_at: row.created_at.toISOString(),
  };
}

/** A case's runs, newest first (keyset on id). 404 for a case the actor cannot see. */
export async function listCaseRuns(
  db: Db,
  actor: Actor,
  caseIdOrNumber: string,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: AutomationRunView[]; next_cursor: string | null }> {
  authorize(actor, 'automation.read', { workspaceId: workspaceScope(actor), type: 'case' });
  const kase = await getCase(db, actor, caseIdOrNumber);
  const limit = query.limit ?? 25;
  const after = decodeCursor(query.cursor, ['number']) as [number] | undefined;
  let q = db.selectFrom('automation_runs').selectAll().where('workspace_id', '=', workspaceScope(actor)).where('case_id', '=', kase.id);
  if (after) q = q.where('id', '<', after[0]);
  const rows = await q
    .orderBy('id', 'desc')
    .limit(limit + 1)
    .execute();
  const page = pageOf(rows, limit, (r) => [Number(r.id)]);
  return { data: page.data.map(runView), next_cursor: page.next_cursor };
}
