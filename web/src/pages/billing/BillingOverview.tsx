import { Link } from 'react-router-dom';
import type { BillingState, Invoice, MoneyAmount, Payment, Subscription } from '../../api/billing';
import { t } from '../../i18n';
import { BillingDate, formatBillingDate } from './BillingDate';
import { BillingStatus } from './labels';
import { formatMoney } from './money';
import './billing.css';

/** What the agent may start from the overview (only on a case: a money action belongs to one). */
export interface BillingActions {
  onRefund: (payment: Payment) => void;
  onWaiveFee: (invoice: Invoice, feeMinor: number) => void;
}

interface BillingOverviewProps {
  state: BillingState;
  /** The level of the overview's own headings (h3 in a panel whose heading is an h2). */
  headingLevel?: 3 | 4;
  actions?: BillingActions;
}

/** A customer's billing at a glance: balances, the last failed payment, subscriptions, invoices, payments. */
export function BillingOverview({ state, headingLevel = 3, actions }: BillingOverviewProps) {
  const H = `h${headingLevel}` as 'h3' | 'h4';
  const { summary } = state;
  const failed = summary.last_failed_payment;

  if (state.accounts.length === 0 && state.payments.length === 0 && state.invoices.length === 0) {
    return <p className="muted small">{t('billing.noRecords')}</p>;
  }

  return (
    <div className="billing">
      <dl className="billing-summary">
        <div>
          <dt>{t('billing.openBalance')}</dt>
          <dd>
            <Amounts amounts={summary.open_balance} none={t('billing.nothingOwed')} />
          </dd>
        </div>
        <div>
          <dt>{t('billing.credit')}</dt>
          <dd>
            <Amounts amounts={summary.credit_balance} none={t('billing.noCredit')} />
          </dd>
        </div>
        <div>
          <dt>{t('billing.disputes')}</dt>
          <dd>
            {summary.open_disputes > 0 ? (
              <Link to="/disputes">{t('billing.openDisputes', { count: summary.open_disputes })}</Link>
            ) : (
              t('billing.noOpenDisputes')
            )}
          </dd>
        </div>
      </dl>

      {failed && (
        <div className="billing-failed" role="group" aria-label={t('billing.lastFailedPayment')}>
          <p>
            <strong>{t('billing.lastFailedPayment')}</strong>{' '}
            {t('billing.failedOn', { amount: formatMoney(failed.amount_minor, failed.currency) })} <BillingDate iso={failed.paid_at} />
          </p>
          {(failed.failure_message || failed.failure_code) && (
            <p className="small">
              {t('billing.failureReason')}{' '}
              {[failed.failure_message, failed.failure_code && `(${failed.failure_code})`].filter(Boolean).join(' ')}
            </p>
          )}
        </div>
      )}

      <H className="panel__subheading">{t('billing.subscriptions')}</H>
      {state.subscriptions.length === 0 ? (
        <p className="muted small">{t('billing.noSubscriptions')}</p>
      ) : (
        <ul className="billing-list">
          {state.subscriptions.map((s) => (
            <SubscriptionItem key={s.id} subscription={s} />
          ))}
        </ul>
      )}

      <H className="panel__subheading">{t('billing.invoices')}</H>
      {state.invoices.length === 0 ? (
        <p className="muted small">{t('billing.noInvoices')}</p>
      ) : (
        <ul className="billing-list">
          {state.invoices.map((invoice) => (
            <InvoiceItem
              key={invoice.id}
              invoice={invoice}
              waivedMinor={state.credits
                .filter((c) => c.kind === 'fee_waiver' && c.invoice_id === invoice.id)
                .reduce((sum, c) => sum + c.amount_minor, 0)}
              onWaiveFee={actions?.onWaiveFee}
            />
          ))}
        </ul>
      )}

      <H className="panel__subheading">{t('billing.payments')}</H>
      {state.payments.length === 0 ? (
        <p className="muted small">{t('billing.noPayments')}</p>
      ) : (
        <ul className="billing-list">
          {state.payments.map((payment) => (
            <PaymentItem key={payment.id} payment={payment} onRefund={actions?.onRefund} />
          ))}
        </ul>
      )}
    </div>
  );
}

function Amounts({ amounts, none }: { amounts: MoneyAmount[]; none: string }) {
  const shown = amounts.filter((a) => a.amount_minor !== 0);
  if (shown.length === 0) return <>{none}</>;
  return (
    <>
      {shown.map((a, i) => (
        <span key={a.currency} className="billing-amount">
          {i > 0 && ', '}
          {formatMoney(a.amount_minor, a.currency)}
        </span>
      ))}
    </>
  );
}

function SubscriptionItem({ subscription: s }: { subscription: Subscription }) {
  const ended = s.status === 'canceled' || s.status === 'incomplete_expired';
  return (
    <li className="billing-item">
      <div className="billing-item__line">
        <span className="billing-item__title">{s.plan_name}</span> <BillingStatus kind="subscription" status={s.status} />
      </div>
      <div className="billing-item__meta">
        {s.interval
          ? t('billing.pricePer', { price: formatMoney(s.price_minor, s.currency), interval: intervalLabel(s.interval) })
          : formatMoney(s.price_minor, s.currency)}
        {s.current_period_end && !ended && (
          <>
            {' · '}
            {s.cancel_at_period_end ? t('billing.endsOn') : t('billing.renewsOn')} <BillingDate iso={s.current_period_end} />
          </>
        )}
      </div>
    </li>
  );
}

