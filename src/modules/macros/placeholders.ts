import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { AppError } from '../../platform/errors.js';
import { getAgentsByIds } from '../agents/service.js';
import { currencyExponent } from '../billing/money.js';
import { customerLocale, formatDueDate, oneLine } from '../billing/outreach/templates.js';
import { getCustomerBillingState } from '../billing/service.js';
import { getCase } from '../cases/service.js';
import { getCustomer } from '../customers/service.js';
import { getDisputeOfCase } from '../disputes/service.js';
import { getCaseSla } from '../sla/service.js';
import type { Locale } from '../../platform/i18n/index.js';

/**
 * Case template placeholders shared by macros, triggers, scheduled automations and follow-ups:
 * `{{customer.first_name}}` (spaces inside the braces allowed). Values are plain text; the
 * composer or the mail layer escapes them for HTML.
 *
 * A placeholder without a value (no dispute on the case, no open invoice) stays visible as
 * `{{name}}`: the agent edits the text before sending and should notice the gap rather than
 * send a sentence with a hole in it. Automations that send without an agent should check
 * `unfilledCasePlaceholders` on the result.
 */
export const CASE_PLACEHOLDERS = [
  { name: 'customer.name', description: 'Full name of the customer' },
  { name: 'customer.first_name', description: 'First name of the customer (first word of the name)' },
  { name: 'customer.email', description: 'Primary email address of the customer' },
  { name: 'case.number', description: 'Case number, e.g. 1042' },
  { name: 'case.subject', description: 'Subject of the case' },
  { name: 'case.status', description: 'Status of the case (open, pending, ...)' },
  { name: 'case.priority', description: 'Priority of the case (low, normal, high, urgent)' },
  { name: 'agent.name', description: 'The agent applying the macro (in automations: the assignee)' },
  { name: 'dispute.amount', description: 'Disputed amount with currency (dispute cases)' },
  { name: 'dispute.reason', description: 'Reason of the dispute (dispute cases)' },
  { name: 'dispute.evidence_due_date', description: 'Date the dispute evidence is due' },
  { name: 'billing.balance', description: 'Open balance of the customer across open invoices' },
  { name: 'billing.amount_due', description: 'Open balance of the customer (same as billing.balance)' },
  { name: 'invoice.number', description: 'Number of the latest open invoice' },
  { name: 'invoice.amount_due', description: 'Amount due on the latest open invoice' },
  { name: 'invoice.due_date', description: 'Due date of the latest open invoice' },
  { name: 'sla.resolution_due', description: 'When the running resolution target of the case is due' },
  { name: 'today', description: "Today's date in the customer's time zone" },
] as const;

export type CasePlaceholder = (typeof CASE_PLACEHOLDERS)[number]['name'];
export type CaseTemplateValues = Record<string, string | null>;

const KNOWN = new Set<string>(CASE_PLACEHOLDERS.map((p) => p.name));

/** Anything between double braces, so a misspelt `{{ customer name }}` is reported, not ignored. */
const PLACEHOLDER = /\{\{\s*([^{}]*?)\s*\}\}/g;

/** Placeholders a template uses that Baton does not know (writers refuse them with a 400). */
export function unknownCasePlaceholders(template: string): string[] {
  return [...new Set([...template.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => !KNOWN.has(name)))];
}

/** Fills known placeholders that have a value; the rest stay as written (see the module comment). */
export function fillCaseTemplate(template: string, values: CaseTemplateValues): string {
  return template.replace(PLACEHOLDER, (whole, name: string) => {
    if (!KNOWN.has(name)) return whole;
    const value = values[name];
    return value === null || value === undefined || value.trim() === '' ? whole : oneLine(value, 500);
  });
}

/** Known placeholders still present after filling (values Baton did not have). */
export function unfilledCasePlaceholders(text: string): string[] {
  return [...new Set([...text.matchAll(PLACEHOLDER)].map((m) => m[1]!).filter((name) => KNOWN.has(name)))];
}

const intlLocale = (locale: Locale) => (locale === 'de' ? 'de-DE' : 'en-GB');

/** An amount in minor units as the customer reads it: "€49.90" / "49,90 €". */
export function formatCustomerMoney(amountMinor: number, currency: string, locale: Locale): string {
  const digits = currencyExponent(currency);
  try {
    return new Intl.NumberFormat(intlLocale(locale), {
      style: 'currency',
      currency,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    }).format(amountMinor / 10 ** digits);
  } catch {
    return `${(amountMinor / 10 ** digits).toFixed(digits)} ${currency}`;
  }
}

