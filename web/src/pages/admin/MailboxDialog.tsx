import { useId, useRef, useState, type FormEvent, type ReactNode } from 'react';
import { mailboxes as mailboxesApi } from '../../api/client';
import { CASE_CATEGORIES, type CaseCategory, type Mailbox } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { useToast } from '../../components/Toasts';
import { categoryLabel, t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import { useDirectory } from '../../shell/DirectoryContext';
import { changesOf, checkDraft, draftOf, newMailboxOf, PLACEHOLDERS, type Draft, type Field } from './mailboxDraft';

interface MailboxDialogProps {
  open: boolean;
  /** null: a new mailbox. */
  mailbox: Mailbox | null;
  onClose: () => void;
  onSaved: (mailbox: Mailbox, created: boolean) => void;
}

export function MailboxDialog({ open, mailbox, onClose, onSaved }: MailboxDialogProps) {
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title={mailbox ? t('mailboxes.editTitle', { address: mailbox.address }) : t('mailboxes.addTitle')}
      className="dialog--wide"
    >
      {/* Mounted per opening, so every opening starts from the mailbox as saved. */}
      {open && <MailboxForm key={mailbox?.id ?? 'new'} mailbox={mailbox} onCancel={onClose} onSaved={onSaved} />}
    </Dialog>
  );
}

