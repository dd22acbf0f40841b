import type { Db } from '../../db/database.js';
import { actorRef, type Actor } from '../../platform/actor.js';
import { recordDomainEvent } from '../../platform/outbox.js';
import type { JsonObject } from '../../platform/schema.js';

/**
 * Records one change to a case: an append-only case event (the case history the agent sees) and
 * the matching domain event `case.<type>` in the outbox, both in the caller's transaction.
 * Every code path that changes a case calls this; nothing else writes case_events.
 */
export async function recordCaseChange(tx: Db, actor: Actor, change: { caseId: string; type: string; data?: JsonObject }): Promise<void> {
  const ref = actorRef(actor);
  // A change made by an automation rule names the rule (loop protection, history).
  const data = actor.kind === 'system' && actor.origin ? { ...change.data, origin: actor.origin } : (change.data ?? {});
  await tx
    .insertInto('case_events')
    .values({
      workspace_id: actor.workspaceId,
      case_id: change.caseId,
      type: change.type,
      actor_type: ref.actor_type,
      actor_id: ref.actor_id,
      data: JSON.stringify(data),
    })
    .execute();
  await recordDomainEvent(tx, actor, {
    type: `case.${change.type}`,
    aggregateType: 'case',
    aggregateId: change.caseId,
    payload: data,
  });
}
