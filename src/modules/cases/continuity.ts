import type { CaseCategory, Channel } from './schema.js';

/**
 * The continuity rule: a new contact from a customer joins their case of the same category that
 * is still being worked on (updated within `windowDays`) instead of opening another one.
 *
 * The settings are read straight from workspaces.settings (store.ts, lockCustomerContacts) because
 * the workspaces module has no service yet; move that behind its exported settings function once
 * it exists.
 */
export interface ContinuitySettings {
  enabled: boolean;
  windowDays: number;
}

export const DEFAULT_CONTINUITY: ContinuitySettings = { enabled: true, windowDays: 30 };

/** Settings are edited by admins and may be partial or malformed: anything unusable falls back to the default. */
export function parseContinuitySettings(raw: unknown): ContinuitySettings {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_CONTINUITY;
  const value = raw as { enabled?: unknown; windowDays?: unknown };
  const enabled = typeof value.enabled === 'boolean' ? value.enabled : DEFAULT_CONTINUITY.enabled;
  const days = value.windowDays;
  const windowDays = typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 365 ? days : DEFAULT_CONTINUITY.windowDays;
  return { enabled, windowDays };
}

/** Tag of a case Baton opened to reach out to the customer first (billing outreach). */
export const PROACTIVE_TAG = 'proactive';
export const BILLING_FAMILY: readonly CaseCategory[] = ['billing', 'payment', 'refund', 'dispute'];
const PROACTIVE_CONTINUITY_CHANNELS: readonly Channel[] = ['email', 'web'];

/**
 * The customer's own later contact about what Baton reached out about: a new email or web-form
 * contact in a billing category joins their open proactive case of any billing category (after
 * the same-category rule found nothing), instead of opening another case.
 */
export function joinsProactiveCase(category: CaseCategory, channel: Channel): boolean {
  return BILLING_FAMILY.includes(category) && PROACTIVE_CONTINUITY_CHANNELS.includes(channel);
}
