import type { CaseEvent } from '../../api/types';
import { t } from '../../i18n';
import { actionLabel } from './ActionEditor';

/**
 * Automation in the case history: an `automation_applied` entry in words (the rule and each
 * action's result), and the rule as the actor of the changes it made (their `origin`).
 */

interface ActionResultData {
  type?: unknown;
  ok?: unknown;
  error?: unknown;
}

export function describeAutomationEvent(event: CaseEvent): string | null {
  if (event.type !== 'automation_applied') return null;
  const d = (event.data ?? {}) as { rule_name?: unknown; actions?: unknown };
  const rule = typeof d.rule_name === 'string' ? d.rule_name : '?';
  const results = Array.isArray(d.actions) ? (d.actions as ActionResultData[]) : [];
  const parts = results.map((r) => {
    const what = typeof r.type === 'string' ? actionLabel(r.type) : '?';
    return `${what}: ${r.ok ? t('automation.history.ok') : t('automation.history.failed', { error: typeof r.error === 'string' ? r.error : '?' })}`;
  });
  const head = t('automation.history.applied', { rule: `“${rule}”` });
  return parts.length ? `${head} (${parts.join('; ')})` : head;
}

/** The rule that made a change, for the history's "by" (null when a person or Baton itself made it). */
export function automationActorOf(event: CaseEvent): string | null {
  const origin = (event.data as { origin?: { rule_name?: unknown } } | undefined)?.origin;
  return event.actor_type === 'system' && typeof origin?.rule_name === 'string' ? origin.rule_name : null;
}
