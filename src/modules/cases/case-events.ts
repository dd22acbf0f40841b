import { sql } from 'kysely';
import type { Db } from '../../db/database.js';
import { actorRef, type Actor } from '../../platform/actor.js';
import { forgetSharedReads } from '../../platform/batch-reads.js';
import { recordDomainEvents } from '../../platform/outbox.js';
import type { JsonObject } from '../../platform/schema.js';
import { SHARED_CASE_READS } from './store.js';

export interface CaseChange {
  caseId: string;
  type: string;
  data?: JsonObject;
  /** Who made this change when several people's changes are recorded together; else the call's actor. */
  actor?: Actor;
}

/**
 * Records one change to a case: an append-only case event (the case history the agent sees) and
 * the matching domain event `case.<type>` in the outbox, both in the caller's transaction.
 * Every code path that changes a case calls this (or recordCaseChanges); nothing else writes
 * case_events.
 */
export async function recordCaseChange(tx: Db, actor: Actor, change: CaseChange): Promise<void> {
  await recordCaseChanges(tx, actor, [change]);
}

/** Several changes, in this order, written in one statement (history rows and domain events). */
export async function recordCaseChanges(tx: Db, actor: Actor, changes: CaseChange[]): Promise<void> {
  if (changes.length === 0) return;
  // A change made by an automation rule names the rule (loop protection, history).
  const withData = changes.map((change) => {
    const by = change.actor ?? actor;
    return { ...change, by, data: by.kind === 'system' && by.origin ? { ...change.data, origin: by.origin } : (change.data ?? {}) };
  });
  const history = sql`insert into case_events (workspace_id, case_id, type, actor_type, actor_id, data) values ${sql.join(
    withData.map((change) => {
      const ref = actorRef(change.by);
      return sql`(${change.by.workspaceId}, ${change.caseId}, ${change.type}, ${ref.actor_type}, ${ref.actor_id}::uuid, ${JSON.stringify(change.data)}::jsonb)`;
    }),
  )}`;
  await recordDomainEvents(
    tx,
    actor,
    withData.map((change) => ({
      type: `case.${change.type}`,
      aggregateType: 'case',
      aggregateId: change.caseId,
      payload: change.data,
      actor: change.by,
    })),
    history,
  );
  // Every change to a case passes here: what listeners of a relay batch read of it is stale.
  forgetSharedReads(tx, SHARED_CASE_READS);
}
