import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import type { CaseView } from '../cases/service.js';
import { getCustomer } from '../customers/service.js';
import type { BusinessSchedule } from './business-hours.js';
import type { CaseClocks } from './clock-engine.js';
import { updateClock } from './clock-store.js';
import { enabledPolicies, type PolicyRow } from './policy-store.js';
import { findScheduleForClock, teamScheduleId } from './schedule-store.js';
import { scheduleOfRow } from './schedule-views.js';
import { SLA_METRICS, type AppliedPolicy, type ScheduleSource, type SlaMetric } from './schema.js';

/** Choosing a case's SLA policy (the first enabled match in position order) and applying it to its clocks. */

export interface CaseFacts {
  id: string;
  createdAt: Date;
  priority: string;
  category: string;
  teamId: string | null;
  channel: string;
  customerId: string;
  /** The case's own tags (lower-case). */
  tags: readonly string[];
}

/** What a policy may ask of the case's customer. */
export interface CustomerFacts {
  tags: readonly string[];
  tier: string | null;
}

export const caseFactsOf = (kase: CaseView): CaseFacts => ({
  id: kase.id,
  createdAt: new Date(kase.created_at),
  priority: kase.priority,
  category: kase.category,
  teamId: kase.team_id,
  channel: kase.channel,
  customerId: kase.customer.id,
  tags: kase.tags.map((t) => t.toLowerCase()),
});

const FINISHED = new Set(['solved', 'closed']);

export function policyMatches(policy: Pick<PolicyRow, 'conditions'>, facts: CaseFacts, customer: CustomerFacts): boolean {
  const c = policy.conditions;
  if (c.priority && !c.priority.includes(facts.priority)) return false;
  if (c.category && !c.category.includes(facts.category)) return false;
  if (c.channel && !c.channel.includes(facts.channel)) return false;
  if (c.team_ids && (facts.teamId === null || !c.team_ids.includes(facts.teamId))) return false;
  if (c.case_tags && !c.case_tags.some((tag) => facts.tags.includes(tag))) return false;
  if (c.customer_tags && !c.customer_tags.some((tag) => customer.tags.includes(tag))) return false;
  if (c.customer_tiers && (customer.tier === null || !c.customer_tiers.includes(customer.tier))) return false;
  return true;
}

const NO_CUSTOMER_FACTS: CustomerFacts = { tags: [], tier: null };

/** The first enabled policy matching the case; the customer is read only when a policy asks about it. */
export async function choosePolicy(tx: Db, actor: Actor, facts: CaseFacts): Promise<PolicyRow | null> {
  const policies = await enabledPolicies(tx, actor.workspaceId);
  let customer: CustomerFacts | undefined;
  for (const policy of policies) {
    if ((policy.conditions.customer_tags || policy.conditions.customer_tiers) && customer === undefined) {
      const view = await getCustomer(tx, actor, facts.customerId);
      customer = { tags: view.tags.map((t) => t.toLowerCase()), tier: view.tier };
    }
    if (policyMatches(policy, facts, customer ?? NO_CUSTOMER_FACTS)) return policy;
  }
  return null;
}

/** What a policy's clocks count in: its own schedule, the team's, the workspace default, or 24x7. */
export async function resolveSchedule(
  tx: Db,
  workspaceId: string,
  policy: PolicyRow,
  teamId: string | null,
): Promise<{ schedule: BusinessSchedule | null; source: ScheduleSource }> {
  if (policy.time_basis === 'calendar') return { schedule: null, source: 'calendar' };
  if (policy.schedule_id) {
    const own = await findScheduleForClock(tx, workspaceId, { id: policy.schedule_id });
    if (own) return { schedule: scheduleOfRow(own), source: 'policy' };
  }
  const teamScheduleIdOf = teamId ? await teamScheduleId(tx, workspaceId, teamId) : null;
  if (teamScheduleIdOf) {
    const team = await findScheduleForClock(tx, workspaceId, { id: teamScheduleIdOf });
    if (team) return { schedule: scheduleOfRow(team), source: 'team' };
  }
  const fallback = await findScheduleForClock(tx, workspaceId, 'default');
  return fallback ? { schedule: scheduleOfRow(fallback), source: 'default' } : { schedule: null, source: 'calendar' };
}

