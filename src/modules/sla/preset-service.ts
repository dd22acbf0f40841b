import { inTransaction, type Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { AppError, notFound, unprocessable, validationError } from '../../platform/errors.js';
import { policyView } from './policies.js';
import { policyFieldsOf } from './policy-input.js';
import type { CreatePolicyInput } from './policy-schemas.js';
import { policyNameTaken, policyResource, type PolicyFields, type PolicyRow } from './policy-store.js';
import type { EnablePresetInput, PresetPolicyView, PresetView } from './preset-views.js';
import { findPreset, SLA_PRESETS, type SlaPreset } from './presets.js';
import { insertPresetPolicy, lockPresetPolicy, presetPolicyRows, scheduleIdByName, updatePresetPolicy } from './preset-store.js';
import { findScheduleForClock, insertSchedule } from './schedule-store.js';

/**
 * Regulatory SLA presets (presets.ts) as a workspace sees them: switched on, a preset becomes an
 * ordinary SLA policy tried first (its conditions, targets and escalations stay editable), marked
 * with the preset's key so switching on again finds the same policy.
 */

const presetNotFound = () => notFound('sla_preset');

function requirePreset(key: string): SlaPreset {
  const preset = findPreset(key);
  if (!preset) throw presetNotFound();
  return preset;
}

export function presetView(preset: SlaPreset, row: PolicyRow | undefined): PresetView {
  return {
    key: preset.key,
    name: preset.name,
    jurisdiction: preset.jurisdiction,
    regulation: preset.regulation,
    description: preset.description,
    default_tag: preset.default_tag,
    time_basis: preset.time_basis,
    targets: { ...preset.targets },
    pause_statuses: [...preset.pause_statuses],
    warning_minutes: preset.warning_minutes,
    escalations: preset.escalations as unknown as PresetView['escalations'],
    business_day_rule: preset.business_day_rule,
    enabled: row?.enabled ?? false,
    policy_id: row?.id ?? null,
    schedule_id: row?.preset_schedule_id ?? null,
    letters: preset.letters.map((l) => ({ ...l })),
  };
}

export async function listPresets(db: Db, actor: Actor): Promise<{ data: PresetView[] }> {
  const rows = await presetPolicyRows(db, actor);
  return { data: SLA_PRESETS.map((p) => presetView(p, rows.get(p.key))) };
}

export async function getPreset(db: Db, actor: Actor, key: string): Promise<PresetView> {
  const preset = requirePreset(key);
  const rows = await presetPolicyRows(db, actor);
  return presetView(preset, rows.get(preset.key));
}

/** Case tags are stored lower-cased and trimmed (the schema already refused a blank one). */
const normalizeTag = (tag: string): string => tag.trim().toLowerCase();

/** The business hours of the preset's business-day rules: the given ones, else the preset's own (created once). */
async function presetScheduleId(tx: Db, actor: Actor, preset: SlaPreset, scheduleId: string | undefined): Promise<string | null> {
  if (!preset.business_day_rule) {
    if (scheduleId) {
      throw validationError('sla.preset_takes_no_schedule', 'This preset has no business-day rule; it counts calendar time only', {
        fields: [{ field: 'schedule_id', problem: 'not used by this preset' }],
      });
    }
    return null;
  }
  if (scheduleId) {
    if (!(await findScheduleForClock(tx, workspaceScope(actor), { id: scheduleId }))) {
      throw unprocessable('sla.unknown_business_hours', 'These business hours do not exist in this workspace', {
        field: 'schedule_id',
        schedule_id: scheduleId,
      });
    }
    return scheduleId.toLowerCase();
  }
  if (!preset.default_schedule) return null;
  const existing = await scheduleIdByName(tx, actor, preset.default_schedule.name);
  if (existing) return existing;
  const row = await insertSchedule(tx, actor, { ...preset.default_schedule, isDefault: false });
  await recordAudit(tx, actor, {
    action: 'sla.business_hours_created',
    targetType: 'business_hours',
    targetId: row.id,
    details: { name: row.name, preset: preset.key },
  });
  return row.id;
}

/** A free policy name: the preset's, else with " (preset)" or a number appended. */
async function freeName(tx: Db, actor: Actor, name: string): Promise<string> {
  for (const candidate of [name, `${name} (preset)`, ...[2, 3, 4, 5, 6, 7, 8, 9].map((n) => `${name} (preset ${n})`)]) {
    if (!(await policyNameTaken(tx, actor, candidate))) return candidate;
  }
  throw validationError('sla.policy_name_taken', 'Rename the SLA policies named like this preset first', { field: 'name' });
}

function presetFields(preset: SlaPreset, name: string, tag: string): PolicyFields {
  const input: CreatePolicyInput = {
    name,
    description: `${preset.regulation}. ${preset.description}`,
    enabled: true,
    conditions: preset.conditions(tag) as CreatePolicyInput['conditions'],
    targets: preset.targets,
    time_basis: preset.time_basis,
    schedule_id: null,
    pause_statuses: [...preset.pause_statuses],
    warning_minutes: preset.warning_minutes,
    escalations: preset.escalations as CreatePolicyInput['escalations'],
  };
  return policyFieldsOf(input);
}

/** The stored fields of an existing policy with a change applied (the admin's edits since are kept). */
function fieldsOfRow(row: PolicyRow, change: { enabled: boolean; tag?: string }): PolicyFields {
  const conditions = change.tag ? { ...row.conditions, case_tags: [change.tag] } : row.conditions;
  return {
    name: row.name,
    description: row.description,
    enabled: change.enabled,
    conditions,
    first_reply_minutes: row.first_reply_minutes,
    next_reply_minutes: row.next_reply_minutes,
    resolution_minutes: row.resolution_minutes,
    time_basis: row.time_basis,
    schedule_id: row.schedule_id,
    pause_statuses: row.pause_statuses,
    warning_minutes: row.warning_minutes,
    escalations: row.escalations,
  };
}

/**
 * Switches a preset on (admin): creates its policy first in order (201), or finds the one created
 * before and enables it again, applying `tag` / `schedule_id` when given (200). The policy's other
 * settings, edited since, are kept.
 */
export async function enablePreset(
  db: Db,
  actor: Actor,
  key: string,
  input: EnablePresetInput,
): Promise<{ statusCode: 200 | 201; body: PresetPolicyView }> {
  authorize(actor, 'sla.manage', policyResource(workspaceScope(actor)));
  const preset = requirePreset(key);
  const tag = input.tag === undefined ? undefined : normalizeTag(input.tag);
  return inTransaction(db, async (tx) => {
    const existing = await lockPresetPolicy(tx, actor, preset.key);
    if (existing) {
      const scheduleId = input.schedule_id ? await presetScheduleId(tx, actor, preset, input.schedule_id) : existing.preset_schedule_id;
      const tagChanged = tag !== undefined && JSON.stringify(existing.conditions.case_tags) !== JSON.stringify([tag]);
      let row = existing;
      if (!existing.enabled || tagChanged || scheduleId !== existing.preset_schedule_id) {
        row = await updatePresetPolicy(
          tx,
          actor,
          existing.id,
          fieldsOfRow(existing, { enabled: true, ...(tag ? { tag } : {}) }),
          scheduleId,
        );
        await recordAudit(tx, actor, {
          action: 'sla.preset_enabled',
          targetType: 'sla_policy',
          targetId: row.id,
          details: { preset: preset.key, created: false },
        });
      }
      return { statusCode: 200, body: { preset: presetView(preset, row), policy: policyView(row), macros: [] } };
    }
    const scheduleId = await presetScheduleId(tx, actor, preset, input.schedule_id);
    const fields = presetFields(preset, await freeName(tx, actor, preset.name), tag ?? preset.default_tag);
    const row = await insertPresetPolicy(tx, actor, fields, { key: preset.key, scheduleId });
    await recordAudit(tx, actor, {
      action: 'sla.preset_enabled',
      targetType: 'sla_policy',
      targetId: row.id,
      details: { preset: preset.key, created: true },
    });
    const macros = await createLetterMacros(tx, actor, preset);
    return { statusCode: 201, body: { preset: presetView(preset, row), policy: policyView(row), macros } };
  });
}

/** Macro names are at most 100 characters: the preset's short name and the letter's. */
const macroNameOf = (preset: SlaPreset, letterName: string) => `${preset.short_name}: ${letterName}`.slice(0, 100);

/**
 * The preset's letters as shared macros (the macros module's createMacro, in this transaction), so
 * agents find them in the composer's macro list. A name already taken (an admin's own macro, or
 * the preset switched on before and its macros kept) is left alone, not overwritten.
 */
async function createLetterMacros(tx: Db, actor: Actor, preset: SlaPreset): Promise<PresetPolicyView['macros']> {
  if (actor.kind !== 'agent') return [];
  const macros = await import('../macros/service.js');
  const created: PresetPolicyView['macros'] = [];
  for (const letter of preset.letters) {
    const name = macroNameOf(preset, letter.name);
    try {
      const macro = await macros.createMacro(tx, actor, {
        name,
        description: `${preset.regulation}: ${letter.when}`.slice(0, 500),
        body: `${letter.subject}\n\n${letter.body}`,
        visibility: 'public',
        shared: true,
      });
      created.push({ letter: letter.key, macro_id: macro.id, name: macro.name });
    } catch (error) {
      if (error instanceof AppError && error.code === 'macro.name_taken') continue;
      throw error;
    }
  }
  return created;
}

/** Switches a preset off (admin): its policy is disabled and kept, with the admin's edits. Not switched on: nothing to do. */
export async function disablePreset(db: Db, actor: Actor, key: string): Promise<PresetView> {
  authorize(actor, 'sla.manage', policyResource(workspaceScope(actor)));
  const preset = requirePreset(key);
  return inTransaction(db, async (tx) => {
    const existing = await lockPresetPolicy(tx, actor, preset.key);
    if (!existing || !existing.enabled) return presetView(preset, existing);
    const row = await updatePresetPolicy(tx, actor, existing.id, fieldsOfRow(existing, { enabled: false }), existing.preset_schedule_id);
    await recordAudit(tx, actor, {
      action: 'sla.preset_disabled',
      targetType: 'sla_policy',
      targetId: row.id,
      details: { preset: preset.key },
    });
    return presetView(preset, row);
  });
}
