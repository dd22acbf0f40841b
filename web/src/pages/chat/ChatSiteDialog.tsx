import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { chatSites, type ChatSite, type ChatSiteInput, type ChatSiteWithSecret, type PrechatChoice } from '../../api/chat';
import { CASE_CATEGORIES, type CaseCategory } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { categoryLabel, t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import { useDirectory } from '../../shell/DirectoryContext';

type Key = 'name' | 'origins' | 'colour' | 'greeting' | 'question' | 'choices';

interface Draft {
  name: string;
  origins: string;
  colour: string;
  greeting: string;
  question: string;
  choices: PrechatChoice[];
  teamId: string;
  category: CaseCategory;
  requireIdentity: boolean;
  active: boolean;
}

function draftOf(site: ChatSite | null): Draft {
  return {
    name: site?.name ?? '',
    origins: site?.allowed_origins.join('\n') ?? '',
    colour: site?.colour ?? '#0b5cad',
    greeting: site?.greeting ?? '',
    question: site?.prechat_question ?? '',
    choices: site?.prechat_choices ?? [],
    teamId: site?.team_id ?? '',
    category: site?.category ?? 'general',
    requireIdentity: site?.require_identity ?? false,
    active: site?.active ?? true,
  };
}

/** A choice id from its label: lower-case letters, digits, - and _ (what the API accepts). */
const choiceId = (label: string, i: number) =>
  label
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 40) || `choice-${i + 1}`;

