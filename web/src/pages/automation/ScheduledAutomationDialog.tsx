import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { scheduledAutomations, type ScheduledAutomation, type ScheduledAutomationInput } from '../../api/scheduledAutomations';
import type { RuleAction, RuleConditions } from '../../api/triggers';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';
import { useDirectory } from '../../shell/DirectoryContext';
import { NO_PATH_ERRORS, pathErrorsOf, type PathErrors } from '../sla/serverErrors';
import { ActionEditor } from './ActionEditor';
import { ConditionEditor } from './ConditionEditor';

interface Draft {
  name: string;
  description: string;
  enabled: boolean;
  conditions: RuleConditions;
  actions: RuleAction[];
}

const TIME_FIELDS = new Set(['hours_since_created', 'hours_since_updated', 'hours_since_status_change']);

/** A new rule starts as the common case: solved for more than 4 days. */
const blankDraft = (): Draft => ({
  name: '',
  description: '',
  enabled: true,
  conditions: {
    all: [
      { field: 'status', operator: 'is', value: 'solved' },
      { field: 'hours_since_status_change', operator: 'gt', value: 96 },
    ],
    any: [],
  },
  actions: [],
});
const draftOf = (rule: ScheduledAutomation): Draft => ({
  name: rule.name,
  description: rule.description,
  enabled: rule.enabled,
  conditions: rule.conditions,
  actions: rule.actions,
});

/** Every path a server error may name is shown at that row, or its nearest parent (rows, lists, the form). */
const shown = (path: string) =>
  ['name', 'description', 'conditions.all', 'conditions.any', 'actions'].includes(path) ||
  /^conditions\.(all|any)\[\d+\](\.(field|operator|value))?$/.test(path) ||
  /^actions\[\d+\](\.\w+)?$/.test(path);

interface ScheduledAutomationDialogProps {
  open: boolean;
  rule: ScheduledAutomation | null;
  onClose: () => void;
  /** The saved rule; `webhook_secret` is set when a new secret was made (shown once). */
  onSaved: (rule: ScheduledAutomation) => void;
}

/** Create or edit a scheduled automation: name, conditions (with a time condition) and actions. */
export function ScheduledAutomationDialog({ open, rule, onClose, onSaved }: ScheduledAutomationDialogProps) {
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
    setDraft(rule ? draftOf(rule) : blankDraft());
    setErrors(NO_PATH_ERRORS);
  }, [open, rule]);

  const err = (path: string) => errors.fields[path];
  const errId = (path: string) => `${id}-${path.replace(/[^\w-]/g, '_')}-error`;
  const errorProps = (path: string) => ({
    'aria-invalid': err(path) ? true : undefined,
    'aria-describedby': describedBy(err(path) && errId(path)),
  });
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const local: Record<string, string> = {};
    if (!draft.name.trim()) local.name = t('automation.scheduled.nameRequired');
    if (!draft.conditions.all.some((c) => TIME_FIELDS.has(c.field))) local['conditions.all'] = t('automation.scheduled.timeRequired');
    if (draft.actions.length === 0) local.actions = t('automation.scheduled.actionsRequired');
    if (Object.keys(local).length > 0) {
      setErrors({ fields: local, form: null });
      return;
    }
    const input: ScheduledAutomationInput = { ...draft, name: draft.name.trim(), description: draft.description.trim() };
    setBusy(true);
    try {
      const saved = rule ? await scheduledAutomations.update(rule.id, rule.version, input) : await scheduledAutomations.create(input);
      notify(t(rule ? 'automation.scheduled.saved' : 'automation.scheduled.created', { name: saved.name }));
      onSaved(saved);
      onClose();
    } catch (error) {
      setErrors(pathErrorsOf(error, shown));
    } finally {
      setBusy(false);
    }
  }

  const title = rule ? t('automation.scheduled.editTitle', { name: rule.name }) : t('automation.scheduled.newTitle');
  return (
    <Dialog open={open} onClose={onClose} title={title} className="dialog--wide">
      <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('automation.scheduled.name')}</label>
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
          <label htmlFor={`${id}-description`}>{t('automation.scheduled.description')}</label>
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
          <span>{t('automation.scheduled.enabled')}</span>
        </label>

        <p className="hint" id={`${id}-time-hint`}>
          {t('automation.scheduled.timeHint')}
        </p>
        <ConditionEditor
          conditions={draft.conditions}
          onChange={(v) => set('conditions', v)}
          forEvents={false}
          agents={agents}
          teams={teams}
          idPrefix={id}
          error={err}
        />
        <ActionEditor actions={draft.actions} onChange={(v) => set('actions', v)} agents={agents} teams={teams} idPrefix={id} error={err} />

        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {rule ? t('automation.scheduled.save') : t('automation.scheduled.create')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
