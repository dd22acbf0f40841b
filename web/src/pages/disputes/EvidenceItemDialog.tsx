import { useId, useRef, useState, type FormEvent } from 'react';
import { EVIDENCE_KINDS, type EvidenceInput, type EvidenceItem, type EvidenceKind } from '../../api/disputes';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import { evidenceKindLabel } from './format';

type Field = 'kind' | 'title' | 'body';

const TITLE_MAX = 300;
const BODY_MAX = 200_000;

interface EvidenceItemDialogProps {
  open: boolean;
  /** null: a new item. */
  item: EvidenceItem | null;
  onClose: () => void;
  onSave: (input: EvidenceInput) => Promise<void>;
}

/** Adds or edits one staged evidence item (kind, title, text). */
export function EvidenceItemDialog({ open, item, onClose, onSave }: EvidenceItemDialogProps) {
  return (
    <Dialog open={open} onClose={onClose} title={item ? t('evidence.editTitle') : t('evidence.addTitle')} className="dialog--wide">
      {/* Mounted per opening, so every opening starts from the item as saved. */}
      {open && <EvidenceForm key={item?.id ?? 'new'} item={item} onCancel={onClose} onSave={onSave} />}
    </Dialog>
  );
}

function EvidenceForm({
  item,
  onCancel,
  onSave,
}: {
  item: EvidenceItem | null;
  onCancel: () => void;
  onSave: EvidenceItemDialogProps['onSave'];
}) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const [kind, setKind] = useState<EvidenceKind>(item?.kind ?? 'uncategorized');
  const [title, setTitle] = useState(item?.title ?? '');
  const [body, setBody] = useState(item?.body ?? '');
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  useFocusFirstInvalid(formRef, errors.fields);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!title.trim()) {
      setErrors({ fields: { title: t('form.required', { label: t('evidence.title') }) }, form: null });
      return;
    }
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      await onSave({ kind, title: title.trim(), body });
    } catch (err) {
      setErrors(
        formErrorsOf<Field>(err, {
          kind: { key: 'kind', label: t('evidence.kind') },
          title: { key: 'title', label: t('evidence.title') },
          body: { key: 'body', label: t('evidence.body') },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  const err = errors.fields;
  return (
    <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
      <div className="field">
        <label htmlFor={`${id}-kind`}>{t('evidence.kind')}</label>
        <select
          id={`${id}-kind`}
          value={kind}
          aria-invalid={err.kind ? true : undefined}
          aria-describedby={describedBy(err.kind && `${id}-kind-error`)}
          onChange={(e) => setKind(e.target.value as EvidenceKind)}
        >
          {EVIDENCE_KINDS.map((k) => (
            <option key={k} value={k}>
              {evidenceKindLabel(k)}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-kind-error`} text={err.kind} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-title`}>{t('evidence.title')}</label>
        <input
          id={`${id}-title`}
          type="text"
          value={title}
          maxLength={TITLE_MAX}
          required
          data-autofocus
          aria-invalid={err.title ? true : undefined}
          aria-describedby={describedBy(err.title && `${id}-title-error`)}
          onChange={(e) => setTitle(e.target.value)}
        />
        <FieldError id={`${id}-title-error`} text={err.title} />
      </div>
      <div className="field">
        <label htmlFor={`${id}-body`}>{t('evidence.body')}</label>
        <textarea
          id={`${id}-body`}
          rows={10}
          value={body}
          maxLength={BODY_MAX}
          aria-invalid={err.body ? true : undefined}
          aria-describedby={describedBy(err.body && `${id}-body-error`)}
          onChange={(e) => setBody(e.target.value)}
        />
        <FieldError id={`${id}-body-error`} text={err.body} />
      </div>
      <FormError text={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('evidence.save')}
        </button>
        <button type="button" className="button" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
