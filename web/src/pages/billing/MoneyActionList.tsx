import type { MoneyAction } from '../../api/billing';
import { RelativeTime } from '../../components/Time';
import { t } from '../../i18n';
import { BillingStatus } from './labels';
import { formatMoney } from './money';

/** Money actions with their state, newest first: who asked, why, and how it was decided. */
export function MoneyActionList({ actions }: { actions: MoneyAction[] }) {
  if (actions.length === 0) return <p className="muted small">{t('billing.noMoneyActions')}</p>;
  return (
    <ul className="billing-list">
      {actions.map((action) => (
        <li key={action.id} className="billing-item" data-testid="money-action" data-status={action.status} data-kind={action.kind}>
          <div className="billing-item__line">
            <span className="billing-item__title">
              {t(`billing.kindOf.${action.kind}`, { amount: formatMoney(action.amount_minor, action.currency) })}
            </span>{' '}
            <BillingStatus kind="moneyAction" status={action.status} />
          </div>
          <div className="billing-item__meta">
            {t('billing.requestedBy', { name: action.requested_by.name || t('case.someone') })} · <RelativeTime iso={action.created_at} />
          </div>
          <div className="billing-item__meta break">{t('billing.reasonIs', { reason: action.reason })}</div>
          {action.decided_by && action.status !== 'pending_approval' && (
            <div className="billing-item__meta">
              {action.status === 'rejected'
                ? t('billing.rejectedBy', { name: action.decided_by.name || t('case.someone') })
                : t('billing.approvedBy', { name: action.decided_by.name || t('case.someone') })}
              {action.decision_note && <>: {action.decision_note}</>}
            </div>
          )}
          {action.status === 'failed' && action.failure_message && (
            <div className="billing-item__meta">{t('billing.failedBecause', { message: action.failure_message })}</div>
          )}
        </li>
      ))}
    </ul>
  );
}
