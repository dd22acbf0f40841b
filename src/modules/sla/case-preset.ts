import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { getCase } from '../cases/service.js';
import { closeOfNthBusinessDayAfter } from './business-days.js';
import { policyRowForClock } from './preset-store.js';
import type { CasePresetView } from './preset-views.js';
import { findPreset } from './presets.js';
import { clockOfCase } from './read-store.js';
import { findScheduleForClock } from './schedule-store.js';
import { scheduleOfRow } from './schedule-views.js';

/** The regulatory preset of a case's SLA policy as the case SLA panel shows it. */

/**
 * A filler of case templates with this case's values, read once. The macros module is loaded when
 * used: it reads the SLA service itself, so a static import would make the two load in a cycle.
 */
async function templateFiller(db: Db, actor: Actor, caseId: string, now: Date): Promise<(template: string) => string> {
  const macros = await import('../macros/service.js');
  const values = await macros.loadCaseTemplateValues(db, actor, caseId, { now });
  return (template) => macros.fillCaseTemplate(template, values);
}

/**
 * The preset behind a case's SLA policy: its business-day window (FCA: the summary resolution
 * communication, counted from the case's creation in the preset's business hours, else the
 * workspace default, else UK business days) and its letters filled for this case.
 */
export async function getCasePreset(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<CasePresetView> {
  const kase = await getCase(db, actor, caseId);
  const { clock } = await clockOfCase(db, actor, kase.id);
  const preset = clock?.policy?.preset ? findPreset(clock.policy.preset) : undefined;
  if (!preset) return { preset: null };
  const receivedAt = new Date(kase.created_at);
  let window: NonNullable<CasePresetView['preset']>['business_day_window'] = null;
  const rule = preset.business_day_rule;
  if (rule) {
    const policy = clock?.policy_id ? await policyRowForClock(db, actor.workspaceId, clock.policy_id) : undefined;
    const own = policy?.preset_schedule_id
      ? await findScheduleForClock(db, actor.workspaceId, { id: policy.preset_schedule_id })
      : undefined;
    const row = own ?? (await findScheduleForClock(db, actor.workspaceId, 'default'));
    const schedule = row ? scheduleOfRow(row) : preset.default_schedule?.schedule;
    const close = schedule ? closeOfNthBusinessDayAfter(schedule, receivedAt, rule.business_days) : null;
    if (schedule && close) {
      window = {
        letter: rule.letter,
        business_days: rule.business_days,
        description: rule.description,
        last_day: close.day,
        ends_at: close.closesAt.toISOString(),
        time_zone: schedule.timeZone,
        open: now.getTime() < close.closesAt.getTime(),
      };
    }
  }
  const fill = await templateFiller(db, actor, kase.id, now);
  const letters = preset.letters.map((l) => ({ key: l.key, name: l.name, when: l.when, subject: fill(l.subject), body: fill(l.body) }));
  return {
    preset: {
      key: preset.key,
      name: preset.name,
      jurisdiction: preset.jurisdiction,
      regulation: preset.regulation,
      received_at: receivedAt.toISOString(),
      business_day_window: window,
      letters,
    },
  };
}
