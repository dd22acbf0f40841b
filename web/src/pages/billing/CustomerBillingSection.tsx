import { useId } from 'react';
import { customerBilling } from '../../api/billing';
import { ErrorNotice, Loading } from '../../components/Notice';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { BillingOverview } from './BillingOverview';

/** The customer page's Billing section: the same overview as on a case, without the money actions. */
export function CustomerBillingSection({ customerId }: { customerId: string }) {
  const id = useId();
  const state = useApi((signal) => customerBilling.get(customerId, signal), [customerId]);
  return (
    <section className="panel billing-panel billing-panel--wide" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('billing.heading')}
      </h2>
      {state.error !== undefined && !state.data ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : (
        <>
          <BillingOverview state={state.data} />
          <p className="hint">{t('billing.actionsFromCase')}</p>
        </>
      )}
    </section>
  );
}
