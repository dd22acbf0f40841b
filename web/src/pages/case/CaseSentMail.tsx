import { useId } from 'react';
import { Link } from 'react-router-dom';
import { outboundMail } from '../../api/client';
import { isApiError } from '../../api/http';
import type { CaseDetail } from '../../api/types';
import { OutboundStatusBadge, outboundKindLabel } from '../../components/MailBadges';
import { ErrorNotice, Loading } from '../../components/Notice';
import { RelativeTime } from '../../components/Time';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';

const RECENT = 5;

/** The case's latest outgoing mail with delivery status, and a link to all of it in the sent-mail viewer. */
export function CaseSentMail({ kase, refreshKey }: { kase: Pick<CaseDetail, 'id' | 'number'>; refreshKey: number }) {
  const id = useId();
  const state = useApi((signal) => outboundMail.list({ case_id: kase.id, limit: RECENT }, signal), [kase.id, refreshKey]);
  // A role that may not read sent mail gets no panel rather than an error on every case.
  if (isApiError(state.error) && state.error.status === 403) return null;
  const items = state.data?.data ?? [];
  const allLink = `/admin/sent-mail?case_id=${encodeURIComponent(kase.id)}&case_number=${kase.number}`;

  return (
    <section className="panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} className="panel__heading">
        {t('sentMail.caseHeading')}
      </h2>
      {state.error !== undefined ? (
        <ErrorNotice error={state.error} onRetry={state.reload} />
      ) : !state.data ? (
        <Loading />
      ) : items.length === 0 ? (
        <p className="muted small">{t('sentMail.caseEmpty')}</p>
      ) : (
        <ul className="plain-list sent-list">
          {items.map((mail) => (
            <li key={mail.id} className="sent-list__item">
              <Link to={`/admin/sent-mail/${encodeURIComponent(mail.id)}`} className="break">
                {mail.subject || t('sentMail.noSubject')}
              </Link>
              <span className="sent-list__meta">
                <OutboundStatusBadge status={mail.status} /> {outboundKindLabel(mail.kind)} ·{' '}
                <RelativeTime iso={mail.sent_at ?? mail.created_at} />
              </span>
            </li>
          ))}
        </ul>
      )}
      <p className="small">
        <Link to={allLink}>{t('sentMail.caseAll', { number: kase.number })}</Link>
      </p>
    </section>
  );
}
