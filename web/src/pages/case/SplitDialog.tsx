import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { cases as casesApi } from '../../api/client';
import { isApiError, type ApiError } from '../../api/http';
import type { CaseDetail } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';

const MAX_SUBJECT = 300;

interface SplitDialogProps {
  open: boolean;
  kase: CaseDetail;
  messageIds: string[];
  onClose: () => void;
  /** The new case, holding the selected messages. */
  onSplit: (created: CaseDetail) => void;
  /** The server refused the split because the case changed (closed, messages moved): reload what the page shows. */
  onRefused: (code: string) => void;
}

function splitError(error: ApiError, kase: CaseDetail): string | undefined {
  switch (error.code) {
    case 'case.closed':
      return t('split.closed', { number: kase.number });
    case 'case.split_all_messages':
      return t('split.allMessages');
    case 'case.split_unknown_messages':
      return t('split.outdated');
    case 'case.split_messages':
      return t('split.noneSelected');
    default:
      return undefined;
  }
}

/** Names the new case for the messages selected in split mode, then creates it. */
export function SplitDialog({ open, kase, messageIds, onClose, onSplit, onRefused }: SplitDialogProps) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [subject, setSubject] = useState(kase.subject);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<'subject'>>(NO_ERRORS);
  useFocusFirstInvalid(formRef, errors.fields);

  useEffect(() => {
    if (!open) return;
    setSubject(kase.subject);
    setErrors(NO_ERRORS);
  }, [open, kase.subject]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    if (!subject.trim()) return setErrors({ fields: { subject: t('split.subjectMissing') }, form: null });
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      onSplit(await casesApi.split(kase.id, messageIds, subject.trim()));
    } catch (err) {
      const next = formErrorsOf(err, { subject: { key: 'subject', label: t('split.subject') } }, (e) => splitError(e, kase));
      setErrors(next);
      if (isApiError(err) && (err.status === 409 || err.status === 422)) onRefused(err.code);
    } finally {
      setBusy(false);
    }
  }

  const error = errors.fields.subject;
  return (
    <Dialog open={open} onClose={onClose} title={t('split.title', { number: kase.number })}>
      <form ref={formRef} className="form" onSubmit={submit} noValidate>
        <p id={`${id}-intro`}>{t('split.intro', { count: messageIds.length, number: kase.number })}</p>
        <div className="field">
          <label htmlFor={`${id}-subject`}>{t('split.subject')}</label>
          <input
            id={`${id}-subject`}
            type="text"
            required
            maxLength={MAX_SUBJECT}
            value={subject}
            data-autofocus
            aria-invalid={error ? true : undefined}
            aria-describedby={describedBy(`${id}-intro`, error && `${id}-error`)}
            onChange={(e) => setSubject(e.target.value)}
          />
          <FieldError id={`${id}-error`} text={error} />
        </div>
        <FormError text={errors.form} />
        <div className="form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {busy ? t('common.saving') : t('split.submit')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
