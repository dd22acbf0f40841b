import type { Db } from '../../../db/database.js';
import { systemActor, type Actor } from '../../../platform/actor.js';
import { AppError } from '../../../platform/errors.js';
import type { DomainEvent, DomainEventListener } from '../../../platform/outbox.js';
import { getTeam } from '../../agents/service.js';
import { getCase, PROACTIVE_TAG, recordCaseChange, updateCaseLocked, type CaseFieldChanges } from '../../cases/service.js';
import { SIGNAL_TAGS, triageReasons, type TriageReason } from './reasons.js';
import { readTriageSettings, type TriageRoute, type TriageSettings, type TriageSignal } from './settings.js';
import { claimTriage, recordTriageSignals } from './triage-store.js';

/**
 * Billing-aware triage (`case.created`): a new case of a customer with a recent failed payment,
 * an open dispute or a recent refund gets the signal's tag, goes to the team/queue the settings
 * name for it, and (failed payment, open dispute) high priority; the case history records
 * `billing_triaged` with the reasons the agent sees as "why". Dispute cases and Baton's own
 * proactive cases are already about billing and stay as they are. Once per case.
 */

/** When several signals name a route, the weightiest wins. */
const ROUTE_ORDER: TriageSignal[] = ['open_dispute', 'failed_payment', 'recent_refund'];
const RAISES_PRIORITY = new Set<TriageSignal>(['failed_payment', 'open_dispute']);

/** The configured route when its team (and queue) still exist: a deleted team must not undo the triage. */
async function usableRoute(tx: Db, actor: Actor, route: TriageRoute | undefined): Promise<TriageRoute | null> {
  if (!route) return null;
  try {
    const team = await getTeam(tx, actor, route.team_id);
    if (route.queue_id !== null && !team.queues.some((q) => q.id === route.queue_id)) return { team_id: team.id, queue_id: null };
    return route;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'not_found') return null;
    throw error;
  }
}

async function routeFor(tx: Db, actor: Actor, settings: TriageSettings, reasons: TriageReason[]): Promise<TriageRoute | null> {
  for (const signal of ROUTE_ORDER) {
    if (!reasons.some((r) => r.signal === signal)) continue;
    const route = await usableRoute(tx, actor, settings.routes[signal]);
    if (route) return route;
  }
  return null;
}

async function triageNewCase(event: DomainEvent, tx: Db): Promise<void> {
  const payload = event.payload as { type?: unknown; tags?: unknown };
  if (payload.type === 'dispute' || (Array.isArray(payload.tags) && payload.tags.includes(PROACTIVE_TAG))) return;
  const settings = await readTriageSettings(tx, event.workspaceId);
  if (!settings.enabled) return;
  if (!(await claimTriage(tx, event.workspaceId, event.aggregateId))) return;

  const actor = systemActor(event.workspaceId, 'billing triage');
  const kase = await getCase(tx, actor, event.aggregateId);
  if (kase.type === 'dispute' || kase.tags.includes(PROACTIVE_TAG) || kase.status === 'closed') return;
  const reasons = await triageReasons(tx, actor, kase.customer.id, settings);
  if (reasons.length === 0) return;

  const changes: CaseFieldChanges = { tags: [...new Set([...kase.tags, ...reasons.map((r) => SIGNAL_TAGS[r.signal])])] };
  if (reasons.some((r) => RAISES_PRIORITY.has(r.signal)) && (kase.priority === 'low' || kase.priority === 'normal'))
    changes.priority = 'high';
  const route = await routeFor(tx, actor, settings, reasons);
  if (route) Object.assign(changes, { teamId: route.team_id, queueId: route.queue_id });
  await updateCaseLocked(tx, actor, kase.id, changes);
  await recordCaseChange(tx, actor, {
    caseId: kase.id,
    type: 'billing_triaged',
    data: { reasons: reasons.map((r) => ({ ...r })), route: route ? { ...route } : null },
  });
  await recordTriageSignals(
    tx,
    event.workspaceId,
    kase.id,
    reasons.map((r) => r.signal),
  );
}

export function billingTriageListener(): DomainEventListener {
  return { name: 'billing.triage', handles: ['case.created'], handle: (event, tx) => triageNewCase(event, tx) };
}
