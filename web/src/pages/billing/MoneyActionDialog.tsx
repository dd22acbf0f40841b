import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { moneyActions, type MoneyAction, type MoneyActionKind } from '../../api/billing';
import { isApiError, newIdempotencyKey, type ApiError } from '../../api/http';
import { Dialog } from '../../components/Dialog';
import { FieldError, FormError, useFocusFirstInvalid } from '../../components/FieldError';
import { t } from '../../i18n';
import { describedBy, formErrorsOf, NO_ERRORS, type FormErrors } from '../../lib/fieldErrors';
import { amountExample, amountProblemText, currencyExponent, formatMoney, minorToMajorString, parseAmount } from './money';

/** What the dialog starts from: the payment to refund, the invoice whose fee to waive, or a credit. */
export interface MoneyActionPreset {
  kind: MoneyActionKind;
  /** The currency of a refund or a fee waiver (a credit's follows its account). */
  currency?: string;
  /** A credit's accounts to choose from (the customer may have one per currency, or several). */
  accounts?: { id: string; currency: string; label: string }[];
  amountMinor?: number;
  /** The most the action may be for (what is left to refund of a payment, the invoice's fees). */
  maxMinor?: number;
  paymentId?: string;
  invoiceId?: string;
  /** One line saying what the action is about ("the payment of €49.90 on 3 Nov 2026"). */
  about?: string;
}

interface MoneyActionDialogProps {
  caseId: string;
  preset: MoneyActionPreset | null;
  onClose: () => void;
  /** The action was recorded (completed, waiting for approval or failed): reload what shows it. */
  onDone: (action: MoneyAction) => void;
}

const TITLE = {
  refund: 'billing.action.refundTitle',
  credit: 'billing.action.creditTitle',
  fee_waiver: 'billing.action.feeWaiverTitle',
} as const;

export function MoneyActionDialog({ caseId, preset, onClose, onDone }: MoneyActionDialogProps) {
  // The form is mounted per opening (preset is null while closed): each opening starts afresh,
  // with its own Idempotency-Key.
  return (
    <Dialog open={preset !== null} onClose={onClose} title={preset ? t(TITLE[preset.kind]) : ''}>
      {preset && <MoneyActionForm caseId={caseId} preset={preset} onClose={onClose} onDone={onDone} />}
    </Dialog>
  );
}

type Field = 'amount' | 'account' | 'reason';

const SUBMIT = {
  refund: 'billing.action.refundSubmit',
  credit: 'billing.action.creditSubmit',
  fee_waiver: 'billing.action.feeWaiverSubmit',
} as const;

/** Refusals about the amount: shown under the amount field, with what is still possible. */
function amountRefusal(error: ApiError, currency: string): string | undefined {
  const details = (error.details ?? {}) as { refundable_minor?: unknown; waivable_minor?: unknown };
  const limit = [details.refundable_minor, details.waivable_minor].find((v): v is number => typeof v === 'number');
  switch (error.code) {
    case 'billing.refund_exceeds_payment':
      return limit !== undefined ? t('billing.action.refundableNow', { max: formatMoney(limit, currency) }) : undefined;
    case 'billing.waiver_exceeds_fees':
    case 'billing.waiver_exceeds_amount_due':
      return limit !== undefined ? t('billing.action.amountAboveMax', { max: formatMoney(limit, currency) }) : undefined;
    default:
      return undefined;
  }
}

