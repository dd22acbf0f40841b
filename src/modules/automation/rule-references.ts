import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, unprocessable } from '../../platform/errors.js';
import { getAgentsByIds, getTeam } from '../agents/service.js';
import type { RuleAction, RuleConditions } from './rule-schema.js';

/**
 * Every team, queue and agent a rule names (in its conditions and actions) exists in the actor's
 * workspace; else 422 with the field, e.g. `actions[2].team_id`. Shared by triggers and scheduled
 * automations.
 */

async function teamOrNull(db: Db, actor: Actor, teamId: string): Promise<{ queues: { id: string }[] } | null> {
  try {
    return await getTeam(db, actor, teamId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'team.not_found') return null;
    throw error;
  }
}

const unknownTeam = (field: string, teamId: string) =>
  unprocessable('automation.unknown_team', 'This team does not exist in this workspace', {
    field,
    fields: [{ field, problem: 'Unknown team' }],
    team_id: teamId,
  });
const unknownAgent = (field: string, agentId: string) =>
  unprocessable('automation.unknown_agent', 'This agent does not exist in this workspace', {
    field,
    fields: [{ field, problem: 'Unknown agent' }],
    agent_id: agentId,
  });

export async function checkRuleReferences(
  db: Db,
  actor: Actor,
  rule: { conditions?: RuleConditions; actions: RuleAction[] },
  paths: { conditions?: string; actions?: string } = {},
): Promise<void> {
  const teamRefs: { id: string; field: string; queueId?: string | null | undefined }[] = [];
  const agentRefs: { id: string; field: string }[] = [];
  const conditionsPath = paths.conditions ?? 'conditions';
  const actionsPath = paths.actions ?? 'actions';
  for (const group of ['all', 'any'] as const) {
    (rule.conditions?.[group] ?? []).forEach((condition, i) => {
      if (condition.field !== 'team_id' && condition.field !== 'assignee_id') return;
      const values = Array.isArray(condition.value) ? condition.value : [condition.value];
      values.forEach((value, j) => {
        if (typeof value !== 'string') return;
        const field = `${conditionsPath}.${group}[${i}].value${Array.isArray(condition.value) ? `[${j}]` : ''}`;
        (condition.field === 'team_id' ? teamRefs : agentRefs).push({ id: value, field });
      });
    });
  }
  rule.actions.forEach((action, i) => {
    const at = `${actionsPath}[${i}]`;
    if (action.type === 'assign_team') teamRefs.push({ id: action.team_id, field: `${at}.team_id`, queueId: action.queue_id });
    if (action.type === 'assign_agent' && action.agent_id) agentRefs.push({ id: action.agent_id, field: `${at}.agent_id` });
    if (action.type === 'notify') (action.agent_ids ?? []).forEach((id, j) => agentRefs.push({ id, field: `${at}.agent_ids[${j}]` }));
  });
  for (const ref of teamRefs) {
    const team = await teamOrNull(db, actor, ref.id);
    if (!team) throw unknownTeam(ref.field, ref.id);
    if (ref.queueId && !team.queues.some((q) => q.id === ref.queueId)) {
      const field = ref.field.replace(/team_id$/, 'queue_id');
      throw unprocessable('automation.unknown_queue', 'The queue is not one of this team', {
        field,
        fields: [{ field, problem: 'Unknown queue' }],
        queue_id: ref.queueId,
      });
    }
  }
  if (agentRefs.length > 0) {
    const agents = await getAgentsByIds(db, actor, [...new Set(agentRefs.map((r) => r.id))]);
    const missing = agentRefs.find((ref) => !agents.has(ref.id));
    if (missing) throw unknownAgent(missing.field, missing.id);
  }
}
