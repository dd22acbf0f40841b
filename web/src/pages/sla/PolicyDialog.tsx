import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  PAUSABLE_STATUSES,
  SLA_METRICS,
  slaPolicies,
  type EscalationAction,
  type Policy,
  type PolicyConditions,
  type PolicyInput,
  type PausableStatus,
  type Schedule,
  type SlaMetric,
  type TimeBasis,
} from '../../api/sla';
import { CASE_CATEGORIES, CASE_PRIORITIES, CHANNELS, type CaseCategory, type CasePriority, type Channel } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { useToast } from '../../components/Toasts';
import { categoryLabel, channelLabel, priorityLabel, statusLabel, t } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';
import { useDirectory } from '../../shell/DirectoryContext';
import { EscalationEditor } from './EscalationEditor';
import { metricLabel } from './format';
import { NO_PATH_ERRORS, pathErrorsOf, type PathErrors } from './serverErrors';

type Unit = 'minutes' | 'hours';
interface TargetDraft {
  value: string;
  unit: Unit;
}

interface Draft {
  name: string;
  description: string;
  enabled: boolean;
  priority: CasePriority[];
  category: CaseCategory[];
  team_ids: string[];
  channel: Channel[];
  customer_tags: string;
  customer_tiers: string;
  case_tags: string;
  targets: Record<SlaMetric, TargetDraft>;
  time_basis: TimeBasis;
  schedule_id: string;
  pause_statuses: PausableStatus[];
  warning_minutes: string;
  warning: EscalationAction[];
  breach: EscalationAction[];
}

const targetKey = (m: SlaMetric) => `targets.${m}_minutes`;

function targetDraft(minutes: number | null): TargetDraft {
  if (minutes === null) return { value: '', unit: 'hours' };
  return minutes % 60 === 0 ? { value: String(minutes / 60), unit: 'hours' } : { value: String(minutes), unit: 'minutes' };
}

function blankDraft(): Draft {
  return {
    name: '',
    description: '',
    enabled: true,
    priority: [],
    category: [],
    team_ids: [],
    channel: [],
    customer_tags: '',
    customer_tiers: '',
    case_tags: '',
    targets: {
      first_reply: { value: '', unit: 'hours' },
      next_reply: { value: '', unit: 'hours' },
      resolution: { value: '', unit: 'hours' },
    },
    time_basis: 'business',
    schedule_id: '',
    pause_statuses: ['pending', 'on_hold'],
    warning_minutes: '60',
    warning: [],
    breach: [],
  };
}

function draftOf(p: Policy): Draft {
  return {
    name: p.name,
    description: p.description,
    enabled: p.enabled,
    priority: p.conditions.priority ?? [],
    category: p.conditions.category ?? [],
    team_ids: p.conditions.team_ids ?? [],
    channel: p.conditions.channel ?? [],
    customer_tags: (p.conditions.customer_tags ?? []).join(', '),
    customer_tiers: (p.conditions.customer_tiers ?? []).join(', '),
    case_tags: (p.conditions.case_tags ?? []).join(', '),
    targets: {
      first_reply: targetDraft(p.targets.first_reply_minutes),
      next_reply: targetDraft(p.targets.next_reply_minutes),
      resolution: targetDraft(p.targets.resolution_minutes),
    },
    time_basis: p.time_basis,
    schedule_id: p.schedule_id ?? '',
    pause_statuses: p.pause_statuses,
    warning_minutes: String(p.warning_minutes),
    warning: p.escalations.warning,
    breach: p.escalations.breach,
  };
}

/** Whole minutes from "1.5" hours or "90" minutes; null for an empty field; NaN when not a whole positive number of minutes. */
function minutesOf(target: TargetDraft): number | null {
  const text = target.value.trim().replace(',', '.');
  if (!text) return null;
  const value = Number(text);
  const minutes = target.unit === 'hours' ? value * 60 : value;
  return Number.isFinite(minutes) && minutes >= 1 && Number.isInteger(Math.round(minutes * 1000) / 1000) ? Math.round(minutes) : NaN;
}

/** A comma-separated field as a list without blanks or repeats. */
function listOf(text: string): string[] {
  return [
    ...new Set(
      text
        .split(',')
        .map((x) => x.trim())
        .filter(Boolean),
    ),
  ];
}

