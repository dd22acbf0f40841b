import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { isLocale, t, type Locale } from '../../platform/i18n/index.js';
import { renderCaseTemplate, unfilledCasePlaceholders } from '../macros/service.js';

/**
 * Follow-up texts for the customer: the configured template, or the built-in one of the
 * customer's language, filled with the shared case placeholders (macros module). No agent reads
 * these before they go out, so a placeholder Baton has no value for is dropped rather than sent
 * as `{{customer.first_name}}` ("Hello {{customer.first_name}}," becomes "Hello,").
 */

export type FollowupText = 'reminder' | 'checkin';

export function customerLocale(language: string | null | undefined): Locale {
  const primary = (language ?? '').toLowerCase().split(/[-_]/)[0];
  return isLocale(primary) ? primary : 'en';
}

export function builtInText(kind: FollowupText, locale: Locale): string {
  return t(locale, kind === 'reminder' ? 'followups.reminder.body' : 'followups.checkin.body');
}

export async function renderFollowupText(tx: Db, actor: Actor, caseId: string, template: string): Promise<string> {
  let text = await renderCaseTemplate(tx, actor, caseId, template);
  for (const name of unfilledCasePlaceholders(text)) {
    text = text.replace(new RegExp(`[ \\t]*\\{\\{\\s*${name.replace(/\./g, '\\.')}\\s*\\}\\}`, 'g'), '');
  }
  return text.trim();
}
