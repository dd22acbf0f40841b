import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { disputes as disputesApi, isClosed, type DisputeListQuery, type DisputeStatus, type DisputeSummary } from '../../api/disputes';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { useToast } from '../../components/Toasts';
import { t, type MessageKey } from '../../i18n';
import { Countdown } from './Countdown';
import { DisputeStatusBadge, OutcomeBadge } from './DisputeBadges';
import { DisputeReportPanel } from './DisputeReport';
import { formatMoney, reasonLabel } from './format';
import { NewDisputeDialog } from './NewDisputeDialog';
import './disputes.css';

const PAGE_SIZE = 50;
const DUE_SOON_MS = 3 * 24 * 3_600_000;
const FILTERS = ['all', 'open', 'won', 'lost', 'due_soon'] as const;
type Filter = (typeof FILTERS)[number];
/** Statuses still worked: an inquiry or chargeback that needs a response or is under review. */
const OPEN_STATUSES: DisputeStatus[] = ['warning_needs_response', 'warning_under_review', 'needs_response', 'under_review'];

function queryOf(filter: Filter, now: number): DisputeListQuery {
  switch (filter) {
    case 'open':
      return { status: OPEN_STATUSES };
    case 'won':
      return { outcome: ['won'] };
    case 'lost':
      return { outcome: ['lost'] };
    case 'due_soon':
      return { status: ['warning_needs_response', 'needs_response'], due_before: new Date(now + DUE_SOON_MS).toISOString() };
    default:
      return {};
  }
}

/** Every dispute of the workspace with its outcome report; filters live in the address (?show=open). */
export function DisputesPage() {
  const [params, setParams] = useSearchParams();
  const filter: Filter = FILTERS.find((f) => f === params.get('show')) ?? 'all';
  const [rows, setRows] = useState<DisputeSummary[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const [query, setQuery] = useState<DisputeListQuery>({});
  const [creating, setCreating] = useState(false);
  const { notify } = useToast();

  useEffect(() => {
    const controller = new AbortController();
    const q = queryOf(filter, Date.now());
    setQuery(q);
    setLoading(true);
    setError(undefined);
    disputesApi.list({ ...q, limit: PAGE_SIZE }, controller.signal).then(
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
  }, [filter, tick]);

  function setFilter(value: string) {
    const next = new URLSearchParams(params);
    if (value && value !== 'all') next.set('show', value);
    else next.delete('show');
    setParams(next, { replace: true });
  }

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await disputesApi.list({ ...query, limit: PAGE_SIZE, cursor: nextCursor });
      setRows((current) => [...current, ...page.data.filter((d) => !current.some((x) => x.id === d.id))]);
      setNextCursor(page.next_cursor);
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingMore(false);
    }
  }

  return (
    <div className="page page--wide">
      <div className="page-header">
        <PageHeading>{t('disputes.heading')}</PageHeading>
        <div className="page-header__actions">
          <button type="button" className="button" onClick={() => setCreating(true)}>
            {t('disputes.new')}
          </button>
        </div>
      </div>
      <p className="hint">{t('disputes.intro')}</p>

      <DisputeReportPanel refreshKey={tick} />

      <form className="filter-bar" aria-label={t('disputes.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor="disputes-filter">{t('disputes.filter')}</label>
          <select id="disputes-filter" value={filter} onChange={(e) => setFilter(e.target.value)}>
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`disputes.filter.${f}` as MessageKey)}
              </option>
            ))}
          </select>
        </div>
      </form>

      <p className="list-toolbar__count" role="status">
        {loading ? '' : t('disputes.showing', { count: rows.length })}
      </p>

      {error !== undefined ? (
        <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />
      ) : loading && rows.length === 0 ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="empty">{t('disputes.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('disputes.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('disputes.col.case')}</th>
                <th scope="col">{t('disputes.col.customer')}</th>
                <th scope="col" className="dispute-amount">
                  {t('disputes.col.amount')}
                </th>
                <th scope="col">{t('disputes.col.reason')}</th>
                <th scope="col">{t('disputes.col.status')}</th>
                <th scope="col">{t('disputes.col.due')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((d) => (
                <tr key={d.id} data-testid="dispute-row" data-dispute-id={d.id}>
                  <th scope="row">
                    {d.case ? (
                      <Link to={`/cases/${d.case.number}`}>#{d.case.number}</Link>
                    ) : (
                      <span className="muted">{t('disputes.noCase')}</span>
                    )}
                  </th>
                  <td className="break">
                    <Link to={`/customers/${encodeURIComponent(d.customer.id)}`}>{d.customer.name || d.customer.id}</Link>
                  </td>
                  <td className="dispute-amount nowrap">{formatMoney(d.amount_minor, d.currency)}</td>
                  <td>{reasonLabel(d.reason)}</td>
                  <td>{d.outcome ? <OutcomeBadge outcome={d.outcome} /> : <DisputeStatusBadge status={d.status} />}</td>
                  <td>
                    {!d.evidence_due_at ? (
                      <span className="muted">{t('dispute.due.none')}</span>
                    ) : isClosed(d) ? (
                      <span className="muted">{t('dispute.due.closed')}</span>
                    ) : (
                      <Countdown dueAt={d.evidence_due_at} />
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
            {t('disputes.loadMore')}
          </button>
        </div>
      )}
      <NewDisputeDialog open={creating} onClose={() => setCreating(false)} onCreated={() => setTick((n) => n + 1)} />
    </div>
  );
}
