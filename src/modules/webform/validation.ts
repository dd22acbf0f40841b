import { CASE_CATEGORIES, type CaseCategory } from '../cases/schema.js';
import type { MessageKey } from '../../platform/i18n/index.js';

/** Checks of the public forms, free of HTTP: each problem names its field and an i18n message. */

export const LIMITS = { name: 200, subject: 200, message: 20_000 } as const;

export type HelpField = 'name' | 'email' | 'category' | 'subject' | 'message' | 'attachments';

export interface FieldProblem<F extends string = HelpField> {
  field: F;
  key: MessageKey;
  params?: Record<string, string | number>;
}

/** What the customer typed, kept verbatim so a form with problems re-renders it unchanged. */
export interface HelpFormValues {
  name: string;
  email: string;
  category: string;
  subject: string;
  message: string;
}

export interface ValidHelpRequest {
  name: string;
  email: string;
  category: CaseCategory;
  subject: string;
  message: string;
}

// The WHATWG "valid e-mail address" grammar (what <input type=email> accepts), on lower-cased input.
const EMAIL = /^[a-z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** NUL is refused by PostgreSQL; browsers submit textarea line breaks as CRLF (stored as LF). */
export const cleanFormText = (text: string) => text.replaceAll('\u0000', '').replace(/\r\n?/g, '\n');

export function isCategory(value: string): value is CaseCategory {
  return (CASE_CATEGORIES as readonly string[]).includes(value);
}

export function helpFormValues(fields: Map<string, string>): HelpFormValues {
  const get = (name: string) => cleanFormText(fields.get(name) ?? '');
  return { name: get('name'), email: get('email'), category: get('category'), subject: get('subject'), message: get('message') };
}

export function validateHelpForm(
  values: HelpFormValues,
): { ok: true; request: ValidHelpRequest } | { ok: false; problems: FieldProblem[] } {
  const problems: FieldProblem[] = [];
  const name = values.name.trim();
  const email = values.email.trim().toLowerCase();
  const subject = values.subject.trim();
  const message = values.message;

  if (name.length > LIMITS.name) problems.push({ field: 'name', key: 'error.name_too_long', params: { max: LIMITS.name } });
  if (email === '') problems.push({ field: 'email', key: 'error.email_required' });
  else if (email.length > 254 || email.indexOf('@') > 64 || !EMAIL.test(email))
    problems.push({ field: 'email', key: 'error.email_invalid' });
  if (!isCategory(values.category)) problems.push({ field: 'category', key: 'error.category_required' });
  if (subject === '') problems.push({ field: 'subject', key: 'error.subject_required' });
  else if (subject.length > LIMITS.subject)
    problems.push({ field: 'subject', key: 'error.subject_too_long', params: { max: LIMITS.subject } });
  problems.push(...validateMessage(message, 'message'));

  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, request: { name, email, category: values.category as CaseCategory, subject, message } };
}

export function validateMessage<F extends string>(message: string, field: F): FieldProblem<F>[] {
  if (message.trim() === '') return [{ field, key: 'error.message_required' }];
  if (message.length > LIMITS.message) return [{ field, key: 'error.message_too_long', params: { max: LIMITS.message } }];
  return [];
}
