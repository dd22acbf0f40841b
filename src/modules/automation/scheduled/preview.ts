import type { AppContext } from '../../../context.js';
import type { Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize, workspaceScope } from '../../../platform/authorization.js';
import { listAutomationCandidateIds } from '../../cases/service.js';
import { loadCaseFacts, matchesConditions } from '../conditions.js';
import { candidateFilterOf } from './rule-input.js';
import type { PreviewView, RunCounts } from './rule-schemas.js';
import { runScheduledRule } from './run.js';
import { actedStates, getScheduledRow, sameState } from './store.js';

/** "Preview matches" (which cases the rule matches now; changes nothing) and "Run now" (admin). */

export const PREVIEW_LIMIT = 50;
const PREVIEW_EXAMINED = 5_000;
const PAGE = 200;

export async function previewScheduled(db: Db, actor: Actor, id: string, now = new Date()): Promise<PreviewView> {
  const rule = await getScheduledRow(db, actor, id, 'automation.read');
  authorize(actor, 'case.read', { workspaceId: workspaceScope(actor), type: 'case' });
  const filter = candidateFilterOf(rule.conditions, now);
  const data: PreviewView['data'] = [];
  let examined = 0;
  let afterId: string | undefined;
  let truncated = false;
  scan: for (;;) {
    const ids = await listAutomationCandidateIds(db, actor, { ...filter, afterId, limit: PAGE });
    if (ids.length === 0) break;
    const facts = await loadCaseFacts(db, actor, ids);
    const acted = await actedStates(db, actor, rule.id, ids);
    for (const caseId of ids) {
      examined++;
      const fact = facts.get(caseId);
      if (fact && matchesConditions(fact, rule.conditions, now)) {
        if (data.length === PREVIEW_LIMIT) {
          truncated = true;
          break scan;
        }
        data.push({
          id: fact.caseId,
          number: fact.number,
          subject: fact.subject,
          status: fact.status,
          priority: fact.priority,
          updated_at: fact.updatedAt.toISOString(),
          already_acted: sameState(acted.get(caseId), { version: fact.version, updatedAt: fact.updatedAt }),
        });
      }
      if (examined >= PREVIEW_EXAMINED) {
        truncated = true;
        break scan;
      }
    }
    if (ids.length < PAGE) break;
    afterId = ids.at(-1);
  }
  return { data, examined, truncated };
}

/** Runs one rule now, even a disabled one (an admin trying it out), with the job's bounds. */
export async function runScheduledNow(ctx: AppContext, actor: Actor, id: string): Promise<RunCounts> {
  const rule = await getScheduledRow(ctx.db, actor, id, 'automation.manage');
  const counts = await runScheduledRule(ctx, rule, { requireEnabled: false });
  await recordAudit(ctx.db, actor, {
    action: 'automation.scheduled_run',
    targetType: 'automation',
    targetId: rule.id,
    details: { acted: counts.acted, failed: counts.failed, matched: counts.matched },
  });
  return counts;
}