export function appliedPolicyOf(policy: PolicyRow): AppliedPolicy {
  const targets: Partial<Record<SlaMetric, number>> = {};
  if (policy.first_reply_minutes) targets.first_reply = policy.first_reply_minutes;
  if (policy.next_reply_minutes) targets.next_reply = policy.next_reply_minutes;
  if (policy.resolution_minutes) targets.resolution = policy.resolution_minutes;
  return {
    name: policy.name,
    time_basis: policy.time_basis,
    warning_minutes: policy.warning_minutes,
    pause_statuses: policy.pause_statuses,
    escalations: policy.escalations,
    targets,
    ...(policy.preset ? { preset: policy.preset } : {}),
  };
}

/** When a metric's clock started: reply and resolution from the case's creation, next reply from the waiting message. */
function startOf(clocks: CaseClocks, metric: SlaMetric, facts: CaseFacts): Date | null {
  const clock = clocks.clock;
  if (FINISHED.has(clock.case_status)) return null;
  switch (metric) {
    case 'first_reply':
      return clock.first_replied_at ? null : facts.createdAt;
    case 'next_reply':
      return clock.awaiting_reply_since;
    case 'resolution':
      return facts.createdAt;
  }
}

/**
 * Applies `policy` (null: none matches) to the case's clocks at `at`. Unchanged policy version
 * and schedule: nothing happens. Otherwise running targets are counted up to `at` in the old
 * schedule and continue in the new one with the new minutes; metrics the new policy lacks are
 * cancelled; metrics it adds start from their natural start (time paused before is not known
 * for them and counts). Returns whether anything changed.
 */
export async function applyPolicy(
  tx: Db,
  clocks: CaseClocks,
  policy: PolicyRow | null,
  facts: CaseFacts,
  at: Date,
  reason: string,
): Promise<boolean> {
  const resolved = policy ? await resolveSchedule(tx, clocks.clock.workspace_id, policy, facts.teamId) : null;
  const clock = clocks.clock;
  const sameSchedule = JSON.stringify(clock.schedule) === JSON.stringify(resolved?.schedule ?? null);
  if ((clock.policy_id ?? null) === (policy?.id ?? null) && clock.policy_version === (policy?.version ?? null) && sameSchedule)
    return false;
  await clocks.checkpointAll(at);
  const applied = policy ? appliedPolicyOf(policy) : null;
  clocks.clock = await updateClock(tx, clock.case_id, {
    policy_id: policy?.id ?? null,
    policy_version: policy?.version ?? null,
    policy: applied ? JSON.stringify(applied) : null,
    schedule: resolved?.schedule ? JSON.stringify(resolved.schedule) : null,
    schedule_source: resolved?.source ?? null,
  });
  const paused = clocks.isPausedStatus(clocks.clock.case_status);
  for (const metric of SLA_METRICS) {
    const minutes = applied?.targets[metric];
    const existing = clocks.target(metric);
    if (!minutes) {
      if (existing) await clocks.cancel(metric, at, policy ? 'policy_changed' : 'no_policy');
      continue;
    }
    if (existing) {
      await clocks.retarget(metric, minutes);
      continue;
    }
    const startedAt = startOf(clocks, metric, facts);
    if (startedAt) await clocks.start(metric, startedAt, at, paused);
  }
  // The new policy may pause in other statuses than the old one.
  if (paused) await clocks.pauseAll(at);
  else await clocks.resumeAll(at);
  if (policy && applied) {
    await clocks.event('applied', at, {
      data: {
        policy_name: policy.name,
        policy_version: policy.version,
        targets: applied.targets,
        time_basis: applied.time_basis,
        schedule_source: resolved?.source ?? 'calendar',
        reason,
      },
    });
  }
  return true;
}