function MailboxForm({
  mailbox,
  onCancel,
  onSaved,
}: {
  mailbox: Mailbox | null;
  onCancel: () => void;
  onSaved: MailboxDialogProps['onSaved'];
}) {
  const id = useId();
  const { teams } = useDirectory();
  const { notify } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [draft, setDraft] = useState<Draft>(() => draftOf(mailbox));
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  useFocusFirstInvalid(formRef, errors.fields);

  const hasStoredPassword = Boolean(mailbox?.imap?.has_password);
  const set = <K extends keyof Draft>(key: K, value: Draft[K]) => setDraft((d) => ({ ...d, [key]: value }));

  async function submit(event: FormEvent) {
    event.preventDefault();
    const problems = checkDraft(draft, hasStoredPassword && Boolean(mailbox?.imap));
    if (Object.keys(problems).length > 0) return setErrors({ fields: problems, form: null });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      if (mailbox) {
        const changes = changesOf(mailbox, draft);
        if (Object.keys(changes).length === 0) {
          notify(t('mailboxes.unchanged'), 'info');
          onCancel();
          return;
        }
        const saved = await mailboxesApi.update(mailbox.id, changes);
        notify(t('mailboxes.saved', { address: saved.address }));
        onSaved(saved, false);
      } else {
        const saved = await mailboxesApi.create(newMailboxOf(draft));
        notify(t('mailboxes.created', { address: saved.address }));
        onSaved(saved, true);
      }
    } catch (err) {
      setErrors(
        formErrorsOf<Field>(
          err,
          {
            address: { key: 'address', label: t('mailboxes.address') },
            name: { key: 'name', label: t('mailboxes.name') },
            team_id: { key: 'team_id', label: t('mailboxes.team') },
            category: { key: 'category', label: t('mailboxes.category') },
            language: { key: 'language', label: t('mailboxes.language') },
            ack_subject: { key: 'ack_subject', label: t('mailboxes.ackSubject') },
            ack_body: { key: 'ack_body', label: t('mailboxes.ackBody') },
            imap: { key: 'imap_host', label: t('mailboxes.imapHost') },
            'imap.host': { key: 'imap_host', label: t('mailboxes.imapHost') },
            'imap.port': { key: 'imap_port', label: t('mailboxes.imapPort') },
            'imap.tls': { key: 'imap_port', label: t('mailboxes.imapTls') },
            'imap.username': { key: 'imap_username', label: t('mailboxes.imapUsername') },
            'imap.password': { key: 'imap_password', label: t('mailboxes.imapPassword') },
            'imap.folder': { key: 'imap_folder', label: t('mailboxes.imapFolder') },
            'imap.move_to': { key: 'imap_move_to', label: t('mailboxes.imapMoveTo') },
          },
          (e) => (e.code === 'mailbox.address_taken' ? t('mailboxes.addressTaken') : undefined),
        ),
      );
    } finally {
      setBusy(false);
    }
  }

  const err = (key: Field) => errors.fields[key];
  const errId = (key: Field) => `${id}-${key}-error`;
  const invalid = (key: Field) => (err(key) ? true : undefined);

  /** A labelled text field with its error (and optional hint) wired to aria-describedby. */
  const text = (
    key: Field,
    label: string,
    options: {
      type?: string;
      hint?: ReactNode;
      maxLength?: number;
      autoComplete?: string;
      required?: boolean;
      placeholder?: string;
      autofocus?: boolean;
      wide?: boolean;
    } = {},
  ) => (
    <div className={`field ${options.wide ? 'field--wide' : ''}`}>
      <label htmlFor={`${id}-${key}`}>{label}</label>
      <input
        id={`${id}-${key}`}
        type={options.type ?? 'text'}
        value={draft[key]}
        maxLength={options.maxLength ?? 200}
        required={options.required}
        autoComplete={options.autoComplete ?? 'off'}
        placeholder={options.placeholder}
        data-autofocus={options.autofocus ? true : undefined}
        aria-invalid={invalid(key)}
        aria-describedby={describedBy(options.hint !== undefined && `${id}-${key}-hint`, err(key) && errId(key))}
        onChange={(e) => set(key, e.target.value)}
      />
      {options.hint !== undefined && (
        <span id={`${id}-${key}-hint`} className="hint">
          {options.hint}
        </span>
      )}
      <FieldError id={errId(key)} text={err(key)} />
    </div>
  );

  return (
    <form ref={formRef} className="form mailbox-form" onSubmit={submit} noValidate>
      <fieldset>
        <legend>{t('mailboxes.general')}</legend>
        <div className="form-grid">
          {text('address', t('mailboxes.address'), {
            type: 'email',
            maxLength: 254,
            required: true,
            autofocus: true,
            hint: t('mailboxes.addressHint'),
          })}
          {text('name', t('mailboxes.name'), { required: true, maxLength: 100, hint: t('mailboxes.nameHint') })}
          <div className="field">
            <label htmlFor={`${id}-team_id`}>{t('mailboxes.team')}</label>
            <select
              id={`${id}-team_id`}
              value={draft.team_id}
              aria-invalid={invalid('team_id')}
              aria-describedby={describedBy(err('team_id') && errId('team_id'))}
              onChange={(e) => set('team_id', e.target.value)}
            >
              <option value="">{t('mailboxes.noTeam')}</option>
              {draft.team_id && !teams.some((tm) => tm.id === draft.team_id) && (
                <option value={draft.team_id}>{t('mailboxes.unknownTeam')}</option>
              )}
              {teams.map((team) => (
                <option key={team.id} value={team.id}>
                  {team.name}
                </option>
              ))}
            </select>
            <FieldError id={errId('team_id')} text={err('team_id')} />
          </div>
          <div className="field">
            <label htmlFor={`${id}-category`}>{t('mailboxes.category')}</label>
            <select
              id={`${id}-category`}
              value={draft.category}
              aria-invalid={invalid('category')}
              aria-describedby={describedBy(`${id}-category-hint`, err('category') && errId('category'))}
              onChange={(e) => set('category', e.target.value as CaseCategory)}
            >
              {CASE_CATEGORIES.map((c) => (
                <option key={c} value={c}>
                  {categoryLabel(c)}
                </option>
              ))}
            </select>
            <span id={`${id}-category-hint`} className="hint">
              {t('mailboxes.categoryHint')}
            </span>
            <FieldError id={errId('category')} text={err('category')} />
          </div>
          {text('language', t('mailboxes.language'), { maxLength: 10, hint: t('mailboxes.languageHint') })}
        </div>
      </fieldset>

      <fieldset>
        <legend>{t('mailboxes.ackHeading')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={draft.acknowledge} onChange={(e) => set('acknowledge', e.target.checked)} />
          <span>{t('mailboxes.acknowledge')}</span>
        </label>
        <p className="hint">{t('mailboxes.ackHint')}</p>
        {draft.acknowledge && (
          <div className="form mailbox-form__group">
            <div id={`${id}-placeholders`} className="placeholders">
              <p className="hint">{t('mailboxes.templateHint')}</p>
              <p className="hint">{t('mailboxes.placeholdersIntro')}</p>
              <ul className="placeholders__list">
                {PLACEHOLDERS.map((p) => (
                  <li key={p.code}>
                    <code>{p.code}</code> {t(p.key)}
                  </li>
                ))}
              </ul>
            </div>
            <div className="field">
              <label htmlFor={`${id}-ack_subject`}>{t('mailboxes.ackSubject')}</label>
              <input
                id={`${id}-ack_subject`}
                type="text"
                maxLength={300}
                value={draft.ack_subject}
                aria-invalid={invalid('ack_subject')}
                aria-describedby={describedBy(`${id}-placeholders`, err('ack_subject') && errId('ack_subject'))}
                onChange={(e) => set('ack_subject', e.target.value)}
              />
              <FieldError id={errId('ack_subject')} text={err('ack_subject')} />
            </div>
            <div className="field">
              <label htmlFor={`${id}-ack_body`}>{t('mailboxes.ackBody')}</label>
              <textarea
                id={`${id}-ack_body`}
                rows={7}
                maxLength={20000}
                value={draft.ack_body}
                aria-invalid={invalid('ack_body')}
                aria-describedby={describedBy(`${id}-placeholders`, err('ack_body') && errId('ack_body'))}
                onChange={(e) => set('ack_body', e.target.value)}
              />
              <FieldError id={errId('ack_body')} text={err('ack_body')} />
            </div>
          </div>
        )}
      </fieldset>

      <fieldset>
        <legend>{t('mailboxes.imapHeading')}</legend>
        <label className="checkbox">
          <input type="checkbox" checked={draft.imap} onChange={(e) => set('imap', e.target.checked)} />
          <span>{t('mailboxes.imapOn')}</span>
        </label>
        <p className="hint">{mailbox?.imap && !draft.imap ? t('mailboxes.imapOffHint') : t('mailboxes.imapHint')}</p>
        {draft.imap && (
          <div className="form-grid mailbox-form__group">
            {text('imap_host', t('mailboxes.imapHost'), { maxLength: 253, required: true })}
            {text('imap_port', t('mailboxes.imapPort'), {
              type: 'number',
              maxLength: 5,
              required: true,
              hint: t('mailboxes.imapPortHint'),
            })}
            <label className="checkbox field--wide">
              <input
                type="checkbox"
                checked={draft.imap_tls}
                onChange={(e) => {
                  const tls = e.target.checked;
                  // Follow the usual port for the choice unless the admin typed another one.
                  setDraft((d) => ({
                    ...d,
                    imap_tls: tls,
                    imap_port: d.imap_port === '993' && !tls ? '143' : d.imap_port === '143' && tls ? '993' : d.imap_port,
                  }));
                }}
              />
              <span>{t('mailboxes.imapTls')}</span>
            </label>
            {text('imap_username', t('mailboxes.imapUsername'), { maxLength: 254, required: true })}
            {text('imap_password', t('mailboxes.imapPassword'), {
              type: 'password',
              maxLength: 1000,
              // Not the admin's own sign-in: keep password managers from filling it in.
              autoComplete: 'new-password',
              required: !hasStoredPassword,
              placeholder: hasStoredPassword ? t('mailboxes.passwordUnchanged') : undefined,
              hint: hasStoredPassword ? t('mailboxes.passwordKeepHint') : t('mailboxes.passwordHint'),
            })}
            {text('imap_folder', t('mailboxes.imapFolder'), { maxLength: 200, hint: t('mailboxes.imapFolderHint') })}
            {text('imap_move_to', t('mailboxes.imapMoveTo'), { maxLength: 200, hint: t('mailboxes.imapMoveToHint') })}
          </div>
        )}
      </fieldset>

      <FormError text={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('common.saving') : mailbox ? t('mailboxes.save') : t('mailboxes.create')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
