import type { InboundMailStatus, OutboundMailKind, OutboundMailStatus } from '../api/types';
import { humanize, t, type MessageKey } from '../i18n';
import { en } from '../locales/en';

/** A catalog label for an enumeration value; values a newer server adds show humanized. */
function label(prefix: string, value: string): string {
  const key = `${prefix}.${value}`;
  return key in en ? t(key as MessageKey) : humanize(value);
}

export const inboundStatusLabel = (s: InboundMailStatus): string => label('inboundStatus', s);
export const outboundStatusLabel = (s: OutboundMailStatus): string => label('outboundStatus', s);
export const outboundKindLabel = (k: OutboundMailKind): string => label('outboundKind', k);

const INBOUND_TONE: Record<InboundMailStatus, string> = {
  quarantined: 'danger',
  ignored: 'neutral',
  processed: 'success',
  received: 'info',
};

const OUTBOUND_TONE: Record<OutboundMailStatus, string> = {
  queued: 'info',
  sent: 'success',
  kept: 'neutral',
  failed: 'danger',
  suppressed: 'warning',
};

export function InboundStatusBadge({ status }: { status: InboundMailStatus }) {
  return <span className={`badge badge--${INBOUND_TONE[status] ?? 'neutral'}`}>{inboundStatusLabel(status)}</span>;
}

export function OutboundStatusBadge({ status }: { status: OutboundMailStatus }) {
  return <span className={`badge badge--${OUTBOUND_TONE[status] ?? 'neutral'}`}>{outboundStatusLabel(status)}</span>;
}
