import type { CaseEvent } from '../../api/types';
import { humanize, t } from '../../i18n';
import { formatBillingDate } from './BillingDate';
import { formatMoney } from './money';

/**
 * Billing's case events in words: `billing_triaged` (why the case went to billing) and the
 * `money_action_*` steps. Payloads are read defensively: an unknown shape still gives a sentence.
 */

type Data = Record<string, unknown>;
const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const int = (v: unknown): number | null => (typeof v === 'number' && Number.isSafeInteger(v) ? v : null);

function moneyOf(d: Data): string | null {
  const amount = int(d.amount_minor);
  const currency = str(d.currency);
  return amount !== null && currency ? formatMoney(amount, currency) : null;
}

function dateOf(d: Data): string | null {
  const iso = str(d.at) ?? str(d.failed_at) ?? str(d.occurred_at) ?? str(d.paid_at) ?? str(d.created_at) ?? str(d.date);
  return iso ? formatBillingDate(iso) : null;
}

/** `billing:failed-payment`, `failed_payment`, `payment_failed` -> one name. */
function reasonKind(value: string): string {
  const kind = value.replace(/^billing[:.]/, '').replace(/-/g, '_');
  if (kind === 'payment_failed') return 'failed_payment';
  if (kind === 'refund' || kind === 'refund_recorded') return 'recent_refund';
  if (kind === 'dispute' || kind === 'dispute_opened') return 'open_dispute';
  return kind;
}

/** One reason of a `billing_triaged` event: "payment of €49.90 failed on 3 Nov 2026". */
export function describeTriageReason(reason: unknown): string {
  if (typeof reason === 'string') return describeTriageReason({ kind: reason });
  if (!reason || typeof reason !== 'object') return '';
  const d = reason as Data;
  // The server's own sentence ("Payment of 49.90 EUR failed on 2026-11-20: card_declined") says the most.
  const detail = str(d.detail);
  if (detail) return detail;
  const kindText = str(d.signal) ?? str(d.kind) ?? str(d.type) ?? str(d.code) ?? str(d.reason);
  const kind = kindText ? reasonKind(kindText) : '';
  const money = moneyOf(d);
  const date = dateOf(d);
  switch (kind) {
    case 'failed_payment':
      if (money && date) return t('billing.triage.failedPaymentOn', { amount: money, date });
      return money ? t('billing.triage.failedPaymentOf', { amount: money }) : t('billing.triage.failedPayment');
    case 'recent_refund':
      if (money && date) return t('billing.triage.refundOn', { amount: money, date });
      return money ? t('billing.triage.refundOf', { amount: money }) : t('billing.triage.refund');
    case 'open_dispute':
      return money ? t('billing.triage.disputeOf', { amount: money }) : t('billing.triage.dispute');
    default:
      return str(d.message) ?? str(d.text) ?? (kindText ? humanize(kindText) : '');
  }
}

export function triageReasons(event: CaseEvent): string[] {
  const reasons = event.data?.reasons;
  return (Array.isArray(reasons) ? reasons : []).map(describeTriageReason).filter(Boolean);
}

const ACTION_STEPS: Record<string, 'requested' | 'pending' | 'approved' | 'processing' | 'rejected' | 'completed' | 'failed'> = {
  money_action_requested: 'requested',
  money_action_pending_approval: 'pending',
  money_action_approved: 'approved',
  // The processor accepted a refund but settles it later (its webhook completes or fails it).
  money_action_processing: 'processing',
  money_action_rejected: 'rejected',
  money_action_completed: 'completed',
  money_action_failed: 'failed',
};

/** The case-history line for a billing event, or undefined for other events. */
export function describeBillingEvent(event: CaseEvent): string | undefined {
  const d = event.data ?? {};
  if (event.type === 'billing_triaged') {
    const reasons = triageReasons(event);
    const routed = Boolean(d.route);
    if (reasons.length === 0) return routed ? t('billing.history.triaged') : t('billing.history.flagged');
    return t(routed ? 'billing.history.triagedBecause' : 'billing.history.flaggedBecause', { reasons: reasons.join('; ') });
  }
  let step = ACTION_STEPS[event.type];
  if (!step && event.type.startsWith('money_action')) {
    // One event type with the status in its payload works too.
    const status = str(d.status);
    step = status === 'pending_approval' ? 'pending' : status ? ACTION_STEPS[`money_action_${status}`] : undefined;
  }
  if (!step) return undefined;
  // A request above the requester's limit waits: the history says so right away.
  if (step === 'requested' && (d.needs_approval === true || d.status === 'pending_approval')) step = 'pending';
  const kind = str(d.kind);
  const money = moneyOf(d) ?? '';
  const what =
    kind === 'refund' || kind === 'credit' || kind === 'fee_waiver'
      ? t(`billing.kindOf.${kind}`, { amount: money }).trim()
      : t('billing.history.moneyAction');
  const extra = str(d.note) ?? str(d.decision_note) ?? str(d.failure_message);
  const line = t(`billing.history.${step}`, { what });
  return extra ? `${line}: ${extra}` : line;
}
