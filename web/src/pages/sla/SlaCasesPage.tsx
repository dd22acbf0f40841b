import { useEffect, useState } from 'react';
import { Link } from 'react-router-dom';
import { sla as slaApi, type SlaCaseItem, type SlaListState } from '../../api/sla';
import { PriorityBadge, StatusBadge } from '../../components/Badges';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';
import { formatDuration, metricLabel } from './format';
import './sla.css';

const PAGE_SIZE = 25;
/** "Breaching in the next hour". */
export const BREACHING_WITHIN_MINUTES = 60;

export function slaListQuery(state: SlaListState): { state: SlaListState; within_minutes?: number } {
  return state === 'breaching_soon' ? { state, within_minutes: BREACHING_WITHIN_MINUTES } : { state };
}

/** The cases whose worst SLA target breaches within the hour, or is breached and not met yet. */
export function SlaCasesPage({ state }: { state: SlaListState }) {
  const [rows, setRows] = useState<SlaCaseItem[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const { notify } = useToast();
  const heading = state === 'breaching_soon' ? t('sla.view.breachingSoon') : t('sla.view.breached');

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    slaApi.cases({ ...slaListQuery(state), limit: PAGE_SIZE }, controller.signal).then(
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
  }, [state, tick]);

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await slaApi.cases({ ...slaListQuery(state), limit: PAGE_SIZE, cursor: nextCursor });
      setRows((current) => [...current, ...page.data.filter((item) => !current.some((x) => x.case.id === item.case.id))]);
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
        <PageHeading>{heading}</PageHeading>
        <div className="page-header__actions">
          <button type="button" className="button" onClick={() => setTick((n) => n + 1)}>
            {t('sla.view.refresh')}
          </button>
        </div>
      </div>
      <p className="hint">{state === 'breaching_soon' ? t('sla.view.breachingSoonIntro') : t('sla.view.breachedIntro')}</p>

      <p className="list-toolbar__count" role="status">
        {loading ? '' : t('sla.view.showing', { count: rows.length })}
      </p>

      {error !== undefined ? (
        <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />
      ) : loading && rows.length === 0 ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="empty">{state === 'breaching_soon' ? t('sla.view.breachingSoonEmpty') : t('sla.view.breachedEmpty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{heading}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sla.col.case')}</th>
                <th scope="col">{t('sla.col.subject')}</th>
                <th scope="col">{t('sla.col.metric')}</th>
                <th scope="col">{t('sla.col.due')}</th>
                <th scope="col">{t('sla.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map(({ case: kase, worst_target: target }) => (
                <tr key={kase.id} data-testid="sla-case-row" data-case-number={kase.number}>
                  <th scope="row">
                    <Link to={`/cases/${kase.number}`}>#{kase.number}</Link>
                  </th>
                  <td className="break">{kase.subject || t('case.noSubject')}</td>
                  <td>{metricLabel(target.metric)}</td>
                  <td>
                    <DateTime iso={target.due_at} />{' '}
                    <span className={target.seconds_until_due < 0 ? 'sla-badge sla-badge--breached' : 'sla-badge sla-badge--warning'}>
                      {target.seconds_until_due < 0
                        ? t('sla.overdueBy', { time: formatDuration(target.seconds_until_due) })
                        : t('sla.dueIn', { time: formatDuration(target.seconds_until_due) })}
                    </span>
                    {target.paused && <span className="muted small"> {t('sla.state.paused')}</span>}
                  </td>
                  <td>
                    <StatusBadge status={kase.status} /> <PriorityBadge priority={kase.priority} />
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
            {t('sla.view.loadMore')}
          </button>
        </div>
      )}
    </div>
  );
}
