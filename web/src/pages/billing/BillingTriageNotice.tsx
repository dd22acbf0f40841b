import { cases as casesApi } from '../../api/client';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';
import { triageReasons } from './caseEvents';

/**
 * Why the case went to billing ("Routed to Billing: payment of €49.90 failed on 3 Nov 2026"), from
 * its `billing_triaged` event. Shows nothing for other cases, or when the history cannot be read.
 */
export function BillingTriageNotice({ caseId }: { caseId: string }) {
  const events = useApi((signal) => casesApi.events(caseId, signal), [caseId]);
  const triaged = [...(events.data ?? [])].reverse().find((e) => e.type === 'billing_triaged');
  if (!triaged) return null;
  const reasons = triageReasons(triaged);
  return (
    <div className="notice notice--info billing-why" data-testid="billing-why">
      <p>
        <strong>{triaged.data?.route ? t('billing.triage.routed') : t('billing.triage.flagged')}</strong>{' '}
        {reasons.length > 0 ? reasons.join('; ') : t('billing.triage.noReasons')}
      </p>
    </div>
  );
}
