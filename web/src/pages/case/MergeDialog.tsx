import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { cases as casesApi } from '../../api/client';
import { isApiError, type ApiError } from '../../api/http';
import type { CaseDetail } from '../../api/types';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';

/** into_this: the other case is merged into this one; into_other: this case is merged into the other. */
type Direction = 'into_this' | 'into_other';

interface MergeDialogProps {
  open: boolean;
  kase: CaseDetail;
  onClose: () => void;
  /** `target` is the case that stays (as the server answered it); `source` was closed. */
  onMerged: (target: CaseDetail, source: CaseDetail) => void;
  /** The server refused the merge because a case changed (closed meanwhile): reload what the page shows. */
  onRefused: () => void;
}

const CASE_NUMBER = /^#?\s*(\d{1,9})$/;

const caseName = (c: CaseDetail) => (c.subject ? `#${c.number} “${c.subject}”` : `#${c.number}`);

function mergeError(error: ApiError, source: CaseDetail, target: CaseDetail): string | undefined {
  const number = (error.details as { number?: unknown } | null | undefined)?.number;
  switch (error.code) {
    case 'case.merge_closed':
    case 'case.closed':
      return t('caseMerge.closed', { number: typeof number === 'number' ? number : source.number });
    case 'case.merge_same':
      return t('caseMerge.same');
    case 'case.merge_source_not_found':
      return t('caseMerge.notFound', { number: source.number });
    case 'case.not_found':
      return t('caseMerge.notFound', { number: target.number });
    default:
      return undefined;
  }
}

/**
 * Merges two cases in two steps: pick the other case by number and the direction, then confirm a
 * summary that says which case will be closed.
 */
export function MergeDialog({ open, kase, onClose, onMerged, onRefused }: MergeDialogProps) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const numberRef = useRef<HTMLInputElement>(null);
  const confirmHeadingRef = useRef<HTMLHeadingElement>(null);
  const [direction, setDirection] = useState<Direction>('into_this');
  const [numberText, setNumberText] = useState('');
  const [other, setOther] = useState<CaseDetail | null>(null);
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<FormErrors<'number'>>(NO_ERRORS);
  useFocusFirstInvalid(formRef, errors.fields);

  // Closing forgets the attempt, so the next opening starts at the first step.
  useEffect(() => {
    if (open) return;
    setDirection('into_this');
    setNumberText('');
    setOther(null);
    setErrors(NO_ERRORS);
  }, [open]);

  // Each step starts where its content starts: the summary to check, or the number to correct.
  const step = other ? 'confirm' : 'pick';
  const firstRender = useRef(true);
  useEffect(() => {
    if (firstRender.current) {
      firstRender.current = false;
      return;
    }
    if (step === 'confirm') confirmHeadingRef.current?.focus();
    else numberRef.current?.focus();
  }, [step]);

  async function lookUp(event: FormEvent) {
    event.preventDefault();
    if (busy) return;
    const match = CASE_NUMBER.exec(numberText.trim());
    const fail = (text: string) => setErrors({ fields: { number: text }, form: null });
    if (!match) return fail(t('caseMerge.numberInvalid'));
    const number = Number(match[1]);
    if (number === kase.number) return fail(t('caseMerge.same'));
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const found = await casesApi.get(number);
      if (found.status === 'closed') fail(t('caseMerge.closed', { number }));
      else setOther(found);
    } catch (err) {
      if (isApiError(err) && err.status === 404) fail(t('caseMerge.notFound', { number }));
      else setErrors(formErrorsOf(err, {}));
    } finally {
      setBusy(false);
    }
  }

  const source = other && (direction === 'into_other' ? kase : other);
  const target = other && (direction === 'into_other' ? other : kase);

  async function merge() {
    if (!source || !target || busy) return;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      onMerged(await casesApi.merge(target.id, source.id), source);
    } catch (err) {
      setErrors(formErrorsOf(err, {}, (e) => mergeError(e, source, target)));
      if (isApiError(err) && (err.status === 409 || err.status === 422)) onRefused();
    } finally {
      setBusy(false);
    }
  }

  const numberError = errors.fields.number;
  return (
    <Dialog open={open} onClose={onClose} title={t('caseMerge.title')}>
      {!source || !target ? (
        <form ref={formRef} className="form" onSubmit={lookUp} noValidate>
          <fieldset>
            <legend>{t('caseMerge.direction')}</legend>
            <label className="radio">
              <input
                type="radio"
                name={`${id}-direction`}
                value="into_this"
                checked={direction === 'into_this'}
                data-autofocus={direction === 'into_this' ? true : undefined}
                onChange={() => setDirection('into_this')}
              />
              <span>{t('caseMerge.intoThis', { number: kase.number })}</span>
            </label>
            <label className="radio">
              <input
                type="radio"
                name={`${id}-direction`}
                value="into_other"
                checked={direction === 'into_other'}
                onChange={() => setDirection('into_other')}
              />
              <span>{t('caseMerge.intoOther', { number: kase.number })}</span>
            </label>
          </fieldset>
          <div className="field">
            <label htmlFor={`${id}-number`}>{t('caseMerge.otherNumber')}</label>
            <input
              ref={numberRef}
              id={`${id}-number`}
              type="text"
              inputMode="numeric"
              autoComplete="off"
              maxLength={12}
              value={numberText}
              aria-invalid={numberError ? true : undefined}
              aria-describedby={describedBy(`${id}-number-hint`, numberError && `${id}-number-error`)}
              onChange={(e) => setNumberText(e.target.value)}
            />
            <span id={`${id}-number-hint`} className="hint">
              {t('caseMerge.numberHint')}
            </span>
            <FieldError id={`${id}-number-error`} text={numberError} />
          </div>
          <FormError text={errors.form} />
          <div className="form__actions">
            <button type="submit" className="button button--primary" disabled={busy}>
              {t('caseMerge.continue')}
            </button>
            <button type="button" className="button" onClick={onClose}>
              {t('common.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <div className="merge-confirm" data-testid="merge-confirm">
          <h3 ref={confirmHeadingRef} tabIndex={-1} className="panel__subheading">
            {t('caseMerge.confirmHeading')}
          </h3>
          <p className="merge-confirm__closed">
            <strong>{t('caseMerge.willClose', { name: caseName(source) })}</strong>
          </p>
          <p>{t('caseMerge.willMove', { name: caseName(target) })}</p>
          {source.customer.id !== target.customer.id && (
            <p className="notice notice--warning">
              {t('caseMerge.otherCustomer', {
                source: source.customer.name || source.customer.primary_email || t('customer.unnamed'),
                target: target.customer.name || target.customer.primary_email || t('customer.unnamed'),
              })}
            </p>
          )}
          <FormError text={errors.form} />
          <div className="form__actions">
            <button type="button" className="button button--danger" disabled={busy} onClick={() => void merge()}>
              {t('caseMerge.confirm', { number: source.number })}
            </button>
            <button
              type="button"
              className="button"
              disabled={busy}
              onClick={() => {
                setOther(null);
                setErrors(NO_ERRORS);
              }}
            >
              {t('caseMerge.back')}
            </button>
          </div>
        </div>
      )}
    </Dialog>
  );
}
