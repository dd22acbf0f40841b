import type { DisputeOutcome, DisputeStatus } from '../../api/disputes';
import { t } from '../../i18n';
import { disputeStatusLabel } from './format';

const STATUS_TONE: Record<DisputeStatus, string> = {
  warning_needs_response: 'warning',
  needs_response: 'warning',
  warning_under_review: 'info',
  under_review: 'info',
  warning_closed: 'neutral',
  prevented: 'neutral',
  won: 'success',
  lost: 'danger',
};

export function DisputeStatusBadge({ status }: { status: DisputeStatus }) {
  return <span className={`badge badge--${STATUS_TONE[status] ?? 'neutral'}`}>{disputeStatusLabel(status)}</span>;
}

export function outcomeLabel(outcome: DisputeOutcome): string {
  return outcome === 'won' ? t('dispute.outcomeWon') : t('dispute.outcomeLost');
}

export function OutcomeBadge({ outcome }: { outcome: DisputeOutcome }) {
  return <span className={`badge badge--${outcome === 'won' ? 'success' : 'danger'}`}>{outcomeLabel(outcome)}</span>;
}