/** An instant as the customer reads it, in their time zone (falls back to UTC for a bad zone). */
function formatInstant(date: Date, locale: Locale, timeZone: string): string {
  const options: Intl.DateTimeFormatOptions = {
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  };
  try {
    return new Intl.DateTimeFormat(intlLocale(locale), { ...options, timeZone }).format(date);
  } catch {
    return new Intl.DateTimeFormat(intlLocale(locale), { ...options, timeZone: 'UTC' }).format(date);
  }
}

function formatToday(now: Date, locale: Locale, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat(intlLocale(locale), { dateStyle: 'long', timeZone }).format(now);
  } catch {
    return formatDueDate(now, locale) ?? '';
  }
}

/** A part the actor may not read (403) or that does not exist (404) leaves its placeholders empty. */
async function optional<T>(read: () => Promise<T>): Promise<T | null> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof AppError && (error.kind === 'not_found' || error.kind === 'forbidden')) return null;
    throw error;
  }
}

/**
 * The values of every placeholder for one case, read through the owning modules' services.
 * `agentId` names the agent for `{{agent.name}}` (default: the acting agent, else the assignee).
 */
export async function loadCaseTemplateValues(
  tx: Db,
  actor: Actor,
  caseId: string,
  options: { agentId?: string; now?: Date } = {},
): Promise<CaseTemplateValues> {
  const now = options.now ?? new Date();
  const kase = await getCase(tx, actor, caseId);
  const customer = await optional(() => getCustomer(tx, actor, kase.customer.id));
  const locale = customerLocale(customer?.language);
  const timeZone = customer?.time_zone || 'UTC';
  const agentId = options.agentId ?? (actor.kind === 'agent' ? actor.agentId : kase.assignee?.id);
  const agent = agentId ? (await optional(() => getAgentsByIds(tx, actor, [agentId])))?.get(agentId) : undefined;
  const dispute =
    kase.type === 'dispute' || kase.category === 'dispute' ? await optional(() => getDisputeOfCase(tx, actor, kase.id)) : null;
  const billing = await optional(() => getCustomerBillingState(tx, actor, kase.customer.id));
  const sla = await optional(() => getCaseSla(tx, actor, kase.id, now));

  const name = (customer?.name ?? kase.customer.name).trim();
  const balance = billing
    ? billing.summary.open_balance.length > 0
      ? billing.summary.open_balance.map((b) => formatCustomerMoney(b.amount_minor, b.currency, locale)).join(', ')
      : billing.accounts[0]
        ? formatCustomerMoney(0, billing.accounts[0].currency, locale)
        : null
    : null;
  // Latest open invoice: the state lists invoices newest first.
  const invoice = billing?.invoices
    .filter((i) => i.status === 'open' && i.amount_due_minor > 0)
    .sort((a, b) => b.issued_at.localeCompare(a.issued_at))[0];
  const resolution = sla?.targets.find((t) => t.metric === 'resolution' && t.state === 'running' && t.due_at);

  return {
    'customer.name': name || null,
    'customer.first_name': name.split(/\s+/)[0] || null,
    'customer.email': customer?.emails.find((e) => e.is_primary)?.value ?? kase.customer.primary_email ?? null,
    'case.number': String(kase.number),
    'case.subject': kase.subject,
    'case.status': kase.status,
    'case.priority': kase.priority,
    'agent.name': agent?.name ?? null,
    'dispute.amount': dispute ? formatCustomerMoney(dispute.amount_minor, dispute.currency, locale) : null,
    'dispute.reason': dispute?.reason_label ?? null,
    'dispute.evidence_due_date': dispute?.evidence_due_at ? formatDueDate(new Date(dispute.evidence_due_at), locale) : null,
    'billing.balance': balance,
    'billing.amount_due': balance,
    'invoice.number': invoice?.number ?? null,
    'invoice.amount_due': invoice ? formatCustomerMoney(invoice.amount_due_minor, invoice.currency, locale) : null,
    'invoice.due_date': invoice?.due_at ? formatDueDate(new Date(invoice.due_at), locale) : null,
    'sla.resolution_due': resolution?.due_at ? formatInstant(new Date(resolution.due_at), locale, timeZone) : null,
    today: formatToday(now, locale, timeZone),
  };
}

/** Loads the values and fills the template in one call. */
export async function renderCaseTemplate(
  tx: Db,
  actor: Actor,
  caseId: string,
  template: string,
  options: { agentId?: string; now?: Date } = {},
): Promise<string> {
  if (!template.includes('{{')) return template;
  return fillCaseTemplate(template, await loadCaseTemplateValues(tx, actor, caseId, options));
}