/** The draft as the API takes it, or the fields the browser can already tell are wrong. */
function inputOf(draft: Draft): { input: PolicyInput } | { errors: Record<string, string> } {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors.name = t('sla.policy.nameRequired');
  const minutes = Object.fromEntries(SLA_METRICS.map((m) => [m, minutesOf(draft.targets[m])])) as Record<SlaMetric, number | null>;
  for (const m of SLA_METRICS) if (Number.isNaN(minutes[m])) errors[targetKey(m)] = t('sla.policy.targetInvalid');
  if (SLA_METRICS.every((m) => minutes[m] === null)) errors.targets = t('sla.policy.targetsRequired');
  const warning = Number(draft.warning_minutes);
  if (!/^\d+$/.test(draft.warning_minutes.trim()) || warning > 10_080) errors.warning_minutes = t('sla.policy.warningInvalid');
  if (Object.keys(errors).length > 0) return { errors };
  const conditions: PolicyConditions = {};
  if (draft.priority.length) conditions.priority = draft.priority;
  if (draft.category.length) conditions.category = draft.category;
  if (draft.team_ids.length) conditions.team_ids = draft.team_ids;
  if (draft.channel.length) conditions.channel = draft.channel;
  const tags = listOf(draft.customer_tags);
  if (tags.length) conditions.customer_tags = tags;
  const tiers = listOf(draft.customer_tiers.toLowerCase());
  if (tiers.length) conditions.customer_tiers = tiers;
  const caseTags = listOf(draft.case_tags);
  if (caseTags.length) conditions.case_tags = caseTags;
  return {
    input: {
      name: draft.name.trim(),
      description: draft.description.trim(),
      enabled: draft.enabled,
      conditions,
      targets: {
        first_reply_minutes: minutes.first_reply,
        next_reply_minutes: minutes.next_reply,
        resolution_minutes: minutes.resolution,
      },
      time_basis: draft.time_basis,
      schedule_id: draft.time_basis === 'business' && draft.schedule_id ? draft.schedule_id : null,
      pause_statuses: draft.pause_statuses,
      warning_minutes: warning,
      escalations: { warning: draft.warning, breach: draft.breach },
    },
  };
}

const SHOWN = new Set([
  'name',
  'description',
  'conditions',
  'conditions.priority',
  'conditions.category',
  'conditions.team_ids',
  'conditions.channel',
  'conditions.customer_tags',
  'conditions.customer_tiers',
  'conditions.case_tags',
  'targets',
  ...SLA_METRICS.map(targetKey),
  'time_basis',
  'schedule_id',
  'pause_statuses',
  'warning_minutes',
]);

interface PolicyDialogProps {
  open: boolean;
  policy: Policy | null;
  schedules: Schedule[];
  onClose: () => void;
  onSaved: (policy: Policy) => void;
}

