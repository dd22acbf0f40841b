import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import { systemActor } from '../../platform/actor.js';
import type { DomainEvent, DomainEventListener } from '../../platform/outbox.js';
import { runRuleActions, type RuleOrigin } from './actions.js';
import { loadCaseFacts, matchesConditions, type CaseFacts } from './conditions.js';
import type { RuleAction } from './rule-schema.js';
import { recordRuleRun, rulesRunForRoot } from './run-log-store.js';
import { mapTriggerEvent, TRIGGER_HANDLED_EVENTS, triggerTypeOf } from './trigger-events.js';
import { enabledTriggersFor } from './trigger-store.js';

/**
 * Runs triggers on case events, inside the outbox relay's transaction (so what they change and
 * queue commits together with the event being marked handled).
 *
 * Per event: the case facts are loaded once, enabled triggers for the event are evaluated in
 * position order, and the actions of each matching one run; the facts are loaded again after a
 * trigger acted, so later triggers see its changes.
 *
 * Loop rules: a trigger's changes carry it as their origin (depth, root event). Every trigger runs
 * at most once per root event (the person's or Baton's change a chain started from), so it never
 * fires on an event its own actions caused; and a chain of trigger-caused events stops at depth
 * MAX_TRIGGER_DEPTH: a trigger matching deeper is logged as skipped (`loop_limit`), not run; one
 * matching again on a trigger-caused event of a root it already ran for is logged `already_ran`.
 */

export const MAX_TRIGGER_DEPTH = 3;

interface EventOrigin {
  depth: number;
  rootKey: string | null;
}

function originOf(event: DomainEvent): EventOrigin | null {
  const origin = event.payload.origin as { depth?: unknown; root_key?: unknown } | undefined;
  if (!origin || typeof origin !== 'object') return null;
  return {
    depth: typeof origin.depth === 'number' ? origin.depth : 0,
    rootKey: typeof origin.root_key === 'string' ? origin.root_key : null,
  };
}

/**
 * Events written in one transaction share their time (PostgreSQL's now()): a person's change of
 * priority and tags together is one root, so a trigger runs once for it, not once per field.
 */
const transactionRoot = (caseId: string, event: DomainEvent) => `case:${caseId}@${event.occurredAt.toISOString()}`;

export async function handleTriggerEvent(ctx: AppContext, tx: Db, event: DomainEvent): Promise<void> {
  const actor = systemActor(event.workspaceId, 'triggers');
  const type = triggerTypeOf(event);
  if (!type) return;
  const triggers = await enabledTriggersFor(tx, event.workspaceId, type);
  if (triggers.length === 0) return;
  const mapped = await mapTriggerEvent(tx, actor, event);
  if (!mapped) return;
  let facts: CaseFacts | undefined = (await loadCaseFacts(tx, actor, [mapped.caseId])).get(mapped.caseId);
  if (!facts || facts.status === 'closed') return;
  // A customer's first message is the case's creation, not a reply.
  if (mapped.customerMessage && facts.createdAt.getTime() === event.occurredAt.getTime()) return;

  const origin = originOf(event);
  const depth = origin ? origin.depth + 1 : 0;
  const rootKey = origin?.rootKey ?? transactionRoot(mapped.caseId, event);
  const ran = await rulesRunForRoot(tx, event.workspaceId, rootKey);
  const now = new Date();

  for (const trigger of triggers) {
    if (!matchesConditions(facts, trigger.conditions, now, mapped.facts)) continue;
    const run = {
      kind: 'trigger' as const,
      ruleId: trigger.id,
      ruleName: trigger.name,
      caseId: mapped.caseId,
      eventId: event.id,
      eventType: mapped.type,
      rootKey,
      depth,
    };
    if (ran.has(trigger.id)) {
      // Matching again on an event a trigger caused: the loop stops here, and the log says so.
      if (origin) await recordRuleRun(tx, actor, { ...run, outcome: 'skipped', skipReason: 'already_ran' });
      continue;
    }
    ran.add(trigger.id);
    if (depth >= MAX_TRIGGER_DEPTH) {
      await recordRuleRun(tx, actor, { ...run, outcome: 'skipped', skipReason: 'loop_limit' });
      continue;
    }
    const ruleOrigin: RuleOrigin = {
      kind: 'trigger',
      ruleId: trigger.id,
      ruleName: trigger.name,
      depth,
      rootKey,
      event: { id: event.id, type: mapped.type },
    };
    const results = await runRuleActions(ctx, tx, actor, mapped.caseId, trigger.actions as RuleAction[], ruleOrigin);
    await recordRuleRun(tx, actor, { ...run, outcome: 'applied', results });
    facts = (await loadCaseFacts(tx, actor, [mapped.caseId])).get(mapped.caseId);
    if (!facts || facts.status === 'closed') return;
  }
}

export function triggerListener(ctx: AppContext): DomainEventListener {
  return { name: 'automation.triggers', handles: TRIGGER_HANDLED_EVENTS, handle: (event, tx) => handleTriggerEvent(ctx, tx, event) };
}
