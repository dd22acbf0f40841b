import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { macros as macrosApi, type Macro, type MacroChanges, type MacroInput, type Placeholder } from '../../api/macros';
import {
  CASE_CATEGORIES,
  CASE_PRIORITIES,
  CASE_STATUSES,
  type CaseCategory,
  type CasePriority,
  type CaseStatus,
  type Visibility,
} from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError } from '../../components/FieldError';
import { useApi } from '../../hooks/useApi';
import { categoryLabel, priorityLabel, statusLabel, t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import { useDirectory } from '../../shell/DirectoryContext';

type FieldKey = 'name' | 'description' | 'body' | 'team' | 'assignee' | 'tags';

interface MacroDialogProps {
  open: boolean;
  macro: Macro | null;
  /** Supervisors and admins may write shared macros. */
  canShare: boolean;
  onClose: () => void;
  onSaved: (macro: Macro) => void;
}

const splitTags = (text: string) =>
  text
    .split(',')
    .map((tag) => tag.trim().toLowerCase())
    .filter(Boolean);

/** Create or edit a macro: name, reply template (with placeholders to insert) and field changes. */
export function MacroDialog({ open, macro, canShare, onClose, onSaved }: MacroDialogProps) {
  const id = useId();
  const { agents, teams } = useDirectory();
  const placeholders = useApi((signal) => macrosApi.placeholders(signal).then((r) => r.data), []);
  const bodyRef = useRef<HTMLTextAreaElement>(null);
  const [name, setName] = useState('');
  const [description, setDescription] = useState('');
  const [body, setBody] = useState('');
  const [visibility, setVisibility] = useState<Visibility>('public');
  const [shared, setShared] = useState(false);
  const [status, setStatus] = useState<CaseStatus | ''>('');
  const [priority, setPriority] = useState<CasePriority | ''>('');
  const [category, setCategory] = useState<CaseCategory | ''>('');
  const [team, setTeam] = useState('');
  const [assignee, setAssignee] = useState('');
  const [addTags, setAddTags] = useState('');
  const [removeTags, setRemoveTags] = useState('');
  const [errors, setErrors] = useState<FormErrors<FieldKey>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    if (!open) return;
    const c = macro?.changes ?? {};
    setName(macro?.name ?? '');
    setDescription(macro?.description ?? '');
    setBody(macro?.body ?? '');
    setVisibility(macro?.visibility ?? 'public');
    setShared(macro ? macro.shared : canShare);
    setStatus(c.status ?? '');
    setPriority(c.priority ?? '');
    setCategory(c.category ?? '');
    setTeam(c.team_id === undefined ? '' : c.team_id === null ? 'none' : c.team_id);
    setAssignee(c.assignee === undefined ? '' : c.assignee === null ? 'none' : c.assignee);
    setAddTags((c.add_tags ?? []).join(', '));
    setRemoveTags((c.remove_tags ?? []).join(', '));
    setErrors(NO_ERRORS);
  }, [open, macro, canShare]);

  function insertPlaceholder(placeholder: Placeholder) {
    const token = `{{${placeholder.name}}}`;
    const area = bodyRef.current;
    const start = area?.selectionStart ?? body.length;
    const end = area?.selectionEnd ?? body.length;
    const next = body.slice(0, start) + token + body.slice(end);
    setBody(next);
    window.requestAnimationFrame(() => {
      area?.focus();
      area?.setSelectionRange(start + token.length, start + token.length);
    });
  }

  function changesOf(): MacroChanges {
    const changes: MacroChanges = {};
    if (status) changes.status = status;
    if (priority) changes.priority = priority;
    if (category) changes.category = category;
    if (team) changes.team_id = team === 'none' ? null : team;
    if (assignee) changes.assignee = assignee === 'none' ? null : assignee;
    const add = splitTags(addTags);
    const remove = splitTags(removeTags);
    if (add.length > 0) changes.add_tags = add;
    if (remove.length > 0) changes.remove_tags = remove;
    return changes;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!name.trim()) {
      setErrors({ fields: { name: t('macros.form.nameRequired') }, form: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    const input: MacroInput = { name: name.trim(), description, body, visibility, changes: changesOf(), shared };
    try {
      const saved = macro ? await macrosApi.update(macro.id, macro.version, input) : await macrosApi.create(input);
      onSaved(saved);
      onClose();
    } catch (err) {
      setErrors(
        formErrorsOf<FieldKey>(err, {
          name: { key: 'name', label: t('macros.form.name') },
          description: { key: 'description', label: t('macros.form.description') },
          body: { key: 'body', label: t('macros.form.body') },
          'changes.team_id': { key: 'team', label: t('macros.form.team') },
          'changes.queue_id': { key: 'team', label: t('macros.form.team') },
          'changes.assignee': { key: 'assignee', label: t('macros.form.assignee') },
          'changes.add_tags': { key: 'tags', label: t('macros.form.addTags') },
          'changes.remove_tags': { key: 'tags', label: t('macros.form.removeTags') },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  const err = (key: FieldKey) => errors.fields[key];
  const errId = (key: FieldKey) => `${id}-${key}-error`;

  return (
    <Dialog
      open={open}
      title={macro ? t('macros.form.editTitle', { name: macro.name }) : t('macros.form.newTitle')}
      onClose={onClose}
      className="dialog--wide"
    >
      <form className="macro-form" onSubmit={submit} noValidate>
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('macros.form.name')}</label>
          <input
            id={`${id}-name`}
            data-autofocus
            value={name}
            maxLength={100}
            aria-invalid={err('name') ? true : undefined}
            aria-describedby={describedBy(err('name') && errId('name'))}
            onChange={(e) => setName(e.target.value)}
          />
          <FieldError id={errId('name')} text={err('name')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-description`}>{t('macros.form.description')}</label>
          <input id={`${id}-description`} value={description} maxLength={500} onChange={(e) => setDescription(e.target.value)} />
        </div>
        {canShare && (
          <div className="field field--inline">
            <input id={`${id}-shared`} type="checkbox" checked={shared} onChange={(e) => setShared(e.target.checked)} />
            <label htmlFor={`${id}-shared`}>{t('macros.form.shared')}</label>
          </div>
        )}
        <div className="field">
          <label htmlFor={`${id}-body`}>{t('macros.form.body')}</label>
          <textarea
            ref={bodyRef}
            id={`${id}-body`}
            rows={7}
            value={body}
            maxLength={20_000}
            aria-invalid={err('body') ? true : undefined}
            aria-describedby={describedBy(`${id}-body-hint`, err('body') && errId('body'))}
            onChange={(e) => setBody(e.target.value)}
          />
          <p id={`${id}-body-hint`} className="hint">
            {t('macros.form.bodyHint')}
          </p>
          <FieldError id={errId('body')} text={err('body')} />
          <p className="small" id={`${id}-ph`}>
            {t('macros.form.insert')}
          </p>
          <ul className="macro-form__placeholders" aria-labelledby={`${id}-ph`}>
            {(placeholders.data ?? []).map((p) => (
              <li key={p.name}>
                <button
                  type="button"
                  className="button button--small button--quiet"
                  title={p.description}
                  onClick={() => insertPlaceholder(p)}
                >
                  {`{{${p.name}}}`}
                  <span className="visually-hidden">: {p.description}</span>
                </button>
              </li>
            ))}
          </ul>
        </div>
        <div className="field field--inline">
          <label htmlFor={`${id}-visibility`}>{t('macros.form.visibility')}</label>
          <select id={`${id}-visibility`} value={visibility} onChange={(e) => setVisibility(e.target.value as Visibility)}>
            <option value="public">{t('macros.form.public')}</option>
            <option value="internal">{t('macros.form.internal')}</option>
          </select>
        </div>

        <fieldset>
          <legend>{t('macros.form.changes')}</legend>
          <div className="macro-form__changes">
            <div className="field">
              <label htmlFor={`${id}-status`}>{t('macros.form.status')}</label>
              <select id={`${id}-status`} value={status} onChange={(e) => setStatus(e.target.value as CaseStatus | '')}>
                <option value="">{t('macros.form.noChange')}</option>
                {CASE_STATUSES.filter((s) => s !== 'new' && s !== 'closed').map((s) => (
                  <option key={s} value={s}>
                    {statusLabel(s)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-priority`}>{t('macros.form.priority')}</label>
              <select id={`${id}-priority`} value={priority} onChange={(e) => setPriority(e.target.value as CasePriority | '')}>
                <option value="">{t('macros.form.noChange')}</option>
                {CASE_PRIORITIES.map((p) => (
                  <option key={p} value={p}>
                    {priorityLabel(p)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-category`}>{t('macros.form.category')}</label>
              <select id={`${id}-category`} value={category} onChange={(e) => setCategory(e.target.value as CaseCategory | '')}>
                <option value="">{t('macros.form.noChange')}</option>
                {CASE_CATEGORIES.map((c) => (
                  <option key={c} value={c}>
                    {categoryLabel(c)}
                  </option>
                ))}
              </select>
            </div>
            <div className="field">
              <label htmlFor={`${id}-team`}>{t('macros.form.team')}</label>
              <select
                id={`${id}-team`}
                value={team}
                aria-invalid={err('team') ? true : undefined}
                aria-describedby={describedBy(err('team') && errId('team'))}
                onChange={(e) => setTeam(e.target.value)}
              >
                <option value="">{t('macros.form.noChange')}</option>
                <option value="none">{t('macros.form.noTeam')}</option>
                {teams.map((tm) => (
                  <option key={tm.id} value={tm.id}>
                    {tm.name}
                  </option>
                ))}
              </select>
              <FieldError id={errId('team')} text={err('team')} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-assignee`}>{t('macros.form.assignee')}</label>
              <select
                id={`${id}-assignee`}
                value={assignee}
                aria-invalid={err('assignee') ? true : undefined}
                aria-describedby={describedBy(err('assignee') && errId('assignee'))}
                onChange={(e) => setAssignee(e.target.value)}
              >
                <option value="">{t('macros.form.noChange')}</option>
                <option value="me">{t('macros.form.me')}</option>
                <option value="none">{t('macros.form.unassign')}</option>
                {agents.map((a) => (
                  <option key={a.id} value={a.id}>
                    {a.name}
                  </option>
                ))}
              </select>
              <FieldError id={errId('assignee')} text={err('assignee')} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-add-tags`}>{t('macros.form.addTags')}</label>
              <input
                id={`${id}-add-tags`}
                value={addTags}
                maxLength={500}
                aria-describedby={`${id}-tags-hint`}
                onChange={(e) => setAddTags(e.target.value)}
              />
            </div>
            <div className="field">
              <label htmlFor={`${id}-remove-tags`}>{t('macros.form.removeTags')}</label>
              <input
                id={`${id}-remove-tags`}
                value={removeTags}
                maxLength={500}
                aria-invalid={err('tags') ? true : undefined}
                aria-describedby={describedBy(`${id}-tags-hint`, err('tags') && errId('tags'))}
                onChange={(e) => setRemoveTags(e.target.value)}
              />
              <FieldError id={errId('tags')} text={err('tags')} />
            </div>
          </div>
          <p id={`${id}-tags-hint`} className="hint">
            {t('macros.form.tagsHint')}
          </p>
        </fieldset>

        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('macros.form.saving') : t('macros.form.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