/** Add or edit a chat site: the widget's look, the pre-chat routing, identity enforcement. */
export function ChatSiteDialog({
  open,
  site,
  onClose,
  onSaved,
}: {
  open: boolean;
  site: ChatSite | null;
  onClose: () => void;
  onSaved: (site: ChatSite | ChatSiteWithSecret) => void;
}) {
  const { teams } = useDirectory();
  const [draft, setDraft] = useState<Draft>(() => draftOf(site));
  const [errors, setErrors] = useState<FormErrors<Key>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  const idempotencyKey = useRef(crypto.randomUUID());
  const formRef = useRef<HTMLFormElement>(null);
  const id = useId();
  useFocusFirstInvalid(formRef, errors);

  useEffect(() => {
    if (!open) return;
    setDraft(draftOf(site));
    setErrors(NO_ERRORS);
    idempotencyKey.current = crypto.randomUUID();
  }, [open, site]);

  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));
  const setChoice = (i: number, changes: Partial<PrechatChoice>) =>
    setDraft((d) => ({ ...d, choices: d.choices.map((c, j) => (j === i ? { ...c, ...changes } : c)) }));

  const fields = {
    name: { key: 'name' as const, label: t('chatAdmin.name') },
    allowed_origins: { key: 'origins' as const, label: t('chatAdmin.origins') },
    colour: { key: 'colour' as const, label: t('chatAdmin.colour') },
    greeting: { key: 'greeting' as const, label: t('chatAdmin.greeting') },
    prechat_question: { key: 'question' as const, label: t('chatAdmin.question') },
    prechat_choices: { key: 'choices' as const, label: t('chatAdmin.choices') },
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft.name.trim()) return setErrors({ fields: { name: t('form.required', { label: t('chatAdmin.name') }) }, form: null });
    const input: ChatSiteInput = {
      name: draft.name.trim(),
      allowed_origins: draft.origins
        .split(/[\s,]+/)
        .map((o) => o.trim())
        .filter(Boolean),
      colour: draft.colour,
      greeting: draft.greeting,
      prechat_question: draft.question,
      prechat_choices: draft.choices
        .filter((c) => c.label.trim())
        .map((c, i) => ({ ...c, id: c.id || choiceId(c.label, i), label: c.label.trim(), team_id: c.team_id || null })),
      team_id: draft.teamId || null,
      category: draft.category,
      require_identity: draft.requireIdentity,
    };
    setBusy(true);
    try {
      const saved = site
        ? await chatSites.update(site.id, { ...input, active: draft.active })
        : await chatSites.create(input, idempotencyKey.current);
      onSaved(saved);
    } catch (err) {
      setErrors(formErrorsOf(err, fields));
    } finally {
      setBusy(false);
    }
  }

  const err = (key: Key) => errors.fields[key];
  const errId = (key: Key) => `${id}-${key}-error`;

  return (
    <Dialog
      open={open}
      className="dialog--wide"
      title={site ? t('chatAdmin.editTitle', { name: site.name }) : t('chatAdmin.addTitle')}
      onClose={onClose}
    >
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <FormError text={errors.form} />
        <div className="field">
          <label htmlFor={`${id}-name`}>{t('chatAdmin.name')}</label>
          <input
            id={`${id}-name`}
            data-autofocus
            type="text"
            maxLength={100}
            required
            value={draft.name}
            aria-invalid={err('name') ? true : undefined}
            aria-describedby={describedBy(err('name') && errId('name'))}
            onChange={(e) => set('name', e.target.value)}
          />
          <FieldError id={errId('name')} text={err('name')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-origins`}>{t('chatAdmin.origins')}</label>
          <textarea
            id={`${id}-origins`}
            rows={3}
            value={draft.origins}
            aria-invalid={err('origins') ? true : undefined}
            aria-describedby={describedBy(`${id}-origins-hint`, err('origins') && errId('origins'))}
            onChange={(e) => set('origins', e.target.value)}
          />
          <p className="hint" id={`${id}-origins-hint`}>
            {t('chatAdmin.originsHint')}
          </p>
          <FieldError id={errId('origins')} text={err('origins')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-colour`}>{t('chatAdmin.colour')}</label>
          <input
            id={`${id}-colour`}
            type="color"
            value={draft.colour}
            aria-invalid={err('colour') ? true : undefined}
            aria-describedby={describedBy(err('colour') && errId('colour'))}
            onChange={(e) => set('colour', e.target.value)}
          />
          <FieldError id={errId('colour')} text={err('colour')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-greeting`}>{t('chatAdmin.greeting')}</label>
          <textarea
            id={`${id}-greeting`}
            rows={2}
            maxLength={500}
            value={draft.greeting}
            aria-invalid={err('greeting') ? true : undefined}
            aria-describedby={describedBy(err('greeting') && errId('greeting'))}
            onChange={(e) => set('greeting', e.target.value)}
          />
          <FieldError id={errId('greeting')} text={err('greeting')} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-team`}>{t('chatAdmin.team')}</label>
          <select id={`${id}-team`} value={draft.teamId} onChange={(e) => set('teamId', e.target.value)}>
            <option value="">{t('chatAdmin.anyTeam')}</option>
            {teams.map((team) => (
              <option key={team.id} value={team.id}>
                {team.name}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-category`}>{t('chatAdmin.category')}</label>
          <select id={`${id}-category`} value={draft.category} onChange={(e) => set('category', e.target.value as CaseCategory)}>
            {CASE_CATEGORIES.map((c) => (
              <option key={c} value={c}>
                {categoryLabel(c)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor={`${id}-question`}>{t('chatAdmin.question')}</label>
          <input
            id={`${id}-question`}
            type="text"
            maxLength={200}
            value={draft.question}
            aria-invalid={err('question') ? true : undefined}
            aria-describedby={describedBy(err('question') && errId('question'))}
            onChange={(e) => set('question', e.target.value)}
          />
          <FieldError id={errId('question')} text={err('question')} />
        </div>
        <fieldset className="field" aria-describedby={describedBy(err('choices') && errId('choices'))}>
          <legend>{t('chatAdmin.choices')}</legend>
          {draft.choices.map((choice, i) => {
            const n = i + 1;
            return (
              <div className="chat-choice" key={i}>
                <div className="field">
                  <label htmlFor={`${id}-choice-${i}`}>{t('chatAdmin.choiceLabel', { n })}</label>
                  <input
                    id={`${id}-choice-${i}`}
                    type="text"
                    maxLength={80}
                    value={choice.label}
                    onChange={(e) => setChoice(i, { label: e.target.value })}
                  />
                </div>
                <div className="field">
                  <label htmlFor={`${id}-choice-${i}-category`}>{t('chatAdmin.choiceCategory', { n })}</label>
                  <select
                    id={`${id}-choice-${i}-category`}
                    value={choice.category}
                    onChange={(e) => setChoice(i, { category: e.target.value as CaseCategory })}
                  >
                    {CASE_CATEGORIES.map((c) => (
                      <option key={c} value={c}>
                        {categoryLabel(c)}
                      </option>
                    ))}
                  </select>
                </div>
                <div className="field">
                  <label htmlFor={`${id}-choice-${i}-team`}>{t('chatAdmin.choiceTeam', { n })}</label>
                  <select
                    id={`${id}-choice-${i}-team`}
                    value={choice.team_id ?? ''}
                    onChange={(e) => setChoice(i, { team_id: e.target.value || null })}
                  >
                    <option value="">{t('chatAdmin.anyTeam')}</option>
                    {teams.map((team) => (
                      <option key={team.id} value={team.id}>
                        {team.name}
                      </option>
                    ))}
                  </select>
                </div>
                <button
                  type="button"
                  className="button button--small button--danger-quiet"
                  onClick={() => setDraft((d) => ({ ...d, choices: d.choices.filter((_, j) => j !== i) }))}
                >
                  {t('chatAdmin.removeChoice', { n })}
                </button>
              </div>
            );
          })}
          {draft.choices.length < 10 && (
            <button
              type="button"
              className="button button--small"
              onClick={() =>
                setDraft((d) => ({ ...d, choices: [...d.choices, { id: '', label: '', category: d.category, team_id: null }] }))
              }
            >
              {t('chatAdmin.addChoice')}
            </button>
          )}
          <FieldError id={errId('choices')} text={err('choices')} />
        </fieldset>
        <label className="checkbox">
          <input type="checkbox" checked={draft.requireIdentity} onChange={(e) => set('requireIdentity', e.target.checked)} />
          {t('chatAdmin.requireIdentity')}
        </label>
        {site && (
          <label className="checkbox">
            <input type="checkbox" checked={draft.active} onChange={(e) => set('active', e.target.checked)} />
            {t('chatAdmin.active')}
          </label>
        )}
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('chatAdmin.save')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
