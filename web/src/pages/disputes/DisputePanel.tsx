import { useEffect, useId, useRef, useState } from 'react';
import { disputes as disputesApi, isClosed } from '../../api/disputes';
import { isApiError } from '../../api/http';
import { ErrorNotice, Loading } from '../../components/Notice';
import { DateTime } from '../../components/Time';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { Countdown } from './Countdown';
import { DisputeStatusBadge, OutcomeBadge } from './DisputeBadges';
import { EvidenceBuilder } from './EvidenceBuilder';
import { formatMoney, reasonLabel } from './format';
import { OutcomeForm } from './OutcomeForm';
import './disputes.css';

/** The dispute behind a case of type `dispute`: its facts, the due-date countdown and the evidence builder. */
export function DisputePanel({ caseId }: { caseId: string }) {
  const id = useId();
  const state = useApi((signal) => disputesApi.ofCase(caseId, signal), [caseId]);
  const dispute = state.data && (state.data.case?.id ?? caseId) === caseId ? state.data : undefined;
  // The outcome form goes away once an outcome is recorded: focus continues at the panel's heading.
  const heading = useRef<HTMLHeadingElement>(null);
  const [focusHeading, setFocusHeading] = useState(false);
  useEffect(() => {
    if (focusHeading && dispute?.outcome) {
      heading.current?.focus();
      setFocusHeading(false);
    }
  }, [focusHeading, dispute]);

  return (
    <section className="panel dispute-panel" aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`} ref={heading} tabIndex={-1} className="panel__heading">
        {t('dispute.panel')}
      </h2>
      {state.error !== undefined && !dispute ? (
        isApiError(state.error) && state.error.status === 404 ? (
          <p className="muted">{t('dispute.notFound')}</p>
        ) : (
          <ErrorNotice error={state.error} onRetry={state.reload} />
        )
      ) : !dispute ? (
        <Loading />
      ) : (
        <>
          <dl className="facts dispute-facts">
            <div className="facts__row">
              <dt>{t('dispute.amount')}</dt>
              <dd className="dispute-facts__amount">{formatMoney(dispute.amount_minor, dispute.currency)}</dd>
            </div>
            <div className="facts__row">
              <dt>{t('dispute.reason')}</dt>
              <dd>{reasonLabel(dispute.reason)}</dd>
            </div>
            <div className="facts__row">
              <dt>{t('dispute.networkCode')}</dt>
              <dd>{dispute.network_reason_code || <span className="muted">{t('dispute.notSet')}</span>}</dd>
            </div>
            <div className="facts__row">
              <dt>{t('dispute.status')}</dt>
              <dd>
                <DisputeStatusBadge status={dispute.status} />{' '}
                <span className="muted small">{dispute.source === 'stripe' ? t('dispute.sourceStripe') : t('dispute.sourceManual')}</span>
              </dd>
            </div>
            <div className="facts__row">
              <dt>{t('dispute.evidenceDue')}</dt>
              <dd>
                {!dispute.evidence_due_at ? (
                  <span className="muted">{t('dispute.due.none')}</span>
                ) : isClosed(dispute) || dispute.submission ? (
                  <DateTime iso={dispute.evidence_due_at} />
                ) : (
                  <Countdown dueAt={dispute.evidence_due_at} live />
                )}
              </dd>
            </div>
            {dispute.outcome && (
              <div className="facts__row">
                <dt>{t('dispute.outcome')}</dt>
                <dd>
                  <OutcomeBadge outcome={dispute.outcome} />
                  {dispute.outcome_at && (
                    <>
                      {' '}
                      <DateTime iso={dispute.outcome_at} />
                    </>
                  )}
                </dd>
              </div>
            )}
          </dl>
          {dispute.source === 'manual' && !isClosed(dispute) && (
            <OutcomeForm
              dispute={dispute}
              onRecorded={() => {
                setFocusHeading(true);
                state.reload();
              }}
            />
          )}
          <EvidenceBuilder dispute={dispute} onChanged={state.reload} />
        </>
      )}
    </section>
  );
}
