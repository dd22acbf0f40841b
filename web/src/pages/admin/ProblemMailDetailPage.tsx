import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { inboundMail } from '../../api/client';
import { isApiError } from '../../api/http';
import { InboundStatusBadge } from '../../components/MailBadges';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { formatBytes, t } from '../../i18n';
import { flattenResults } from '../../lib/email';
import { canReprocess, ReasonText } from './ProblemMailPage';

/** One received message: why the intake stopped it, its headers as text, the raw message, reprocess. */
export function ProblemMailDetailPage() {
  const { id = '' } = useParams();
  const state = useApi((signal) => inboundMail.get(id, signal), [id]);
  const { notify } = useToast();
  const [busy, setBusy] = useState(false);
  const mail = state.data?.id === id ? state.data : undefined;

  async function reprocess() {
    if (!mail) return;
    setBusy(true);
    try {
      const result = await inboundMail.reprocess(mail.id);
      state.setData((current) => (current ? { ...current, status: result.status ?? current.status } : current));
      notify(t('problemMail.reprocessed', { subject: mail.subject || t('problemMail.noSubject') }));
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  const authRows = flattenResults(mail?.auth_results);
  const title = mail ? mail.subject || t('problemMail.noSubject') : t('problemMail.detailTitle');

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to="/admin/problem-mail">{t('problemMail.back')}</Link>
      </p>
      <PageHeading title={title}>{mail ? title : t('problemMail.detailTitle')}</PageHeading>

      {state.error !== undefined && !mail ? (
        <ErrorNotice error={state.error} onRetry={state.reload}>
          {isApiError(state.error) && state.error.status === 404 ? t('problemMail.notFound') : undefined}
        </ErrorNotice>
      ) : !mail ? (
        <Loading />
      ) : (
        <>
          <div className="detail-actions">
            <a className="button" href={inboundMail.rawUrl(mail.id)} download>
              {t('problemMail.downloadRaw')}
            </a>
            {canReprocess(mail) && (
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void reprocess()}>
                {t('problemMail.reprocess')}
              </button>
            )}
          </div>

          <section className="panel" aria-labelledby="problem-mail-summary">
            <h2 id="problem-mail-summary" className="panel__heading">
              {t('problemMail.summary')}
            </h2>
            <dl className="facts">
              <Fact name={t('problemMail.col.status')}>
                <InboundStatusBadge status={mail.status} />
              </Fact>
              <Fact name={t('problemMail.col.reason')}>
                <ReasonText mail={mail} />
              </Fact>
              <Fact name={t('problemMail.col.from')}>{mail.from_address || t('problemMail.unknownSender')}</Fact>
              <Fact name={t('problemMail.col.mailbox')}>{mail.mailbox_address}</Fact>
              <Fact name={t('problemMail.source')}>
                {mail.source === 'imap' ? t('problemMail.sourceImap') : t('problemMail.sourceSmtp')}
              </Fact>
              <Fact name={t('problemMail.col.received')}>
                <DateTime iso={mail.received_at} />
              </Fact>
              {mail.processed_at && (
                <Fact name={t('problemMail.processedAt')}>
                  <DateTime iso={mail.processed_at} />
                </Fact>
              )}
              <Fact name={t('problemMail.size')}>{formatBytes(mail.size_bytes)}</Fact>
              {typeof mail.attempts === 'number' && mail.attempts > 0 && <Fact name={t('problemMail.attempts')}>{mail.attempts}</Fact>}
              {mail.message_id_header && (
                <Fact name={t('email.messageId')}>
                  <code>{mail.message_id_header}</code>
                </Fact>
              )}
              {mail.case_number !== null && mail.case_number !== undefined && (
                <Fact name={t('problemMail.case')}>
                  <Link to={`/cases/${mail.case_number}`}>#{mail.case_number}</Link>
                </Fact>
              )}
            </dl>
          </section>

          {authRows.length > 0 && (
            <section className="panel" aria-labelledby="problem-mail-auth">
              <h2 id="problem-mail-auth" className="panel__heading">
                {t('problemMail.auth')}
              </h2>
              <dl className="facts">
                {authRows.map((row) => (
                  <Fact key={row.key} name={row.key}>
                    {row.value}
                  </Fact>
                ))}
              </dl>
            </section>
          )}

          <section className="panel" aria-labelledby="problem-mail-headers">
            <h2 id="problem-mail-headers" className="panel__heading">
              {t('problemMail.headers')}
            </h2>
            {mail.headers ? (
              // Text, never HTML; the block scrolls, so it takes focus for keyboard scrolling.
              <pre className="raw-text" tabIndex={0}>
                {mail.headers}
              </pre>
            ) : (
              <p className="muted">{t('problemMail.noHeaders')}</p>
            )}
          </section>
        </>
      )}
    </div>
  );
}

export function Fact({ name, children }: { name: string; children: ReactNode }) {
  return (
    <div className="facts__row">
      <dt>{name}</dt>
      <dd className="break">{children}</dd>
    </div>
  );
}
