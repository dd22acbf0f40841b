import type { MoneyActionKind, MoneyActionStatus, WebhookEventStatus } from '../../api/billing';
import { humanize, t, type MessageKey } from '../../i18n';
import { en } from '../../locales/en';

/** The catalog's label for `<prefix>.<value>`, or the value in words when the server sends a new one. */
function labelOf(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : humanize(value);
}

type Tone = 'success' | 'warning' | 'danger' | 'neutral' | 'info';

const TONES: Record<string, Record<string, Tone>> = {
  subscription: {
    active: 'success',
    trialing: 'info',
    past_due: 'danger',
    unpaid: 'danger',
    incomplete: 'warning',
    incomplete_expired: 'neutral',
    paused: 'neutral',
    canceled: 'neutral',
  },
  invoice: { paid: 'success', open: 'warning', uncollectible: 'danger', void: 'neutral', draft: 'neutral' },
  payment: { succeeded: 'success', failed: 'danger', pending: 'info' },
  refund: { succeeded: 'success', pending: 'info', failed: 'danger', canceled: 'neutral' },
  moneyAction: {
    completed: 'success',
    pending_approval: 'warning',
    approved: 'info',
    processing: 'info',
    rejected: 'neutral',
    failed: 'danger',
  },
  webhook: { processed: 'success', received: 'info', ignored: 'neutral', failed: 'danger' },
};

/**
 * A status as a badge: the words carry the meaning (WCAG 1.4.1), the colour only repeats it.
 * `kind` picks both the catalog prefix (`billing.<kind>Status.<status>`) and the colours.
 */
export function BillingStatus({ kind, status }: { kind: keyof typeof TONES; status: string }) {
  const tone = TONES[kind]?.[status] ?? 'neutral';
  return <span className={`badge badge--${tone}`}>{labelOf(`billing.${kind}Status`, status)}</span>;
}

export const moneyActionKindLabel = (kind: MoneyActionKind): string => labelOf('billing.kind', kind);
export const moneyActionStatusLabel = (status: MoneyActionStatus): string => labelOf('billing.moneyActionStatus', status);
export const webhookStatusLabel = (status: WebhookEventStatus): string => labelOf('billing.webhookStatus', status);