/** Create or edit an SLA policy: conditions, targets, time basis, pauses, warning and escalations. */
export function PolicyDialog({ open, policy, schedules, onClose, onSaved }: PolicyDialogProps) {
  const id = useId();
  const { notify } = useToast();
  const { agents, teams } = useDirectory();
  const [draft, setDraft] = useState<Draft>(blankDraft);
  const [errors, setErrors] = useState<PathErrors>(NO_PATH_ERRORS);
  const [busy, setBusy] = useState(false);
  const formRef = useRef<HTMLFormElement>(null);
  useFocusFirstInvalid(formRef, errors === NO_PATH_ERRORS ? null : errors);

  useEffect(() => {
    if (!open) return;
    setDraft(policy ? draftOf(policy) : blankDraft());
    setErrors(NO_PATH_ERRORS);
  }, [open, policy]);

  const activeAgents = agents.filter((a) => a.status !== 'deactivated');
  const err = (path: string) => errors.fields[path];
  const errId = (path: string) => `${id}-${path.replace(/[^\w-]/g, '_')}-error`;
  const errorProps = (path: string) => ({
    'aria-invalid': err(path) ? true : undefined,
    'aria-describedby': describedBy(err(path) && errId(path)),
  });
  const shown = (path: string) => SHOWN.has(path) || /^escalations\.(warning|breach)\[\d+\]$/.test(path);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const toggle = <T,>(list: T[], value: T, on: boolean): T[] =>
    on ? [...list.filter((x) => x !== value), value] : list.filter((x) => x !== value);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = inputOf(draft);
    if ('errors' in result) {
      setErrors({ fields: result.errors, form: null });
      return;
    }
    setBusy(true);
    try {
      const saved = policy ? await slaPolicies.update(policy.id, result.input) : await slaPolicies.create(result.input);
      notify(t(policy ? 'sla.policy.saved' : 'sla.policy.created', { name: saved.name }));
      onSaved(saved);
      onClose();
    } catch (error) {
      setErrors(pathErrorsOf(error, shown));
    } finally {
      setBusy(false);
    }
  }

  const checkboxGroup = <T extends string>(
    path: string,
    legend: string,
    values: readonly T[],
    chosen: T[],
    label: (v: T) => string,
    onChange: (next: T[]) => void,
  ) => (
    <fieldset aria-describedby={describedBy(err(path) && errId(path))}>
      <legend>{legend}</legend>
      <div className="checkbox-row">
        {values.map((v) => (
          <label key={v} className="checkbox-chip">
            <input type="checkbox" checked={chosen.includes(v)} onChange={(e) => onChange(toggle(chosen, v, e.target.checked))} />
            <span>{label(v)}</span>
          </label>
        ))}
      </div>
      <FieldError id={errId(path)} text={err(path)} />
    </fieldset>
  );

  const title = policy ? t('sla.policy.editTitle', { name: policy.name }) : t('sla.policy.newTitle');
  return (
    <Dialog open={open} onClose={onClose} title={title} className="dialog--wide">
      <form ref={formRef} className="form sla-form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('sla.policy.name')}</label>
          <input
            id={`${id}-name`}
            type="text"
            maxLength={100}
            data-autofocus
            value={draft.name}
            onChange={(e) => set('name', e.target.value)}
            {...errorProps('name')}
          />
          <FieldError id={errId('name')} text={err('name')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>{t('sla.policy.description')}</label>
          <input
            id={`${id}-description`}
            type="text"
            maxLength={2000}
            value={draft.description}
            onChange={(e) => set('description', e.target.value)}
            {...errorProps('description')}
          />
          <FieldError id={errId('description')} text={err('description')} />
        </div>
        <label className="checkbox">
          <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
          <span>{t('sla.policy.enabled')}</span>
        </label>

        <fieldset>
          <legend>{t('sla.policy.conditions')}</legend>
          <p className="hint small">{t('sla.policy.conditionsHint')}</p>
          <FieldError id={errId('conditions')} text={err('conditions')} />
          {checkboxGroup('conditions.priority', t('sla.policy.priority'), CASE_PRIORITIES, draft.priority, priorityLabel, (v) =>
            set('priority', v),
          )}
          {checkboxGroup('conditions.category', t('sla.policy.category'), CASE_CATEGORIES, draft.category, categoryLabel, (v) =>
            set('category', v),
          )}
          {teams.length > 0 &&
            checkboxGroup(
              'conditions.team_ids',
              t('sla.policy.teams'),
              teams.map((tm) => tm.id),
              draft.team_ids,
              (teamId) => teams.find((tm) => tm.id === teamId)?.name ?? teamId,
              (v) => set('team_ids', v),
            )}
          {checkboxGroup('conditions.channel', t('sla.policy.channel'), CHANNELS, draft.channel, channelLabel, (v) => set('channel', v))}
          <div className="field">
            <label htmlFor={`${id}-tags`}>{t('sla.policy.customerTags')}</label>
            <input
              id={`${id}-tags`}
              type="text"
              maxLength={500}
              value={draft.customer_tags}
              onChange={(e) => set('customer_tags', e.target.value)}
              {...errorProps('conditions.customer_tags')}
            />
            <FieldError id={errId('conditions.customer_tags')} text={err('conditions.customer_tags')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-tiers`}>{t('sla.policy.customerTiers')}</label>
            <input
              id={`${id}-tiers`}
              type="text"
              maxLength={500}
              value={draft.customer_tiers}
              onChange={(e) => set('customer_tiers', e.target.value)}
              {...errorProps('conditions.customer_tiers')}
            />
            <FieldError id={errId('conditions.customer_tiers')} text={err('conditions.customer_tiers')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-case-tags`}>{t('sla.policy.caseTags')}</label>
            <input
              id={`${id}-case-tags`}
              type="text"
              maxLength={500}
              value={draft.case_tags}
              onChange={(e) => set('case_tags', e.target.value)}
              {...errorProps('conditions.case_tags')}
            />
            <FieldError id={errId('conditions.case_tags')} text={err('conditions.case_tags')} />
          </div>
        </fieldset>

        <fieldset aria-describedby={describedBy(err('targets') && errId('targets'))}>
          <legend>{t('sla.policy.targets')}</legend>
          <p className="hint small">{t('sla.policy.targetsHint')}</p>
          <FieldError id={errId('targets')} text={err('targets')} />
          {SLA_METRICS.map((m) => {
            const path = targetKey(m);
            const target = draft.targets[m];
            const update = (change: Partial<TargetDraft>) => set('targets', { ...draft.targets, [m]: { ...target, ...change } });
            return (
              <div key={m} className="field">
                <label htmlFor={`${id}-${m}`}>{metricLabel(m)}</label>
                <div className="sla-duration">
                  <input
                    id={`${id}-${m}`}
                    type="text"
                    inputMode="decimal"
                    maxLength={8}
                    value={target.value}
                    onChange={(e) => update({ value: e.target.value })}
                    {...errorProps(path)}
                  />
                  <label className="visually-hidden" htmlFor={`${id}-${m}-unit`}>
                    {t('sla.policy.unitOf', { metric: metricLabel(m) })}
                  </label>
                  <select id={`${id}-${m}-unit`} value={target.unit} onChange={(e) => update({ unit: e.target.value as Unit })}>
                    <option value="minutes">{t('sla.policy.minutes')}</option>
                    <option value="hours">{t('sla.policy.hours')}</option>
                  </select>
                </div>
                <FieldError id={errId(path)} text={err(path)} />
              </div>
            );
          })}
        </fieldset>

        <fieldset aria-describedby={describedBy(err('time_basis') && errId('time_basis'))}>
          <legend>{t('sla.policy.timeBasis')}</legend>
          {(['business', 'calendar'] as const).map((basis) => (
            <label key={basis} className="checkbox">
              <input
                type="radio"
                name={`${id}-basis`}
                value={basis}
                checked={draft.time_basis === basis}
                onChange={() => set('time_basis', basis)}
              />
              <span>{basis === 'business' ? t('sla.policy.business') : t('sla.policy.calendar')}</span>
            </label>
          ))}
          <FieldError id={errId('time_basis')} text={err('time_basis')} />
          {draft.time_basis === 'business' && (
            <div className="field">
              <label htmlFor={`${id}-schedule`}>{t('sla.policy.schedule')}</label>
              <select
                id={`${id}-schedule`}
                value={draft.schedule_id}
                onChange={(e) => set('schedule_id', e.target.value)}
                {...errorProps('schedule_id')}
              >
                <option value="">{t('sla.policy.teamSchedule')}</option>
                {schedules.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name} ({s.time_zone})
                  </option>
                ))}
              </select>
              <FieldError id={errId('schedule_id')} text={err('schedule_id')} />
            </div>
          )}
        </fieldset>

        {checkboxGroup('pause_statuses', t('sla.policy.pauseStatuses'), PAUSABLE_STATUSES, draft.pause_statuses, statusLabel, (v) =>
          set('pause_statuses', v),
        )}

        <div className="field">
          <label htmlFor={`${id}-warning`}>{t('sla.policy.warningMinutes')}</label>
          <input
            id={`${id}-warning`}
            type="text"
            inputMode="numeric"
            maxLength={5}
            value={draft.warning_minutes}
            onChange={(e) => set('warning_minutes', e.target.value)}
            {...errorProps('warning_minutes')}
          />
          <FieldError id={errId('warning_minutes')} text={err('warning_minutes')} />
        </div>

        <EscalationEditor
          when="warning"
          legend={t('sla.policy.atWarning')}
          actions={draft.warning}
          onChange={(v) => set('warning', v)}
          agents={activeAgents}
          teams={teams}
          idPrefix={id}
          error={err}
        />
        <EscalationEditor
          when="breach"
          legend={t('sla.policy.atBreach')}
          actions={draft.breach}
          onChange={(v) => set('breach', v)}
          agents={activeAgents}
          teams={teams}
          idPrefix={id}
          error={err}
        />

        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {policy ? t('sla.policy.save') : t('sla.policy.create')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