function intervalLabel(interval: string): string {
  switch (interval) {
    case 'day':
      return t('billing.interval.day');
    case 'week':
      return t('billing.interval.week');
    case 'month':
      return t('billing.interval.month');
    case 'year':
      return t('billing.interval.year');
    default:
      return interval;
  }
}

function InvoiceItem({
  invoice,
  waivedMinor,
  onWaiveFee,
}: {
  invoice: Invoice;
  /** Fees of this invoice already waived: only the rest may be. */
  waivedMinor: number;
  onWaiveFee?: BillingActions['onWaiveFee'];
}) {
  const name = invoice.number || t('billing.invoiceNoNumber');
  const fees = invoice.lines.filter((l) => l.is_fee);
  const feeMinor = fees.reduce((sum, l) => sum + l.amount_minor, 0) - waivedMinor;
  const money = (minor: number) => formatMoney(minor, invoice.currency);
  return (
    <li className="billing-item">
      <details className="billing-invoice">
        <summary>
          <span className="billing-item__title">{t('billing.invoiceNumber', { number: name })}</span>{' '}
          <BillingStatus kind="invoice" status={invoice.status} />{' '}
          <span className="billing-item__meta">
            {t('billing.invoiceTotal', { total: money(invoice.total_minor) })}
            {invoice.amount_due_minor > 0 && <> · {t('billing.invoiceDue', { due: money(invoice.amount_due_minor) })}</>}
          </span>
        </summary>
        <div className="billing-invoice__body">
          <p className="small">
            {t('billing.issued')} <BillingDate iso={invoice.issued_at} />
            {invoice.due_at && (
              <>
                {' · '}
                {t('billing.dueDate')} <BillingDate iso={invoice.due_at} />
              </>
            )}
            {invoice.paid_at && (
              <>
                {' · '}
                {t('billing.paidDate')} <BillingDate iso={invoice.paid_at} />
              </>
            )}
          </p>
          {invoice.lines.length === 0 ? (
            <p className="muted small">{t('billing.noLines')}</p>
          ) : (
            <table className="table table--compact billing-lines">
              <caption className="visually-hidden">{t('billing.linesOf', { number: name })}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('billing.lineDescription')}</th>
                  <th scope="col" className="num">
                    {t('billing.lineQuantity')}
                  </th>
                  <th scope="col" className="num">
                    {t('billing.lineAmount')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {invoice.lines.map((line, i) => (
                  <tr key={line.id ?? i}>
                    <td>
                      {line.description} {line.is_fee && <span className="badge badge--neutral">{t('billing.fee')}</span>}
                    </td>
                    <td className="num">{line.quantity}</td>
                    <td className="num">{money(line.amount_minor)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {onWaiveFee && feeMinor > 0 && (
            <button type="button" className="button button--small" onClick={() => onWaiveFee(invoice, feeMinor)}>
              {t('billing.waiveFee')}
              <span className="visually-hidden"> {t('billing.onInvoice', { number: name })}</span>
            </button>
          )}
        </div>
      </details>
    </li>
  );
}

function PaymentItem({ payment: p, onRefund }: { payment: Payment; onRefund?: BillingActions['onRefund'] }) {
  const amount = formatMoney(p.amount_minor, p.currency);
  return (
    <li
      className={`billing-item ${p.status === 'failed' ? 'billing-item--failed' : ''}`}
      data-testid="billing-payment"
      data-payment-id={p.id}
    >
      <div className="billing-item__line">
        <span className="billing-item__title">{amount}</span> <BillingStatus kind="payment" status={p.status} />
        {p.disputed && <span className="badge badge--danger">{t('billing.disputed')}</span>}
      </div>
      <div className="billing-item__meta">
        <BillingDate iso={p.paid_at} />
        {p.method_summary && <> · {p.method_summary}</>}
      </div>
      {p.status === 'failed' && (p.failure_message || p.failure_code) && (
        <div className="billing-item__meta">
          {t('billing.failureReason')} {p.failure_message || p.failure_code}
        </div>
      )}
      {p.refunded_minor > 0 && (
        <div className="billing-item__meta">
          {p.refunded_minor >= p.amount_minor
            ? t('billing.refundedFully', { amount: formatMoney(p.refunded_minor, p.currency) })
            : t('billing.refundedPart', { amount: formatMoney(p.refunded_minor, p.currency) })}
        </div>
      )}
      {/* A disputed payment is answered through its dispute, not refunded. */}
      {onRefund && p.status === 'succeeded' && !p.disputed && p.refundable_minor > 0 && (
        <button type="button" className="button button--small" onClick={() => onRefund(p)}>
          {t('billing.refund')}
          <span className="visually-hidden"> {t('billing.paymentOf', { amount, date: formatBillingDate(p.paid_at) })}</span>
        </button>
      )}
    </li>
  );
}
