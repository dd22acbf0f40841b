import { useEffect, useId, useRef, useState } from 'react';
import { useSearchParams } from 'react-router-dom';
import { WEBHOOK_EVENT_STATUSES, webhookEvents, type WebhookEvent, type WebhookEventStatus } from '../../api/billing';
import { isApiError } from '../../api/http';
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

/** The outcome of the last retry, read out by the section's live region. */
interface RetryResult {
  tone: 'success' | 'error' | 'info';
  text: string;
}

/** What a retry answered, in words: the event applies now, still fails (with the new reason), or was refused. */
function retryOutcome(before: WebhookEvent, after: WebhookEvent): RetryResult {
  const vars = { type: before.type, eventId: before.event_id };
  if (after.status === 'failed') {
    return { tone: 'error', text: t('billing.webhooks.retryFailed', { ...vars, error: after.error ?? t('billing.webhooks.noError') }) };
  }
  if (after.status === 'processed') return { tone: 'success', text: t('billing.webhooks.retryProcessed', vars) };
  return { tone: 'info', text: t('billing.webhooks.retryOther', { ...vars, status: webhookStatusLabel(after.status).toLowerCase() }) };
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
  // Events whose retry is under way (their buttons are disabled), and the last retry's outcome.
  const [retrying, setRetrying] = useState<ReadonlySet<string>>(new Set());
  const [retryResult, setRetryResult] = useState<RetryResult | null>(null);
  // Where focus goes once a retry's outcome is on screen: its button again when the event is still
  // failed, otherwise the row header (the button is gone). Only when focus was on that row or got
  // lost (a disabled button drops it), never away from where the admin went meanwhile.
  const focusAfterRetry = useRef<string | null>(null);

  useEffect(() => {
    const eventId = focusAfterRetry.current;
    if (!eventId) return;
    focusAfterRetry.current = null;
    const row = bodyRef.current?.querySelector<HTMLElement>(`tr[data-event-id="${CSS.escape(eventId)}"]`);
    const active = document.activeElement;
    if (!row || (active && active !== document.body && !row.contains(active))) return;
    (row.querySelector<HTMLElement>('button[data-retry]') ?? row.querySelector<HTMLElement>('th[scope="row"]'))?.focus();
  });

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

  async function retry(event: WebhookEvent) {
    if (retrying.has(event.id)) return;
    setRetrying((current) => new Set(current).add(event.id));
    setRetryResult(null);
    try {
      const after = await webhookEvents.retry(event.id);
      // The row keeps its place (even under the "failed" filter) and shows the new status and error.
      setRows((current) => current.map((e) => (e.id === after.id ? after : e)));
      setRetryResult(retryOutcome(event, after));
    } catch (err) {
      const vars = { type: event.type, eventId: event.event_id };
      if (isApiError(err) && err.status === 409) {
        // Someone got there first: the server says what the event is now (the row stops offering a
        // retry at once), and the list is read again for the rest.
        const reported = (err.details as { status?: unknown } | null)?.status;
        const now = statusParam(typeof reported === 'string' ? reported : null);
        if (now) setRows((current) => current.map((e) => (e.id === event.id ? { ...e, status: now } : e)));
        setRetryResult({ tone: 'error', text: t('billing.webhooks.retryRefused', { ...vars, message: err.message }) });
        setTick((n) => n + 1);
      } else {
        setRetryResult({ tone: 'error', text: t('billing.webhooks.retryRefused', { ...vars, message: errorText(err) }) });
      }
    } finally {
      focusAfterRetry.current = event.id;
      setRetrying((current) => {
        const next = new Set(current);
        next.delete(event.id);
        return next;
      });
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
      {/* Always in the page, so screen readers announce each retry's outcome when it is written. */}
      <div role="status" className="webhook-events__retry-result">
        {retryResult && <p className={`notice notice--${retryResult.tone}`}>{retryResult.text}</p>}
      </div>

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
                <tr key={event.id} data-event-id={event.id}>
                  <th scope="row" tabIndex={-1} className="webhook-events__event">
                    <code>{event.type}</code>
                    <span className="muted small break">{event.event_id}</span>
                  </th>
                  <td>
                    <BillingStatus kind="webhook" status={event.status} />
                    {event.status === 'failed' && (
                      <div className="row-actions webhook-events__retry">
                        <button
                          type="button"
                          className="button button--small"
                          data-retry
                          disabled={retrying.has(event.id)}
                          onClick={() => void retry(event)}
                        >
                          {retrying.has(event.id) ? t('billing.webhooks.retrying') : t('billing.webhooks.retry')}
                          <span className="visually-hidden">
                            {' '}
                            {t('billing.webhooks.retryWhat', { type: event.type, eventId: event.event_id })}
                          </span>
                        </button>
                      </div>
                    )}
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
