import { inTransaction, type Db } from '../../../db/database.js';
import type { Actor } from '../../../platform/actor.js';
import { recordAudit } from '../../../platform/audit.js';
import { authorize, workspaceScope } from '../../../platform/authorization.js';
import { validationError } from '../../../platform/errors.js';
import { LOCALES, type Locale } from '../../../platform/i18n/index.js';
import type { OutreachTrigger } from './schema.js';
import { selectSettingsColumn, upsertSettingsColumn } from './settings-store.js';
import { defaultTemplate, OUTREACH_PLACEHOLDERS, unknownPlaceholders } from './templates.js';

/**
 * Per-workspace proactive outreach (billing_settings.outreach): for each trigger whether Baton
 * writes to the customer, and the admin's own subject and body (null: the built-in template in
 * the customer's language). Off unless an admin turns it on (the demo workspace has it on).
 */
export interface OutreachTemplateSetting {
  enabled: boolean;
  subject: string | null;
  body: string | null;
}

export type OutreachSettings = Record<OutreachTrigger, OutreachTemplateSetting>;

export const OUTREACH_TRIGGERS: readonly OutreachTrigger[] = ['payment_failed', 'dispute_opened'];

const OFF: OutreachTemplateSetting = { enabled: false, subject: null, body: null };

function parseTemplateSetting(raw: unknown): OutreachTemplateSetting {
  if (typeof raw !== 'object' || raw === null) return OFF;
  const value = raw as Record<string, unknown>;
  const text = (v: unknown) => (typeof v === 'string' && v.trim() !== '' ? v : null);
  return { enabled: value.enabled === true, subject: text(value.subject), body: text(value.body) };
}

/** Stored settings may be missing or partial: anything unusable falls back to "off, built-in text". */
export function parseOutreachSettings(raw: unknown): OutreachSettings {
  const value = typeof raw === 'object' && raw !== null ? (raw as Record<string, unknown>) : {};
  return { payment_failed: parseTemplateSetting(value.payment_failed), dispute_opened: parseTemplateSetting(value.dispute_opened) };
}

/** For the listeners (Baton itself): no permission check. */
export async function readOutreachSettings(db: Db, workspaceId: string): Promise<OutreachSettings> {
  return parseOutreachSettings(await selectSettingsColumn(db, workspaceId, 'outreach'));
}

export interface OutreachSettingsView extends OutreachSettings {
  placeholders: string[];
  /** The built-in texts per language, used where subject or body is null. */
  defaults: Record<OutreachTrigger, Record<Locale, { subject: string; body: string }>>;
}

function viewOf(settings: OutreachSettings): OutreachSettingsView {
  const defaults = (trigger: OutreachTrigger) =>
    Object.fromEntries(LOCALES.map((locale) => [locale, defaultTemplate(trigger, locale)])) as Record<
      Locale,
      { subject: string; body: string }
    >;
  return {
    ...settings,
    placeholders: [...OUTREACH_PLACEHOLDERS],
    defaults: { payment_failed: defaults('payment_failed'), dispute_opened: defaults('dispute_opened') },
  };
}

export async function getOutreachSettings(db: Db, actor: Actor): Promise<OutreachSettingsView> {
  authorize(actor, 'billing.manage', { workspaceId: workspaceScope(actor), type: 'billing_settings' });
  return viewOf(await readOutreachSettings(db, workspaceScope(actor)));
}

function assertKnownPlaceholders(settings: OutreachSettings): void {
  for (const trigger of OUTREACH_TRIGGERS) {
    for (const part of ['subject', 'body'] as const) {
      const template = settings[trigger][part];
      const unknown = template === null ? [] : unknownPlaceholders(template);
      if (unknown.length > 0) {
        throw validationError('billing.outreach_unknown_placeholder', `Unknown placeholder {{${unknown[0]}}} in ${trigger}.${part}`, {
          field: `${trigger}.${part}`,
          placeholders: unknown,
          allowed: [...OUTREACH_PLACEHOLDERS],
        });
      }
    }
  }
}

/** Replaces the outreach settings (admin, audited). Blank subject or body means the built-in text. */
export async function updateOutreachSettings(db: Db, actor: Actor, input: OutreachSettings): Promise<OutreachSettingsView> {
  authorize(actor, 'billing.manage', { workspaceId: workspaceScope(actor), type: 'billing_settings' });
  const settings = parseOutreachSettings(input);
  assertKnownPlaceholders(settings);
  return inTransaction(db, async (tx) => {
    await upsertSettingsColumn(tx, workspaceScope(actor), 'outreach', { ...settings });
    await recordAudit(tx, actor, {
      action: 'billing.outreach_settings_updated',
      targetType: 'workspace',
      targetId: workspaceScope(actor),
      details: {
        payment_failed: { enabled: settings.payment_failed.enabled, custom_text: settings.payment_failed.body !== null },
        dispute_opened: { enabled: settings.dispute_opened.enabled, custom_text: settings.dispute_opened.body !== null },
      },
    });
    return viewOf(settings);
  });
}

/** The demo workspace shows outreach working out of the box (demo/seed.ts). */
export async function enableOutreachWithBuiltInTexts(db: Db, workspaceId: string): Promise<void> {
  const on: OutreachTemplateSetting = { enabled: true, subject: null, body: null };
  await upsertSettingsColumn(db, workspaceId, 'outreach', { payment_failed: on, dispute_opened: on });
}
