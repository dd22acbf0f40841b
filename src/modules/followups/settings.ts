import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { validationError } from '../../platform/errors.js';
import { unknownCasePlaceholders } from '../macros/service.js';
import { appliedSlaPolicyId, getPolicy } from '../sla/service.js';
import { builtInText } from './render.js';
import { deleteSettings, findSettingsFor, listSettingsRows, upsertSettings, type SettingsFields } from './settings-store.js';
import { EMPTY_SETTINGS, settingsView, type SettingsList, type SettingsView } from './views.js';

/**
 * Follow-up settings: a workspace default and an override per SLA policy. An override replaces
 * the default as a whole for cases under that policy (null days: that step is off there).
 */

const resource = (actor: Actor) => ({ workspaceId: workspaceScope(actor), type: 'followup_settings' });

export interface SettingsInput {
  pending_reminder_after_days: number | null;
  pending_solve_after_days: number | null;
  checkin_after_days: number | null;
  reminder_body?: string | null | undefined;
  checkin_body?: string | null | undefined;
}

function fieldsOf(input: SettingsInput): SettingsFields {
  const days = {
    pending_reminder_after_days: input.pending_reminder_after_days,
    pending_solve_after_days: input.pending_solve_after_days,
    checkin_after_days: input.checkin_after_days,
  };
  for (const [field, value] of Object.entries(days)) {
    if (value !== null && (!Number.isInteger(value) || value < 1 || value > 365)) {
      throw validationError('followup.days_out_of_range', 'Days must be a whole number from 1 to 365, or null for off', { field });
    }
  }
  if (days.pending_solve_after_days !== null && days.pending_reminder_after_days === null) {
    throw validationError('followup.solve_needs_reminder', 'Auto-solve follows the reminder: set pending_reminder_after_days too', {
      field: 'pending_solve_after_days',
    });
  }
  const body = (field: 'reminder_body' | 'checkin_body') => {
    const value = input[field]?.trim() ?? '';
    if (value === '') return null;
    const unknown = unknownCasePlaceholders(value);
    if (unknown.length > 0) {
      throw validationError('followup.unknown_placeholder', `Unknown placeholder ${unknown.map((u) => `{{${u}}}`).join(', ')}`, {
        field,
        placeholders: unknown,
      });
    }
    return value;
  };
  return { ...days, reminder_body: body('reminder_body'), checkin_body: body('checkin_body') };
}

export async function listFollowupSettings(db: Db, actor: Actor): Promise<SettingsList> {
  authorize(actor, 'sla.read', resource(actor));
  const rows = await listSettingsRows(db, actor);
  return {
    default: settingsView(
      rows.find((r) => r.sla_policy_id === null),
      null,
    ),
    policies: rows.filter((r) => r.sla_policy_id !== null).map((r) => settingsView(r, r.sla_policy_id)),
    built_in: {
      reminder_body: { en: builtInText('reminder', 'en'), de: builtInText('reminder', 'de') },
      checkin_body: { en: builtInText('checkin', 'en'), de: builtInText('checkin', 'de') },
    },
  };
}

export async function putDefaultFollowupSettings(db: Db, actor: Actor, input: SettingsInput): Promise<SettingsView> {
  authorize(actor, 'sla.manage', resource(actor));
  return settingsView(await upsertSettings(db, actor, null, fieldsOf(input)), null);
}

export async function putPolicyFollowupSettings(db: Db, actor: Actor, policyId: string, input: SettingsInput): Promise<SettingsView> {
  authorize(actor, 'sla.manage', resource(actor));
  const policy = await getPolicy(db, actor, policyId);
  return settingsView(await upsertSettings(db, actor, policy.id, fieldsOf(input)), policy.id);
}

export async function deletePolicyFollowupSettings(db: Db, actor: Actor, policyId: string): Promise<void> {
  authorize(actor, 'sla.manage', resource(actor));
  const policy = await getPolicy(db, actor, policyId);
  await deleteSettings(db, actor, policy.id);
}

export interface EffectiveSettings extends SettingsFields {
  policyId: string | null;
}

/** What applies to a case now: its SLA policy's override, else the workspace default, else all off. */
export async function effectiveSettings(tx: Db, actor: Actor, caseId: string): Promise<EffectiveSettings> {
  const policyId = await appliedSlaPolicyId(tx, actor, caseId);
  const row = await findSettingsFor(tx, actor, policyId);
  const fields = row ?? EMPTY_SETTINGS;
  return {
    policyId,
    pending_reminder_after_days: fields.pending_reminder_after_days,
    pending_solve_after_days: fields.pending_solve_after_days,
    checkin_after_days: fields.checkin_after_days,
    reminder_body: fields.reminder_body,
    checkin_body: fields.checkin_body,
  };
}
