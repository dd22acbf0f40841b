import { useId, useState } from 'react';
import { customerBilling, moneyActions, type MoneyAction } from '../../api/billing';
import type { CaseDetail } from '../../api/types';
import { ErrorNotice, Loading } from '../../components/Notice';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { formatBillingDate } from './BillingDate';
import { approvalsChanged } from './BillingNav';
import { BillingOverview } from './BillingOverview';
import { MoneyActionDialog, type MoneyActionPreset } from './MoneyActionDialog';
import { MoneyActionList } from './MoneyActionList';
import { formatMoney } from './money';

/** The case sidebar's Billing panel: the customer's billing, and money actions taken on this case. */
export function CaseBillingPanel({ kase }: { kase: CaseDetail }) {
  const id = useId();
  const customerId = kase.customer.id;
  const state = useApi((signal) => customerBilling.get(customerId, signal), [customerId]);
  const actions = useApi((signal) => moneyActions.ofCase(kase.id, signal), [kase.id]);
  const [preset, setPreset] = useState<MoneyActionPreset | null>(null);
  const billing = state.data;
  const accounts = (billing?.accounts ?? []).map((a) => ({
    id: a.id,
    currency: a.currency,
    label: [a.currency, a.name || a.email || a.external_id].filter(Boolean).join(' · '),
  }));

  function done(action: MoneyAction) {
    actions.setData((list) => [action, ...(list ?? []).filter((a) => a.id !== action.id)]);
    state.reload();
    // "Approved" means the processor call is under way: look again shortly for its outcome.
    if (action.status === 'approved') {
      window.setTimeout(() => {
        actions.reload();
        state.reload();
      }, 2000);
    }
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

      <MoneyActionDialog caseId={kase.id} preset={preset} onClose={() => setPreset(null)} onDone={done} />
    </section>
  );
}
