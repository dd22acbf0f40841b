import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { AppError, unprocessable, validationError } from '../../platform/errors.js';
import { getAgentsByIds, getTeam } from '../agents/service.js';
import type { CreatePolicyInput } from './policy-schemas.js';
import type { PolicyFields } from './policy-store.js';
import { findScheduleForClock } from './schedule-store.js';
import { DEFAULT_PAUSE_STATUSES, type EscalationAction, type Escalations, type PolicyConditions } from './schema.js';

/**
 * Checks a policy beyond its schema: what a JSON schema cannot say (at least one target, a
 * schedule only with business time, a recipient for every notification) is a 400; references to
 * teams, queues, agents or business hours that do not exist in the workspace are a 422.
 */

const bad = (code: string, message: string, field: string) => validationError(code, message, { fields: [{ field, problem: message }] });

function normalizeConditions(conditions: PolicyConditions | undefined): PolicyConditions {
  const out: PolicyConditions = {};
  if (!conditions) return out;
  if (conditions.priority) out.priority = conditions.priority;
  if (conditions.category) out.category = conditions.category;
  if (conditions.team_ids) out.team_ids = conditions.team_ids.map((id) => id.toLowerCase());
  if (conditions.channel) out.channel = conditions.channel;
  if (conditions.customer_tags) out.customer_tags = [...new Set(conditions.customer_tags.map((t) => t.trim().toLowerCase()))];
  if (conditions.customer_tiers) out.customer_tiers = [...new Set(conditions.customer_tiers.map((t) => t.trim().toLowerCase()))];
  if (conditions.case_tags) out.case_tags = [...new Set(conditions.case_tags.map((t) => t.trim().toLowerCase()))];
  return out;
}

function checkAction(action: EscalationAction, field: string): EscalationAction {
  switch (action.type) {
    case 'notify':
      if (!action.assignee && !(action.agent_ids?.length ?? 0) && !(action.roles?.length ?? 0)) {
        throw bad('sla.notify_without_recipients', 'A notify action needs agent_ids, roles or assignee: true', field);
      }
      return action;
    case 'reassign':
      if (!action.team_id && !action.agent_id)
        throw bad('sla.reassign_without_target', 'A reassign action needs team_id or agent_id', field);
      if (action.queue_id && !action.team_id)
        throw bad('sla.queue_without_team', 'A reassign action naming a queue also names its team', `${field}.queue_id`);
      return action;
    default:
      return action;
  }
}

/** The stored fields of a policy from a create body (or a patch merged onto the current policy). */
export function policyFieldsOf(input: CreatePolicyInput): PolicyFields {
  const targets = input.targets;
  const fields: PolicyFields = {
    name: input.name.trim(),
    description: input.description ?? '',
    enabled: input.enabled ?? true,
    conditions: normalizeConditions(input.conditions as PolicyConditions | undefined),
    first_reply_minutes: targets.first_reply_minutes ?? null,
    next_reply_minutes: targets.next_reply_minutes ?? null,
    resolution_minutes: targets.resolution_minutes ?? null,
    time_basis: input.time_basis,
    schedule_id: input.schedule_id ?? null,
    pause_statuses: input.pause_statuses ?? [...DEFAULT_PAUSE_STATUSES],
    warning_minutes: input.warning_minutes ?? 60,
    escalations: {
      warning: (input.escalations?.warning ?? []).map((a, i) => checkAction(a as EscalationAction, `escalations.warning[${i}]`)),
      breach: (input.escalations?.breach ?? []).map((a, i) => checkAction(a as EscalationAction, `escalations.breach[${i}]`)),
    },
  };
  if (fields.first_reply_minutes === null && fields.next_reply_minutes === null && fields.resolution_minutes === null) {
    throw bad(
      'sla.no_targets',
      'A policy needs at least one target: first_reply_minutes, next_reply_minutes or resolution_minutes',
      'targets',
    );
  }
  if (fields.time_basis === 'calendar' && fields.schedule_id !== null) {
    throw bad(
      'sla.schedule_needs_business_time',
      'Business hours only apply with time_basis "business"; calendar time is 24x7',
      'schedule_id',
    );
  }
  return fields;
}

async function teamExists(db: Db, actor: Actor, teamId: string): Promise<{ queues: { id: string }[] } | null> {
  try {
    return await getTeam(db, actor, teamId);
  } catch (error) {
    if (error instanceof AppError && error.code === 'team.not_found') return null;
    throw error;
  }
}

function actionsOf(escalations: Escalations): { action: EscalationAction; field: string }[] {
  return [
    ...escalations.warning.map((action, i) => ({ action, field: `escalations.warning[${i}]` })),
    ...escalations.breach.map((action, i) => ({ action, field: `escalations.breach[${i}]` })),
  ];
}

/** Every team, queue, agent and schedule the policy names exists in the actor's workspace (else 422). */
export async function checkPolicyReferences(db: Db, actor: Actor, fields: PolicyFields): Promise<void> {
  for (const teamId of fields.conditions.team_ids ?? []) {
    if (!(await teamExists(db, actor, teamId))) {
      throw unprocessable('sla.unknown_team', 'A team in the conditions does not exist in this workspace', {
        field: 'conditions.team_ids',
        team_id: teamId,
      });
    }
  }
  if (fields.schedule_id && !(await findScheduleForClock(db, actor.workspaceId, { id: fields.schedule_id }))) {
    throw unprocessable('sla.unknown_business_hours', 'These business hours do not exist in this workspace', {
      field: 'schedule_id',
      schedule_id: fields.schedule_id,
    });
  }
  const actions = actionsOf(fields.escalations);
  const agentIds = new Set<string>();
  for (const { action } of actions) {
    if (action.type === 'notify') for (const id of action.agent_ids ?? []) agentIds.add(id);
    if ((action.type === 'reassign' || action.type === 'add_follower') && action.agent_id) agentIds.add(action.agent_id);
  }
  const agents = agentIds.size > 0 ? await getAgentsByIds(db, actor, [...agentIds]) : new Map<string, unknown>();
  for (const { action, field } of actions) {
    const missingAgent = (id: string | null | undefined, at: string) => {
      if (id && !agents.has(id)) {
        throw unprocessable('sla.unknown_agent', 'An agent named in the escalations does not exist in this workspace', {
          field: at,
          agent_id: id,
        });
      }
    };
    if (action.type === 'notify') (action.agent_ids ?? []).forEach((id, i) => missingAgent(id, `${field}.agent_ids[${i}]`));
    if (action.type === 'add_follower') missingAgent(action.agent_id, `${field}.agent_id`);
    if (action.type === 'reassign') {
      missingAgent(action.agent_id, `${field}.agent_id`);
      if (action.team_id) {
        const team = await teamExists(db, actor, action.team_id);
        if (!team) {
          throw unprocessable('sla.unknown_team', 'A team named in the escalations does not exist in this workspace', {
            field: `${field}.team_id`,
            team_id: action.team_id,
          });
        }
        if (action.queue_id && !team.queues.some((q) => q.id === action.queue_id)) {
          throw unprocessable('sla.unknown_queue', 'The queue is not one of this team', {
            field: `${field}.queue_id`,
            queue_id: action.queue_id,
          });
        }
      }
    }
  }
}
