import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { customers as customersApi } from '../../api/client';
import { disputes as disputesApi, DISPUTE_REASONS, type DisputeReason } from '../../api/disputes';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import { amountExample, amountProblemText, currencyExponent, parseAmount, type AmountProblem } from '../billing/money';
import { reasonLabel } from './format';

type Field = 'customer' | 'amount' | 'currency' | 'reason' | 'code' | 'due';

interface NewDisputeDialogProps {
  open: boolean;
  onClose: () => void;
  onCreated?: () => void;
  /** Opened from a case: its customer (and the case itself) are given. */
  customer?: { id: string; name: string };
  caseId?: string;
}

/** A dispute entered by hand (a bank letter, a processor Baton does not hear from): opens its case. */
export function NewDisputeDialog(props: NewDisputeDialogProps) {
  return (
    <Dialog open={props.open} onClose={props.onClose} title={t('newDispute.title')} className="dialog--wide">
      {props.open && <NewDisputeForm {...props} />}
    </Dialog>
  );
}

function NewDisputeForm({ onClose, onCreated, customer: given, caseId }: NewDisputeDialogProps) {
  const id = useId();
  const navigate = useNavigate();
  const { notify } = useToast();
  const formRef = useRef<HTMLFormElement>(null);
  const [q, setQ] = useState('');
  const [matches, setMatches] = useState<{ id: string; name: string; email: string | null }[]>([]);
  const [customerId, setCustomerId] = useState(given?.id ?? '');
  const [amount, setAmount] = useState('');
  const [currency, setCurrency] = useState('EUR');
  const [reason, setReason] = useState<DisputeReason>('general');
  const [code, setCode] = useState('');
  const [due, setDue] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  useFocusFirstInvalid(formRef, errors.fields);

  useEffect(() => {
    if (given || q.trim().length < 2) return;
    const controller = new AbortController();
    const timer = window.setTimeout(() => {
      customersApi.list({ q: q.trim(), limit: 20 }, controller.signal).then(
        (page) => {
          const list = page.data.map((c) => ({
            id: c.id,
            name: c.name,
            email: (c.emails.find((e) => e.is_primary) ?? c.emails[0])?.value ?? null,
          }));
          setMatches(list);
          setCustomerId((current) => (list.some((c) => c.id === current) ? current : (list[0]?.id ?? '')));
        },
        () => undefined,
      );
    }, 250);
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [q, given]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const code3 = currency.trim().toUpperCase();
    const problems: Partial<Record<Field, string>> = {};
    if (!customerId) problems.customer = t('form.required', { label: t('newDispute.customer') });
    const currencyValid = /^[A-Z]{3}$/.test(code3);
    if (!currencyValid) {
      problems.currency = code3 ? t('newDispute.badCurrency') : t('form.required', { label: t('newDispute.currency') });
    }
    // Without a valid currency the amount is checked for its form only (as if in EUR).
    const parsed = parseAmount(amount, currencyValid ? code3 : 'EUR');
    if ('problem' in parsed) problems.amount = amountText(parsed.problem, currencyValid ? code3 : 'EUR');
    if (Object.keys(problems).length > 0 || 'problem' in parsed) return setErrors({ fields: problems, form: null });
    const minor = parsed.minor;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const created = await disputesApi.create({
        customer_id: customerId,
        ...(caseId ? { case_id: caseId } : {}),
        amount_minor: minor,
        currency: code3,
        reason,
        ...(code.trim() ? { network_reason_code: code.trim() } : {}),
        ...(due ? { evidence_due_at: new Date(due).toISOString() } : {}),
      });
      notify(t('newDispute.created'));
      onCreated?.();
      onClose();
      if (created.case && created.case.id !== caseId) void navigate(`/cases/${created.case.number}`);
    } catch (err) {
      setErrors(
        formErrorsOf<Field>(err, {
          customer_id: { key: 'customer', label: t('newDispute.customer') },
          amount_minor: { key: 'amount', label: t('newDispute.amount') },
          currency: { key: 'currency', label: t('newDispute.currency') },
          reason: { key: 'reason', label: t('newDispute.reason') },
          network_reason_code: { key: 'code', label: t('newDispute.networkCode') },
          evidence_due_at: { key: 'due', label: t('newDispute.due') },
        }),
      );
    } finally {
      setBusy(false);
    }
  }

  const hintCurrency = /^[A-Za-z]{3}$/.test(currency.trim()) ? currency.trim().toUpperCase() : 'EUR';
  const err = errors.fields;
  const invalid = (f: Field) => (err[f] ? true : undefined);
  const describe = (f: Field, hint?: string) => describedBy(hint, err[f] && `${id}-${f}-error`);

  return (
    <form ref={formRef} className="form" onSubmit={(e) => void submit(e)} noValidate>
      {given ? (
        <p>
          {t('disputes.col.customer')}: <strong>{given.name || given.id}</strong>
        </p>
      ) : (
        <>
          <div className="field">
            <label htmlFor={`${id}-q`}>{t('newDispute.findCustomer')}</label>
            <input id={`${id}-q`} type="search" value={q} data-autofocus onChange={(e) => setQ(e.target.value)} autoComplete="off" />
          </div>
          <div className="field">
            <label htmlFor={`${id}-customer`}>{t('newDispute.customer')}</label>
            <select
              id={`${id}-customer`}
              value={customerId}
              aria-invalid={invalid('customer')}
              aria-describedby={describe('customer')}
              onChange={(e) => setCustomerId(e.target.value)}
            >
              <option value="">{matches.length === 0 ? t('newDispute.noMatches') : t('common.choose')}</option>
              {matches.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.email ? `${c.name} (${c.email})` : c.name}
                </option>
              ))}
            </select>
            <FieldError id={`${id}-customer-error`} text={err.customer} />
          </div>
        </>
      )}
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-amount`}>{t('newDispute.amount')}</label>
          <input
            id={`${id}-amount`}
            type="text"
            inputMode="decimal"
            value={amount}
            data-autofocus={given ? true : undefined}
            aria-invalid={invalid('amount')}
            aria-describedby={describe('amount', `${id}-amount-hint`)}
            onChange={(e) => setAmount(e.target.value)}
          />
          <p id={`${id}-amount-hint`} className="hint">
            {t('newDispute.amountHint', { currency: hintCurrency, example: amountExample(hintCurrency) })}
          </p>
          <FieldError id={`${id}-amount-error`} text={err.amount} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-currency`}>{t('newDispute.currency')}</label>
          <input
            id={`${id}-currency`}
            type="text"
            value={currency}
            maxLength={3}
            autoComplete="off"
            aria-invalid={invalid('currency')}
            aria-describedby={describe('currency')}
            onChange={(e) => setCurrency(e.target.value)}
          />
          <FieldError id={`${id}-currency-error`} text={err.currency} />
        </div>
      </div>
      <div className="field">
        <label htmlFor={`${id}-reason`}>{t('newDispute.reason')}</label>
        <select
          id={`${id}-reason`}
          value={reason}
          aria-invalid={invalid('reason')}
          aria-describedby={describe('reason')}
          onChange={(e) => setReason(e.target.value as DisputeReason)}
        >
          {DISPUTE_REASONS.map((r) => (
            <option key={r} value={r}>
              {reasonLabel(r)}
            </option>
          ))}
        </select>
        <FieldError id={`${id}-reason-error`} text={err.reason} />
      </div>
      <div className="form-grid">
        <div className="field">
          <label htmlFor={`${id}-code`}>{t('newDispute.networkCode')}</label>
          <input
            id={`${id}-code`}
            type="text"
            value={code}
            maxLength={40}
            aria-invalid={invalid('code')}
            aria-describedby={describe('code')}
            onChange={(e) => setCode(e.target.value)}
          />
          <FieldError id={`${id}-code-error`} text={err.code} />
        </div>
        <div className="field">
          <label htmlFor={`${id}-due`}>{t('newDispute.due')}</label>
          <input
            id={`${id}-due`}
            type="datetime-local"
            value={due}
            aria-invalid={invalid('due')}
            aria-describedby={describe('due')}
            onChange={(e) => setDue(e.target.value)}
          />
          <FieldError id={`${id}-due-error`} text={err.due} />
        </div>
      </div>
      <FormError text={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy}>
          {t('newDispute.create')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

/** The amount's problem in words: "at most 2 decimals" for EUR, "a whole number" for JPY. */
function amountText(problem: AmountProblem, currency: string): string {
  switch (problem) {
    case 'decimals':
    case 'zero':
    case 'empty':
    case 'format':
      return currencyExponent(currency) === 0
        ? t('newDispute.badAmountWhole', { currency })
        : t('newDispute.badAmount', { digits: currencyExponent(currency) });
    default:
      return amountProblemText(problem, currency);
  }
}
