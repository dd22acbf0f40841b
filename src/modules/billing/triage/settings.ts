import { inTransaction, type Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize, workspaceScope } from '../../../platform/authorization.js';
import { readShared } from '../../../platform/batch-reads.js';
import { AppError, unprocessable } from '../../../platform/errors.js';
import { getTeam } from '../../agents/service.js';
import { selectSettingsColumn, upsertSettingsColumn } from '../outreach/settings-store.js';

/**
 * Billing-aware triage settings (billing_settings.triage): on by default, how far back a failed
 * payment or a refund counts, and where a case with each signal goes (team, optionally a queue
 * of that team; no route: the case stays where it was routed).
 */
export const TRIAGE_SIGNALS = ['failed_payment', 'open_dispute', 'recent_refund'] as const;
export type TriageSignal = (typeof TRIAGE_SIGNALS)[number];

export interface TriageRoute {
  team_id: string;
  queue_id: string | null;
}

export interface TriageSettings {
  enabled: boolean;
  failed_payment_days: number;
  refund_days: number;
  routes: Partial<Record<TriageSignal, TriageRoute>>;
}

export const DEFAULT_TRIAGE: TriageSettings = { enabled: true, failed_payment_days: 30, refund_days: 30, routes: {} };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const days = (value: unknown, fallback: number) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 1 && value <= 365 ? value : fallback;

/** Stored settings may be partial or stale: anything unusable falls back to the default. */
export function parseTriageSettings(raw: unknown): TriageSettings {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  const rawRoutes = typeof value.routes === 'object' && value.routes !== null ? (value.routes as Record<string, unknown>) : {};
  const routes: TriageSettings['routes'] = {};
  for (const signal of TRIAGE_SIGNALS) {
    const route = rawRoutes[signal] as { team_id?: unknown; queue_id?: unknown } | undefined;
    if (!route || typeof route.team_id !== 'string' || !UUID.test(route.team_id)) continue;
    routes[signal] = {
      team_id: route.team_id,
      queue_id: typeof route.queue_id === 'string' && UUID.test(route.queue_id) ? route.queue_id : null,
    };
  }
  return {
    enabled: typeof value.enabled === 'boolean' ? value.enabled : DEFAULT_TRIAGE.enabled,
    failed_payment_days: days(value.failed_payment_days, DEFAULT_TRIAGE.failed_payment_days),
    refund_days: days(value.refund_days, DEFAULT_TRIAGE.refund_days),
    routes,
  };
}

/**
 * For the listener (Baton itself): no permission check. Read once per outbox relay batch: the
 * settings change only through the admin API, in transactions of their own.
 */
export async function readTriageSettings(db: Db, workspaceId: string): Promise<TriageSettings> {
  return readShared(db, `billing-triage-settings:${workspaceId}`, async () =>
    parseTriageSettings(await selectSettingsColumn(db, workspaceId, 'triage')),
  );
}

export async function getTriageSettings(db: Db, actor: Actor): Promise<TriageSettings> {
  authorize(actor, 'billing.manage', { workspaceId: workspaceScope(actor), type: 'billing_settings' });
  return readTriageSettings(db, workspaceScope(actor));
}

export interface TriageSettingsInput {
  enabled: boolean;
  failed_payment_days: number;
  refund_days: number;
  routes: Partial<Record<TriageSignal, { team_id: string; queue_id?: string | null | undefined }>>;
}

/** Each route's team must be one of this workspace's, and its queue one of that team's. */
async function assertRoutes(db: Db, actor: Actor, routes: TriageSettingsInput['routes']): Promise<TriageSettings['routes']> {
  const checked: TriageSettings['routes'] = {};
  for (const signal of TRIAGE_SIGNALS) {
    const route = routes[signal];
    if (!route) continue;
    const team = await getTeam(db, actor, route.team_id).catch((error: unknown) => {
      if (error instanceof AppError && error.kind === 'not_found') return null;
      throw error;
    });
    if (!team) {
      throw unprocessable('billing.triage_unknown_team', 'This team does not exist in the workspace', {
        field: `routes.${signal}.team_id`,
        team_id: route.team_id,
      });
    }
    const queueId = route.queue_id ?? null;
    if (queueId !== null && !team.queues.some((q) => q.id === queueId)) {
      throw unprocessable('billing.triage_unknown_queue', 'This queue does not belong to the chosen team', {
        field: `routes.${signal}.queue_id`,
        queue_id: queueId,
      });
    }
    checked[signal] = { team_id: team.id, queue_id: queueId };
  }
  return checked;
}

/** Replaces the triage settings (admin, audited). */
export async function updateTriageSettings(db: Db, actor: Actor, input: TriageSettingsInput): Promise<TriageSettings> {
  authorize(actor, 'billing.manage', { workspaceId: workspaceScope(actor), type: 'billing_settings' });
  return inTransaction(db, async (tx) => {
    const settings: TriageSettings = {
      enabled: input.enabled,
      failed_payment_days: input.failed_payment_days,
      refund_days: input.refund_days,
      routes: await assertRoutes(tx, actor, input.routes),
    };
    await upsertSettingsColumn(tx, workspaceScope(actor), 'triage', { ...settings });
    await recordAudit(tx, actor, {
      action: 'billing.triage_settings_updated',
      targetType: 'workspace',
      targetId: workspaceScope(actor),
      details: { ...settings },
    });
    return settings;
  });
}
