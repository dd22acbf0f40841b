import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import {
  TRIGGER_EVENTS,
  triggers,
  type RuleAction,
  type RuleConditions,
  type Trigger,
  type TriggerEvent,
  type TriggerInput,
} from '../../api/triggers';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { useToast } from '../../components/Toasts';
import { t, type MessageKey } from '../../i18n';
import { describedBy } from '../../lib/fieldErrors';
import { useDirectory } from '../../shell/DirectoryContext';
import { NO_PATH_ERRORS, pathErrorsOf, type PathErrors } from '../sla/serverErrors';
import { ActionEditor } from './ActionEditor';
import { ConditionEditor } from './ConditionEditor';

export const eventLabel = (event: string) => t(`automation.event.${event}` as MessageKey);

interface Draft {
  name: string;
  description: string;
  enabled: boolean;
  events: TriggerEvent[];
  conditions: RuleConditions;
  actions: RuleAction[];
}

const blankDraft = (): Draft => ({
  name: '',
  description: '',
  enabled: true,
  events: ['case.created'],
  conditions: { all: [], any: [] },
  actions: [],
});
const draftOf = (trigger: Trigger): Draft => ({
  name: trigger.name,
  description: trigger.description,
  enabled: trigger.enabled,
  events: trigger.events,
  conditions: trigger.conditions,
  actions: trigger.actions,
});

/** Every path a server error may name is shown at that row, or its nearest parent (rows, lists, the form). */
const shown = (path: string) =>
  ['name', 'description', 'events', 'conditions.all', 'conditions.any', 'actions'].includes(path) ||
  /^conditions\.(all|any)\[\d+\](\.(field|operator|value))?$/.test(path) ||
  /^actions\[\d+\](\.\w+)?$/.test(path);

interface TriggerDialogProps {
  open: boolean;
  trigger: Trigger | null;
  onClose: () => void;
  /** The saved trigger; `webhook_secret` is set when a new secret was made (shown once). */
  onSaved: (trigger: Trigger) => void;
}

/** Create or edit a trigger: name, events, conditions and actions. */
export function TriggerDialog({ open, trigger, onClose, onSaved }: TriggerDialogProps) {
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
    setDraft(trigger ? draftOf(trigger) : blankDraft());
    setErrors(NO_PATH_ERRORS);
  }, [open, trigger]);

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
    if (!draft.name.trim()) local.name = t('automation.trigger.nameRequired');
    if (draft.events.length === 0) local.events = t('automation.trigger.eventsRequired');
    if (Object.keys(local).length > 0) {
      setErrors({ fields: local, form: null });
      return;
    }
    const input: TriggerInput = { ...draft, name: draft.name.trim(), description: draft.description.trim() };
    setBusy(true);
    try {
      const saved = trigger ? await triggers.update(trigger.id, { ...input, version: trigger.version }) : await triggers.create(input);
      notify(t(trigger ? 'automation.trigger.saved' : 'automation.trigger.created', { name: saved.name }));
      onSaved(saved);
      onClose();
    } catch (error) {
      setErrors(pathErrorsOf(error, shown));
    } finally {
      setBusy(false);
    }
  }

  const title = trigger ? t('automation.trigger.editTitle', { name: trigger.name }) : t('automation.trigger.newTitle');
  return (
    <Dialog open={open} onClose={onClose} title={title} className="dialog--wide">
      <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('automation.trigger.name')}</label>
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
          <label htmlFor={`${id}-description`}>{t('automation.trigger.description')}</label>
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
          <span>{t('automation.trigger.enabled')}</span>
        </label>

        <fieldset aria-describedby={describedBy(err('events') && errId('events'))}>
          <legend>{t('automation.trigger.events')}</legend>
          <div className="checkbox-row">
            {TRIGGER_EVENTS.map((ev) => (
              <label key={ev} className="checkbox-chip">
                <input
                  type="checkbox"
                  checked={draft.events.includes(ev)}
                  onChange={(e) =>
                    set('events', e.target.checked ? [...draft.events.filter((x) => x !== ev), ev] : draft.events.filter((x) => x !== ev))
                  }
                />
                <span>{eventLabel(ev)}</span>
              </label>
            ))}
          </div>
          <FieldError id={errId('events')} text={err('events')} />
        </fieldset>

        <ConditionEditor
          conditions={draft.conditions}
          onChange={(v) => set('conditions', v)}
          forEvents
          agents={agents}
          teams={teams}
          idPrefix={id}
          error={err}
        />
        <ActionEditor actions={draft.actions} onChange={(v) => set('actions', v)} agents={agents} teams={teams} idPrefix={id} error={err} />

        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {trigger ? t('automation.trigger.save') : t('automation.trigger.create')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
