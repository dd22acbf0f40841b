import { triggers, type WebhookDelivery } from '../../api/triggers';
import { ErrorNotice, Loading } from '../../components/Notice';
import { RelativeTime } from '../../components/Time';
import { useApi } from '../../hooks/useApi';
import { t } from '../../i18n';

function outcomeText(d: WebhookDelivery): string {
  if (d.outcome === 'delivered') return t('automation.deliveries.delivered', { status: d.status_code ?? '?' });
  const error = d.error ?? (d.status_code ? `HTTP ${d.status_code}` : '?');
  return d.outcome === 'failed' ? t('automation.deliveries.failed', { error }) : t('automation.deliveries.given_up', { error });
}

/** The latest webhook delivery attempts of a trigger (loaded when shown). */
export function WebhookDeliveries({ triggerId }: { triggerId: string }) {
  const deliveries = useApi((signal) => triggers.deliveries(triggerId, signal), [triggerId]);
  if (deliveries.error !== undefined && !deliveries.data) return <ErrorNotice error={deliveries.error} onRetry={deliveries.reload} />;
  if (!deliveries.data) return <Loading />;
  if (deliveries.data.data.length === 0) return <p className="muted small">{t('automation.deliveries.empty')}</p>;
  return (
    <ul className="plain-list small">
      {deliveries.data.data.map((d) => (
        <li key={d.id}>
          {outcomeText(d)} · {t('automation.deliveries.attempt', { n: d.attempt })} · <RelativeTime iso={d.created_at} />
        </li>
      ))}
    </ul>
  );
}
