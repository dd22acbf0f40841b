import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { outboundMail, type OutboundMailQuery } from '../../api/client';
import { isApiError } from '../../api/http';
import { OUTBOUND_MAIL_KINDS, OUTBOUND_MAIL_STATUSES, type OutboundMail, type OutboundMailKind } from '../../api/types';
import { useCurrentAgent } from '../../auth/SessionContext';
import { OutboundStatusBadge, outboundKindLabel, outboundStatusLabel } from '../../components/MailBadges';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';

const PAGE_SIZE = 50;

function filtersOf(params: URLSearchParams): OutboundMailQuery & { kind?: OutboundMailKind } {
  const status = OUTBOUND_MAIL_STATUSES.find((s) => s === params.get('status'));
  const kind = OUTBOUND_MAIL_KINDS.find((k) => k === params.get('kind'));
  const caseId = params.get('case_id') ?? undefined;
  return { status, kind, case_id: caseId || undefined };
}

/** Retrying is for admins, and only for mail that failed. */
export function useCanRetry(): (mail: Pick<OutboundMail, 'status'>) => boolean {
  const { agent } = useCurrentAgent();
  return (mail) => agent.role === 'admin' && mail.status === 'failed';
}

/** Sent mail: everything Baton sent or tried to send, filterable by status, kind and case. */
export function SentMailPage() {
  const [params, setParams] = useSearchParams();
  const filters = filtersOf(params);
  const caseNumber = params.get('case_number');
  const { status, kind, case_id: caseId } = filters;
  const [rows, setRows] = useState<OutboundMail[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const { notify } = useToast();
  const canRetry = useCanRetry();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    outboundMail.list({ status, kind, case_id: caseId, limit: PAGE_SIZE }, controller.signal).then(
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
  }, [status, kind, caseId, tick]);

  function setFilter(key: 'status' | 'kind', value: string) {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    setParams(next, { replace: true });
  }

  function showAllCases() {
    const next = new URLSearchParams(params);
    next.delete('case_id');
    next.delete('case_number');
    setParams(next);
  }

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await outboundMail.list({ status, kind, case_id: caseId, limit: PAGE_SIZE, cursor: nextCursor });
      setRows((current) => [...current, ...page.data.filter((m) => !current.some((x) => x.id === m.id))]);
      setNextCursor(page.next_cursor);
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingMore(false);
    }
  }

  async function retry(mail: OutboundMail) {
    setBusyId(mail.id);
    try {
      const result = await outboundMail.retry(mail.id);
      setRows((current) => current.map((m) => (m.id === mail.id ? { ...m, ...result } : m)));
      notify(t('sentMail.retried', { subject: mail.subject || t('sentMail.noSubject') }));
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setBusyId(null);
    }
  }

  const shownCase = caseNumber ?? rows.find((m) => m.case_number !== null)?.case_number ?? null;
  const shown = rows;

  return (
    <div className="page">
      <PageHeading>{t('sentMail.heading')}</PageHeading>
      <p className="hint">{t('sentMail.intro')}</p>

      {caseId && (
        <div className="notice notice--info">
          <p>
            {shownCase !== null ? (
              <>
                {t('sentMail.forCase')} <Link to={`/cases/${shownCase}`}>#{shownCase}</Link>
              </>
            ) : (
              t('sentMail.forOneCase')
            )}
          </p>
          <button type="button" className="button button--small" onClick={showAllCases}>
            {t('sentMail.allCases')}
          </button>
        </div>
      )}

      <form className="filter-bar" aria-label={t('sentMail.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor="sent-mail-status">{t('sentMail.status')}</label>
          <select id="sent-mail-status" value={status ?? ''} onChange={(e) => setFilter('status', e.target.value)}>
            <option value="">{t('sentMail.anyStatus')}</option>
            {OUTBOUND_MAIL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {outboundStatusLabel(s)}
              </option>
            ))}
          </select>
        </div>
        <div className="field field--inline">
          <label htmlFor="sent-mail-kind">{t('sentMail.kind')}</label>
          <select id="sent-mail-kind" value={kind ?? ''} onChange={(e) => setFilter('kind', e.target.value)}>
            <option value="">{t('sentMail.anyKind')}</option>
            {OUTBOUND_MAIL_KINDS.map((k) => (
              <option key={k} value={k}>
                {outboundKindLabel(k)}
              </option>
            ))}
          </select>
        </div>
      </form>

      <p className="list-toolbar__count" role="status">
        {loading ? '' : t('sentMail.showing', { count: rows.length })}
      </p>

      {error !== undefined ? (
        isApiError(error) && error.code === 'outbound_mail.case_required' ? (
          // Agents read sent mail per case; without one there is nothing to retry.
          <p className="notice notice--info">{t('sentMail.caseRequired')}</p>
        ) : (
          <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />
        )
      ) : loading && rows.length === 0 ? (
        <Loading />
      ) : shown.length === 0 ? (
        <p className="empty">{t('sentMail.empty')}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('sentMail.heading')}</caption>
            <thead>
              <tr>
                <th scope="col">{t('sentMail.col.created')}</th>
                <th scope="col">{t('sentMail.col.kind')}</th>
                <th scope="col">{t('sentMail.col.to')}</th>
                <th scope="col">{t('sentMail.col.subject')}</th>
                <th scope="col">{t('sentMail.col.case')}</th>
                <th scope="col">{t('sentMail.col.status')}</th>
                <th scope="col">{t('sentMail.col.attempts')}</th>
                <th scope="col">{t('sentMail.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {shown.map((mail) => (
                <tr key={mail.id} data-testid="sent-mail-row" data-mail-id={mail.id} data-status={mail.status} data-kind={mail.kind}>
                  <td className="nowrap">
                    <DateTime iso={mail.created_at} />
                  </td>
                  <td>{outboundKindLabel(mail.kind)}</td>
                  <td className="break">{mail.to.join(', ')}</td>
                  <td className="break">
                    <Link to={`/admin/sent-mail/${encodeURIComponent(mail.id)}`}>{mail.subject || t('sentMail.noSubject')}</Link>
                  </td>
                  <td>{mail.case_number !== null ? <Link to={`/cases/${mail.case_number}`}>#{mail.case_number}</Link> : null}</td>
                  <td>
                    <OutboundStatusBadge status={mail.status} />
                    {mail.last_error && mail.status !== 'sent' && <span className="cell-note break">{mail.last_error}</span>}
                  </td>
                  <td>{mail.attempts}</td>
                  <td>
                    {canRetry(mail) && (
                      <button type="button" className="button button--small" disabled={busyId === mail.id} onClick={() => void retry(mail)}>
                        {t('sentMail.retry')}
                        <span className="visually-hidden"> {mail.subject || t('sentMail.noSubject')}</span>
                      </button>
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
            {t('sentMail.loadMore')}
          </button>
        </div>
      )}
    </div>
  );
}
