import { useEffect, useId, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { WEBHOOK_EVENT_STATUSES, webhookEvents, type WebhookEvent, type WebhookEventStatus } from '../../api/billing';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { BillingStatus, webhookStatusLabel } from './labels';
import { useFocusNewRow } from './useFocusNewRow';

const PAGE_SIZE = 50;
/** The filter lives in the address (?webhooks=failed): a link to the failed events can be shared. */
const PARAM = 'webhooks';

function statusParam(value: string | null): WebhookEventStatus | undefined {
  return WEBHOOK_EVENT_STATUSES.find((s) => s === value);
}

/**
 * Admin › Billing: what Stripe delivered to the webhook endpoint, newest first. A failed event was
 * stored but not applied; its error says why (often a customer Baton cannot match).
 */
export function WebhookEventsSection() {
  const id = useId();
  const [params, setParams] = useSearchParams();
  const status = statusParam(params.get(PARAM));
  const [rows, setRows] = useState<WebhookEvent[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const { bodyRef, focusRowAt } = useFocusNewRow();
  const { notify } = useToast();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    webhookEvents.list({ ...(status ? { status } : {}), limit: PAGE_SIZE }, controller.signal).then(
      (page) => {
        setRows(page.data);
        setNextCursor(page.next_cursor);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
  }, [status, tick]);

  function setStatus(value: string) {
    const next = new URLSearchParams(params);
    if (statusParam(value)) next.set(PARAM, value);
    else next.delete(PARAM);
    setParams(next, { replace: true });
  }

  async function loadMore() {
    if (!nextCursor || loadingMore) return;
    setLoadingMore(true);
    try {
      const page = await webhookEvents.list({ ...(status ? { status } : {}), limit: PAGE_SIZE, cursor: nextCursor });
      const shown = rows.length;
      setRows((current) => [...current, ...page.data.filter((e) => !current.some((x) => x.id === e.id))]);
      setNextCursor(page.next_cursor);
      if (page.data.length > 0) focusRowAt(shown);
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingMore(false);
    }
  }

  const statusName = status ? webhookStatusLabel(status).toLowerCase() : undefined;

  return (
    <section className="panel admin-section" aria-labelledby="billing-webhooks-heading">
      <h2 id="billing-webhooks-heading" className="panel__heading">
        {t('billing.webhooks.heading')}
      </h2>
      <p className="hint">{t('billing.webhooks.intro')}</p>

      <form className="filter-bar" aria-label={t('billing.webhooks.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor={`${id}-status`}>{t('billing.webhooks.status')}</label>
          <select id={`${id}-status`} value={status ?? ''} onChange={(e) => setStatus(e.target.value)}>
            <option value="">{t('billing.webhooks.allStatuses')}</option>
            {WEBHOOK_EVENT_STATUSES.map((s) => (
              <option key={s} value={s}>
                {webhookStatusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="filter-bar__actions">
          <button type="button" className="button button--small" disabled={loading} onClick={() => setTick((n) => n + 1)}>
            {t('billing.webhooks.refresh')}
          </button>
        </div>
      </form>

      <p className="list-toolbar__count" role="status">
        {loading
          ? ''
          : statusName
            ? t('billing.webhooks.showingStatus', { count: rows.length, status: statusName })
            : t('billing.webhooks.showing', { count: rows.length })}
      </p>

      {error !== undefined ? (
        <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />
      ) : loading && rows.length === 0 ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="empty">{statusName ? t('billing.webhooks.emptyStatus', { status: statusName }) : t('billing.webhooks.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table table--compact webhook-events">
            <caption className="visually-hidden">{t('billing.webhooks.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('billing.webhooks.col.event')}</th>
                <th scope="col">{t('billing.webhooks.col.status')}</th>
                <th scope="col">{t('billing.webhooks.col.error')}</th>
                <th scope="col">{t('billing.webhooks.col.received')}</th>
                <th scope="col">{t('billing.webhooks.col.processed')}</th>
              </tr>
            </thead>
            <tbody ref={bodyRef}>
              {rows.map((event) => (
                <tr key={event.id}>
                  <th scope="row" tabIndex={-1} className="webhook-events__event">
                    <code>{event.type}</code>
                    <span className="muted small break">{event.event_id}</span>
                  </th>
                  <td>
                    <BillingStatus kind="webhook" status={event.status} />
                  </td>
                  <td className="break">{event.error ?? <span className="muted">{t('billing.webhooks.noError')}</span>}</td>
                  <td className="nowrap">
                    <DateTime iso={event.received_at} />
                  </td>
                  <td className="nowrap">
                    {event.processed_at ? (
                      <DateTime iso={event.processed_at} />
                    ) : (
                      <span className="muted">{t('billing.webhooks.notProcessed')}</span>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {nextCursor && !error && (
        <div className="load-more">
          <button type="button" className="button" disabled={loadingMore} onClick={() => void loadMore()}>
            {t('billing.webhooks.loadMore')}
          </button>
        </div>
      )}
    </section>
  );
}
