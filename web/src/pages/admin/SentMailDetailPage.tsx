import { useState } from 'react';
import { Link, useParams } from 'react-router-dom';
import { outboundMail } from '../../api/client';
import { isApiError } from '../../api/http';
import { EmailFrame } from '../../components/EmailFrame';
import { OutboundStatusBadge, outboundKindLabel } from '../../components/MailBadges';
import { ErrorNotice, errorText, Loading } from '../../components/Notice';
import { PageHeading } from '../../components/PageHeading';
import { DateTime } from '../../components/Time';
import { useToast } from '../../components/Toasts';
import { useApi } from '../../hooks/useApi';
import { formatBytes, t } from '../../i18n';
import { mentionsRemoteImages } from '../../lib/email';
import { Fact } from './ProblemMailDetailPage';
import { useCanRetry } from './SentMailPage';

/** One sent (or unsent) email: its headers, text and HTML parts, the raw message, retry. */
export function SentMailDetailPage() {
  const { id = '' } = useParams();
  const state = useApi((signal) => outboundMail.get(id, signal), [id]);
  const { notify } = useToast();
  const canRetry = useCanRetry();
  const [busy, setBusy] = useState(false);
  const mail = state.data?.id === id ? state.data : undefined;

  async function retry() {
    if (!mail) return;
    setBusy(true);
    try {
      const result = await outboundMail.retry(mail.id);
      state.setData((current) => (current ? { ...current, ...result } : current));
      notify(t('sentMail.retried', { subject: mail.subject || t('sentMail.noSubject') }));
    } catch (err) {
      notify(errorText(err), 'error');
    } finally {
      setBusy(false);
    }
  }

  const title = mail ? mail.subject || t('sentMail.noSubject') : t('sentMail.detailTitle');
  const backTo = mail?.case_id
    ? `/admin/sent-mail?case_id=${encodeURIComponent(mail.case_id)}${mail.case_number !== null ? `&case_number=${mail.case_number}` : ''}`
    : '/admin/sent-mail';

  return (
    <div className="page">
      <p className="breadcrumb">
        <Link to={backTo}>{t('sentMail.back')}</Link>
      </p>
      <PageHeading title={title}>{title}</PageHeading>

      {state.error !== undefined && !mail ? (
        <ErrorNotice error={state.error} onRetry={state.reload}>
          {isApiError(state.error) && state.error.status === 404 ? t('sentMail.notFound') : undefined}
        </ErrorNotice>
      ) : !mail ? (
        <Loading />
      ) : (
        <>
          <div className="detail-actions">
            <a className="button" href={outboundMail.rawUrl(mail.id)} download>
              {t('sentMail.downloadRaw')}
            </a>
            {canRetry(mail) && (
              <button type="button" className="button button--primary" disabled={busy} onClick={() => void retry()}>
                {t('sentMail.retry')}
              </button>
            )}
          </div>

          <section className="panel" aria-labelledby="sent-mail-delivery">
            <h2 id="sent-mail-delivery" className="panel__heading">
              {t('sentMail.delivery')}
            </h2>
            <dl className="facts">
              <Fact name={t('sentMail.col.status')}>
                <OutboundStatusBadge status={mail.status} />
              </Fact>
              {mail.last_error && <Fact name={t('sentMail.lastError')}>{mail.last_error}</Fact>}
              <Fact name={t('sentMail.col.kind')}>{outboundKindLabel(mail.kind)}</Fact>
              <Fact name={t('sentMail.col.attempts')}>{mail.attempts}</Fact>
              <Fact name={t('sentMail.col.created')}>
                <DateTime iso={mail.created_at} />
              </Fact>
              {mail.sent_at && (
                <Fact name={t('sentMail.sentAt')}>
                  <DateTime iso={mail.sent_at} />
                </Fact>
              )}
              {mail.case_number !== null && (
                <Fact name={t('sentMail.col.case')}>
                  <Link to={`/cases/${mail.case_number}`}>#{mail.case_number}</Link>
                </Fact>
              )}
            </dl>
          </section>

          <section className="panel" aria-labelledby="sent-mail-headers">
            <h2 id="sent-mail-headers" className="panel__heading">
              {t('sentMail.headers')}
            </h2>
            <dl className="facts">
              <Fact name={t('email.from')}>{mail.from}</Fact>
              <Fact name={t('email.to')}>{mail.to.join(', ')}</Fact>
              {mail.cc.length > 0 && <Fact name={t('email.cc')}>{mail.cc.join(', ')}</Fact>}
              {mail.reply_to && <Fact name={t('email.replyTo')}>{mail.reply_to}</Fact>}
              <Fact name={t('email.subject')}>{mail.subject}</Fact>
              <Fact name={t('email.messageId')}>
                <code>{mail.message_id_header}</code>
              </Fact>
              {mail.in_reply_to && (
                <Fact name={t('email.inReplyTo')}>
                  <code>{mail.in_reply_to}</code>
                </Fact>
              )}
            </dl>
          </section>

          <section className="panel" aria-labelledby="sent-mail-text">
            <h2 id="sent-mail-text" className="panel__heading">
              {t('sentMail.textPart')}
            </h2>
            {mail.body_text ? (
              <pre className="raw-text raw-text--prose" tabIndex={0}>
                {mail.body_text}
              </pre>
            ) : (
              <p className="muted">{t('sentMail.noText')}</p>
            )}
          </section>

          {mail.body_html && (
            <section className="panel" aria-labelledby="sent-mail-html">
              <h2 id="sent-mail-html" className="panel__heading">
                {t('sentMail.htmlPart')}
              </h2>
              <EmailFrame
                html={mail.body_html}
                title={t('sentMail.frameTitle', { subject: mail.subject })}
                hasRemoteImages={mentionsRemoteImages(mail.body_html)}
              />
            </section>
          )}

          {(mail.attachments ?? []).length > 0 && (
            <section className="panel" aria-labelledby="sent-mail-attachments">
              <h2 id="sent-mail-attachments" className="panel__heading">
                {t('message.attachments')}
              </h2>
              <ul className="plain-list">
                {mail.attachments.map((file, index) => (
                  <li key={`${index}-${file.filename}`}>
                    <span className="break">{file.filename}</span> <span className="muted">({formatBytes(file.size)})</span>
                  </li>
                ))}
              </ul>
            </section>
          )}
        </>
      )}
    </div>
  );
}