function MoneyActionForm({
  caseId,
  preset,
  onClose,
  onDone,
}: { caseId: string; preset: MoneyActionPreset } & Omit<MoneyActionDialogProps, 'preset' | 'caseId'>) {
  const id = useId();
  const formRef = useRef<HTMLFormElement>(null);
  const resultRef = useRef<HTMLParagraphElement>(null);
  // One key for this opening: a double click, or a retry after a lost answer, is the same request.
  const [idempotencyKey] = useState(newIdempotencyKey);
  const accounts = preset.accounts ?? [];
  const [accountId, setAccountId] = useState(accounts[0]?.id ?? '');
  const currency = preset.currency ?? accounts.find((a) => a.id === accountId)?.currency ?? '';
  const [amount, setAmount] = useState(preset.amountMinor ? minorToMajorString(preset.amountMinor, currency) : '');
  const [reason, setReason] = useState('');
  const [errors, setErrors] = useState<FormErrors<Field>>(NO_ERRORS);
  const [busy, setBusy] = useState(false);
  // A second click before React re-renders still sees busy=false: the ref stops it (the key would too).
  const sending = useRef(false);
  const [result, setResult] = useState<MoneyAction | null>(null);
  useFocusFirstInvalid(formRef, errors.fields);

  useEffect(() => {
    if (result) resultRef.current?.focus();
  }, [result]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (sending.current) return;
    const problems: Partial<Record<Field, string>> = {};
    const parsed = parseAmount(amount, currency);
    if ('problem' in parsed) problems.amount = amountProblemText(parsed.problem, currency);
    else if (preset.maxMinor !== undefined && parsed.minor > preset.maxMinor) {
      problems.amount = t('billing.action.amountAboveMax', { max: formatMoney(preset.maxMinor, currency) });
    }
    if (!currency) problems.account = t('billing.action.accountRequired');
    if (!reason.trim()) problems.reason = t('billing.action.reasonRequired');
    if (Object.keys(problems).length > 0 || 'problem' in parsed) return setErrors({ fields: problems, form: null });

    sending.current = true;
    setBusy(true);
    setErrors(NO_ERRORS);
    try {
      const action = await moneyActions.create(
        caseId,
        {
          kind: preset.kind,
          amount_minor: parsed.minor,
          currency,
          reason: reason.trim(),
          ...(preset.paymentId ? { payment_id: preset.paymentId } : {}),
          ...(preset.invoiceId ? { invoice_id: preset.invoiceId } : {}),
          ...(preset.kind === 'credit' && accountId ? { account_id: accountId } : {}),
        },
        idempotencyKey,
      );
      setResult(action);
      onDone(action);
    } catch (err) {
      const refusal = isApiError(err) ? amountRefusal(err, currency) : undefined;
      if (refusal) return setErrors({ fields: { amount: refusal }, form: null });
      setErrors(
        formErrorsOf<Field>(
          err,
          {
            amount_minor: { key: 'amount', label: t('billing.action.amount') },
            currency: { key: 'account', label: t('billing.action.account') },
            account_id: { key: 'account', label: t('billing.action.account') },
            reason: { key: 'reason', label: t('billing.action.reason') },
          },
          (e) => (e.code === 'idempotency.key_reused' ? t('billing.action.keyReused') : undefined),
        ),
      );
    } finally {
      sending.current = false;
      setBusy(false);
    }
  }

  if (result) {
    const money = formatMoney(result.amount_minor, result.currency);
    return (
      <div className="money-result">
        <p
          ref={resultRef}
          tabIndex={-1}
          role="status"
          className={`notice ${resultTone(result)}`}
          data-testid="money-action-result"
          data-status={result.status}
        >
          {resultText(result, money)}
        </p>
        <div className="form__actions">
          <button type="button" className="button button--primary" onClick={onClose}>
            {t('common.close')}
          </button>
        </div>
      </div>
    );
  }

  const err = (key: Field) => errors.fields[key];
  const errId = (key: Field) => `${id}-${key}-error`;
  const exponent = currencyExponent(currency);

  return (
    <form ref={formRef} className="form" onSubmit={submit} noValidate>
      {preset.about && <p className="dialog__content">{preset.about}</p>}
      <div className="form-grid">
        {accounts.length > 1 ? (
          <div className="field">
            <label htmlFor={`${id}-account`}>{t('billing.action.account')}</label>
            <select
              id={`${id}-account`}
              value={accountId}
              data-autofocus
              aria-invalid={err('account') ? true : undefined}
              aria-describedby={describedBy(err('account') && errId('account'))}
              onChange={(e) => setAccountId(e.target.value)}
            >
              {accounts.map((a) => (
                <option key={a.id} value={a.id}>
                  {a.label}
                </option>
              ))}
            </select>
            <FieldError id={errId('account')} text={err('account')} />
          </div>
        ) : (
          <FieldError id={errId('account')} text={err('account')} />
        )}
        <div className="field">
          <label htmlFor={`${id}-amount`}>{t('billing.action.amountIn', { currency })}</label>
          <input
            id={`${id}-amount`}
            type="text"
            inputMode={exponent === 0 ? 'numeric' : 'decimal'}
            autoComplete="off"
            maxLength={20}
            required
            data-autofocus={accounts.length > 1 ? undefined : true}
            value={amount}
            aria-invalid={err('amount') ? true : undefined}
            aria-describedby={describedBy(`${id}-amount-hint`, err('amount') && errId('amount'))}
            onChange={(e) => setAmount(e.target.value)}
          />
          <span id={`${id}-amount-hint`} className="hint">
            {preset.maxMinor !== undefined &&
              `${t(preset.kind === 'refund' ? 'billing.action.refundableHint' : 'billing.action.maxHint', {
                max: formatMoney(preset.maxMinor, currency),
              })} `}
            {exponent === 0 ? t('billing.action.amountHintWhole') : t('billing.action.amountHint', { example: amountExample(currency) })}
          </span>
          <FieldError id={errId('amount')} text={err('amount')} />
        </div>
        <div className="field field--wide">
          <label htmlFor={`${id}-reason`}>{t('billing.action.reason')}</label>
          <textarea
            id={`${id}-reason`}
            rows={3}
            maxLength={1000}
            required
            value={reason}
            aria-invalid={err('reason') ? true : undefined}
            aria-describedby={describedBy(`${id}-reason-hint`, err('reason') && errId('reason'))}
            onChange={(e) => setReason(e.target.value)}
          />
          <span id={`${id}-reason-hint`} className="hint">
            {t('billing.action.reasonHint')}
          </span>
          <FieldError id={errId('reason')} text={err('reason')} />
        </div>
      </div>
      <FormError text={errors.form} />
      <div className="form__actions">
        <button type="submit" className="button button--primary" disabled={busy} aria-disabled={busy}>
          {busy ? t('billing.action.sending') : t(SUBMIT[preset.kind])}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}

function resultTone(action: MoneyAction): string {
  switch (action.status) {
    case 'completed':
      return 'notice--success';
    case 'failed':
    case 'rejected':
      return 'notice--error';
    case 'pending_approval':
      return 'notice--warning';
    default:
      return 'notice--info';
  }
}

function resultText(action: MoneyAction, money: string): string {
  const what = t(`billing.kindOf.${action.kind}`, { amount: money });
  switch (action.status) {
    case 'completed':
      return t('billing.result.completed', { what });
    case 'pending_approval':
      return t('billing.result.pending', { what });
    case 'failed':
      return t('billing.result.failed', { what, message: action.failure_message ?? '' });
    case 'rejected':
      return t('billing.result.rejected', { what });
    case 'processing':
      return t('billing.result.processing', { what });
    default:
      return t('billing.result.approved', { what });
  }
}
