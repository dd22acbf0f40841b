import { useEffect, useState } from 'react';
import { Link, useSearchParams } from 'react-router-dom';
import { inboundMail } from '../../api/client';
import { INBOUND_MAIL_STATUSES, type InboundMail, type InboundMailStatus } from '../../api/types';
import { InboundStatusBadge, inboundStatusLabel } from '../../components/MailBadges';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { t } from '../../i18n';

const PAGE_SIZE = 50;

function statusParam(value: string | null): InboundMailStatus {
  return INBOUND_MAIL_STATUSES.find((s) => s === value) ?? 'quarantined';
}

/** Reprocessing makes sense for everything the intake did not turn into a case message. */
export function canReprocess(mail: Pick<InboundMail, 'status'>): boolean {
  return mail.status !== 'processed';
}

/** Admin › Problem mail: received messages the intake quarantined or ignored, with the reason. */
export function ProblemMailPage() {
  const [params, setParams] = useSearchParams();
  const status = statusParam(params.get('status'));
  const [rows, setRows] = useState<InboundMail[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [loading, setLoading] = useState(true);
  const [loadingMore, setLoadingMore] = useState(false);
  const [error, setError] = useState<unknown>(undefined);
  const [tick, setTick] = useState(0);
  const [busyId, setBusyId] = useState<string | null>(null);
  const { notify } = useToast();

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(undefined);
    inboundMail.list({ status, limit: PAGE_SIZE }, controller.signal).then(
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

  async function loadMore() {
    if (!nextCursor) return;
    setLoadingMore(true);
    try {
      const page = await inboundMail.list({ status, limit: PAGE_SIZE, cursor: nextCursor });
      setRows((current) => [...current, ...page.data.filter((m) => !current.some((x) => x.id === m.id))]);
      setNextCursor(page.next_cursor);
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setLoadingMore(false);
    }
  }

  async function reprocess(mail: InboundMail) {
    setBusyId(mail.id);
    try {
      const result = await inboundMail.reprocess(mail.id);
      // The row stays where it is with its new status, so the agent sees what happened.
      setRows((current) => current.map((m) => (m.id === mail.id ? { ...m, status: result.status ?? m.status } : m)));
      notify(t('problemMail.reprocessed', { subject: mail.subject || t('problemMail.noSubject') }));
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setBusyId(null);
    }
  }

  return (
    <div className="page">
      <PageHeading>{t('problemMail.heading')}</PageHeading>
      <p className="hint">{t('problemMail.intro')}</p>

      <form className="filter-bar" aria-label={t('problemMail.filters')} onSubmit={(e) => e.preventDefault()}>
        <div className="field field--inline">
          <label htmlFor="problem-mail-status">{t('problemMail.status')}</label>
          <select
            id="problem-mail-status"
            value={status}
            onChange={(e) => setParams(e.target.value === 'quarantined' ? {} : { status: e.target.value }, { replace: true })}
          >
            {INBOUND_MAIL_STATUSES.map((s) => (
              <option key={s} value={s}>
                {inboundStatusLabel(s)}
              </option>
            ))}
          </select>
        </div>
      </form>

      <p className="list-toolbar__count" role="status">
        {loading ? '' : t('problemMail.showing', { count: rows.length, status: inboundStatusLabel(status).toLowerCase() })}
      </p>

      {error !== undefined ? (
        <ErrorNotice error={error} onRetry={() => setTick((n) => n + 1)} />
      ) : loading && rows.length === 0 ? (
        <Loading />
      ) : rows.length === 0 ? (
        <p className="empty">{t('problemMail.empty', { status: inboundStatusLabel(status).toLowerCase() })}</p>
      ) : (
        <div className="table-wrap">
          <table className="table">
            <caption className="visually-hidden">{t('problemMail.listCaption', { status: inboundStatusLabel(status) })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('problemMail.col.received')}</th>
                <th scope="col">{t('problemMail.col.from')}</th>
                <th scope="col">{t('problemMail.col.subject')}</th>
                <th scope="col">{t('problemMail.col.mailbox')}</th>
                <th scope="col">{t('problemMail.col.reason')}</th>
                <th scope="col">{t('problemMail.col.status')}</th>
                <th scope="col">{t('problemMail.col.actions')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((mail) => (
                <tr key={mail.id} data-testid="problem-mail-row" data-mail-id={mail.id} data-status={mail.status}>
                  <td className="nowrap">
                    <DateTime iso={mail.received_at} />
                  </td>
                  <td className="break">{mail.from_address || <span className="muted">{t('problemMail.unknownSender')}</span>}</td>
                  <td className="break">
                    <Link to={`/admin/problem-mail/${encodeURIComponent(mail.id)}`}>{mail.subject || t('problemMail.noSubject')}</Link>
                  </td>
                  <td className="break">{mail.mailbox_address}</td>
                  <td>
                    <ReasonText mail={mail} />
                  </td>
                  <td>
                    <InboundStatusBadge status={mail.status} />
                  </td>
                  <td>
                    {canReprocess(mail) && (
                      <button
                        type="button"
                        className="button button--small"
                        disabled={busyId === mail.id}
                        onClick={() => void reprocess(mail)}
                      >
                        {t('problemMail.reprocess')}
                        <span className="visually-hidden"> {mail.subject || t('problemMail.noSubject')}</span>
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
            {t('problemMail.loadMore')}
          </button>
        </div>
      )}
    </div>
  );
}

/** The intake's reason in words, with its code for searching logs and documentation. */
export function ReasonText({ mail }: { mail: Pick<InboundMail, 'reason' | 'reason_code'> }) {
  if (!mail.reason && !mail.reason_code) return <span className="muted">—</span>;
  return (
    <span className="reason">
      {mail.reason && <span className="break">{mail.reason}</span>}
      {mail.reason_code && (
        <>
          {mail.reason ? ' ' : ''}
          <code className="reason__code">{mail.reason_code}</code>
        </>
      )}
    </span>
  );
}
