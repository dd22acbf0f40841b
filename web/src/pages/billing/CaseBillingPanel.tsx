import { useEffect, useId, useRef, useState } from 'react';
import { customerBilling, moneyActions, type MoneyAction } from '../../api/billing';
import type { CaseDetail } from '../../api/types';
import { ErrorNotice, Loading } from '../../components/Notice';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { formatBillingDate } from './BillingDate';
import { approvalsChanged } from './BillingNav';
import { BillingOverview } from './BillingOverview';
import { MoneyActionDialog, type MoneyActionPreset } from './MoneyActionDialog';
import { MoneyActionList } from './MoneyActionList';
import { formatMoney } from './money';

interface CaseBillingPanelProps {
  kase: CaseDetail;
  /**
   * A money action was recorded on this case, or the outcome of one being carried out arrived:
   * the case history has new lines (the case page reloads it, as after any other change).
   */
  onMoneyAction?: (action: MoneyAction) => void;
}

/** When to look again for the outcome of an action a processor carries out (after 1, 3, 7, 15, 31 s). */
const FOLLOW_UP_DELAYS_MS = [1000, 2000, 4000, 8000, 16000];

/** The case sidebar's Billing panel: the customer's billing, and money actions taken on this case. */
export function CaseBillingPanel({ kase, onMoneyAction }: CaseBillingPanelProps) {
  const id = useId();
  const caseId = kase.id;
  const customerId = kase.customer.id;
  const { notify } = useToast();
  const state = useApi((signal) => customerBilling.get(customerId, signal), [customerId]);
  const actions = useApi((signal) => moneyActions.ofCase(caseId, signal), [caseId]);
  const [preset, setPreset] = useState<MoneyActionPreset | null>(null);
  // An action a processor is carrying out (approved or processing), on the case it belongs to.
  const [following, setFollowing] = useState<{ caseId: string; actionId: string; status: MoneyAction['status'] } | null>(null);
  const billing = state.data;
  const accounts = (billing?.accounts ?? []).map((a) => ({
    id: a.id,
    currency: a.currency,
    label: [a.currency, a.name || a.email || a.external_id].filter(Boolean).join(' · '),
  }));

  const { setData: setActions } = actions;
  const { reload: reloadBilling } = state;
  // The latest callbacks, read by the follow-up timer without restarting it.
  const latest = useRef({ onMoneyAction, notify });
  latest.current = { onMoneyAction, notify };

  // "Approved" means a processor (Stripe) is carrying the action out, "processing" that it accepted a
  // refund it settles later (by webhook): look again, less and less often, until it is completed or
  // failed; then the billing state, the list and the case history change.
  useEffect(() => {
    if (!following || following.caseId !== caseId) return;
    const controller = new AbortController();
    let attempt = 0;
    let timer: number | undefined;
    let lastStatus = following.status;
    const lookAgain = () => {
      timer = window.setTimeout(() => {
        moneyActions.ofCase(caseId, controller.signal).then(
          (list) => {
            if (controller.signal.aborted) return;
            setActions(list);
            const action = list.find((a) => a.id === following.actionId);
            if (action && !inProgress(action)) {
              reloadBilling();
              latest.current.onMoneyAction?.(action);
              latest.current.notify(outcomeText(action), action.status === 'completed' ? 'success' : 'error');
              setFollowing(null);
              return;
            }
            // approved -> processing adds a line to the case history; the outcome is still to come.
            if (action && action.status !== lastStatus) {
              lastStatus = action.status;
              latest.current.onMoneyAction?.(action);
            }
            if (++attempt < FOLLOW_UP_DELAYS_MS.length) lookAgain();
          },
          () => {
            if (!controller.signal.aborted && ++attempt < FOLLOW_UP_DELAYS_MS.length) lookAgain();
          },
        );
      }, FOLLOW_UP_DELAYS_MS[attempt]);
    };
    lookAgain();
    return () => {
      window.clearTimeout(timer);
      controller.abort();
    };
  }, [following, caseId, setActions, reloadBilling]);

  function done(action: MoneyAction) {
    setActions((list) => [action, ...(list ?? []).filter((a) => a.id !== action.id)]);
    reloadBilling();
    onMoneyAction?.(action);
    if (inProgress(action)) setFollowing({ caseId, actionId: action.id, status: action.status });
    // A supervisor asking above their own limit sees the approvals count change at once.
    if (action.status === 'pending_approval') approvalsChanged();
  }

  return (
    <section className="panel billing-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('billing.heading')}
      </h2>
      {state.error !== undefined && !billing ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !billing ? (
        <Loading />
      ) : (
        <>
          <BillingOverview
            state={billing}
            actions={{
              onRefund: (payment) => {
                const amount = formatMoney(payment.amount_minor, payment.currency);
                setPreset({
                  kind: 'refund',
                  currency: payment.currency,
                  amountMinor: payment.refundable_minor,
                  maxMinor: payment.refundable_minor,
                  paymentId: payment.id,
                  about: t('billing.action.refundAbout', { amount, date: formatBillingDate(payment.paid_at) }),
                });
              },
              onWaiveFee: (invoice, feeMinor) =>
                setPreset({
                  kind: 'fee_waiver',
                  currency: invoice.currency,
                  amountMinor: feeMinor,
                  maxMinor: feeMinor,
                  invoiceId: invoice.id,
                  about: t('billing.action.feeWaiverAbout', {
                    number: invoice.number || t('billing.invoiceNoNumber'),
                    amount: formatMoney(feeMinor, invoice.currency),
                  }),
                }),
            }}
          />
          {accounts.length > 0 && (
            <p>
              <button
                type="button"
                className="button button--small"
                onClick={() => setPreset({ kind: 'credit', accounts, about: t('billing.action.creditAbout') })}
              >
                {t('billing.giveCredit')}
              </button>
            </p>
          )}
        </>
      )}

      <h3 className="panel__subheading">{t('billing.caseMoneyActions')}</h3>
      {actions.error !== undefined && !actions.data ? (
        <ErrorNotice error={actions.error} onRetry={actions.reload} />
      ) : !actions.data ? (
        <Loading />
      ) : (
        <MoneyActionList actions={actions.data} />
      )}

      <MoneyActionDialog caseId={caseId} preset={preset} onClose={() => setPreset(null)} onDone={done} />
    </section>
  );
}

/** A processor is still on it: approved (being carried out) or processing (settled later by its webhook). */
function inProgress(action: MoneyAction): boolean {
  return action.status === 'approved' || action.status === 'processing';
}

function outcomeText(action: MoneyAction): string {
  const what = t(`billing.kindOf.${action.kind}`, { amount: formatMoney(action.amount_minor, action.currency) });
  if (action.status === 'completed') return t('billing.result.completed', { what });
  if (action.status === 'failed') return t('billing.result.failed', { what, message: action.failure_message ?? '' }).trim();
  return t('billing.result.rejected', { what });
}
