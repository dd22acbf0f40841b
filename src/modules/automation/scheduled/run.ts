import type { AppContext } from '../../../context.js';
import { inTransaction } from '../../../db/database.js';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { getCase, listAutomationCandidateIds } from '../../cases/service.js';
import { runRuleActions } from '../actions.js';
import { loadCaseFacts, matchesConditions, type CaseFacts } from '../conditions.js';
import { recordRuleRun } from '../run-log-store.js';
import { candidateFilterOf } from './rule-input.js';
import type { RunCounts } from './rule-schemas.js';
import {
  actedStates,
  enabledScheduledRows,
  finishRuleRun,
  lockRuleForRun,
  recordActed,
  sameState,
  workspacesWithEnabledRules,
  type CaseState,
  type ScheduledRow,
} from './store.js';

/**
 * One run of scheduled rules: per rule (in position order) the candidate cases SQL narrows down
 * (statuses, time bounds), the full conditions checked on each, and the actions carried out on
 * each matching case in its own transaction. A rule acts on a case once per case state: it acts
 * again only after the case has changed (version or updated_at) since it last acted. Bounded per
 * run; the next run resumes where this one stopped.
 */

/** At most this many cases acted on per rule and run; the rest next run. */
export const MAX_ACTS_PER_RUN = 1_000;
/** At most this many candidates examined per rule and run (matching or not). */
export const MAX_EXAMINED_PER_RUN = 20_000;
const PAGE = 200;

export interface RunOptions {
  now?: Date;
  maxActs?: number;
  maxExamined?: number;
  /** The job runs enabled rules only; "run now" (an admin's explicit request) also runs a disabled one. */
  requireEnabled?: boolean;
}

export const schedulerActor = (workspaceId: string): Actor => systemActor(workspaceId, 'scheduled automation');

const stateOf = (facts: Pick<CaseFacts, 'version' | 'updatedAt'>): CaseState => ({ version: facts.version, updatedAt: facts.updatedAt });

type CaseOutcome = 'acted' | 'failed' | 'already' | 'skipped' | 'stopped';

/** Re-checks and acts on one case under the rule's row lock, so two runs never both act. */
async function actOnCase(
  ctx: AppContext,
  actor: Actor,
  rule: ScheduledRow,
  caseId: string,
  now: Date,
  requireEnabled: boolean,
): Promise<CaseOutcome> {
  return inTransaction(ctx.db, async (tx) => {
    const current = await lockRuleForRun(tx, actor, rule.id, rule.version, requireEnabled);
    if (!current) return 'stopped';
    const facts = (await loadCaseFacts(tx, actor, [caseId])).get(caseId);
    if (!facts || facts.status === 'closed' || !matchesConditions(facts, current.conditions, now)) return 'skipped';
    if (sameState((await actedStates(tx, actor, rule.id, [caseId])).get(caseId), stateOf(facts))) return 'already';
    const results = await runRuleActions(ctx, tx, actor, caseId, current.actions, {
      kind: 'automation',
      ruleId: current.id,
      ruleName: current.name,
      depth: 0,
    });
    const after = await getCase(tx, actor, caseId);
    await recordActed(tx, actor, rule.id, caseId, stateOf({ version: after.version, updatedAt: new Date(after.updated_at) }));
    await recordRuleRun(tx, actor, { kind: 'automation', ruleId: current.id, ruleName: current.name, caseId, outcome: 'applied', results });
    return results.some((r) => r.ok) || results.length === 0 ? 'acted' : 'failed';
  });
}

/** Runs one rule over its workspace's cases; returns what it did. */
export async function runScheduledRule(ctx: AppContext, rule: ScheduledRow, options: RunOptions = {}): Promise<RunCounts> {
  const now = options.now ?? new Date();
  const maxActs = options.maxActs ?? MAX_ACTS_PER_RUN;
  const maxExamined = options.maxExamined ?? MAX_EXAMINED_PER_RUN;
  const requireEnabled = options.requireEnabled ?? true;
  const actor = schedulerActor(rule.workspace_id);
  const filter = candidateFilterOf(rule.conditions, now);
  const counts: RunCounts = { examined: 0, matched: 0, acted: 0, already_acted: 0, failed: 0, more: false };
  let afterId: string | undefined = rule.resume_after_case_id ?? undefined;
  let resumeAfter: string | null = null;
  let stopped = false;

  scan: for (;;) {
    const ids = await listAutomationCandidateIds(ctx.db, actor, { ...filter, afterId, limit: PAGE });
    if (ids.length === 0) break;
    const facts = await loadCaseFacts(ctx.db, actor, ids);
    const acted = await actedStates(ctx.db, actor, rule.id, ids);
    for (const id of ids) {
      counts.examined++;
      const fact = facts.get(id);
      if (fact && matchesConditions(fact, rule.conditions, now)) {
        counts.matched++;
        if (sameState(acted.get(id), stateOf(fact))) {
          counts.already_acted++;
        } else {
          const outcome = await actOnCase(ctx, actor, rule, id, now, requireEnabled).catch((error: unknown) => {
            ctx.logger.warn({ err: error, ruleId: rule.id, caseId: id }, 'scheduled automation failed on a case');
            return 'failed' as const;
          });
          if (outcome === 'stopped') {
            stopped = true;
            break scan;
          }
          if (outcome === 'acted') counts.acted++;
          if (outcome === 'failed') counts.failed++;
          if (outcome === 'already') counts.already_acted++;
        }
      }
      if (counts.acted + counts.failed >= maxActs || counts.examined >= maxExamined) {
        counts.more = true;
        resumeAfter = id;
        break scan;
      }
    }
    if (ids.length < PAGE) break;
    afterId = ids.at(-1);
  }
  // A rule edited or disabled mid-run keeps its fresh state (the edit reset the resume point).
  if (!stopped) await finishRuleRun(ctx.db, actor, rule.id, now, resumeAfter);
  return counts;
}

/** Every enabled rule of one workspace, in position order. */
export async function runWorkspaceAutomations(
  ctx: AppContext,
  workspaceId: string,
  options: RunOptions = {},
): Promise<Map<string, RunCounts>> {
  const actor = schedulerActor(workspaceId);
  const results = new Map<string, RunCounts>();
  for (const rule of await enabledScheduledRows(ctx.db, actor)) {
    results.set(rule.id, await runScheduledRule(ctx, rule, { ...options, requireEnabled: true }));
  }
  return results;
}

/** The recurring job's pass: every workspace with enabled rules. Returns how many cases were acted on. */
export async function runScheduledAutomations(ctx: AppContext, options: RunOptions = {}): Promise<number> {
  const now = options.now ?? new Date();
  let acted = 0;
  for (const workspaceId of await workspacesWithEnabledRules(ctx.db)) {
    try {
      for (const counts of (await runWorkspaceAutomations(ctx, workspaceId, { ...options, now })).values()) acted += counts.acted;
    } catch (error) {
      // One workspace's trouble (a rule the engine cannot read) must not hold up the others.
      ctx.logger.warn({ err: error, workspaceId }, 'scheduled automations of a workspace failed');
    }
  }
  return acted;
}
