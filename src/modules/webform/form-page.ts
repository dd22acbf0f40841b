import { CASE_CATEGORIES } from '../cases/schema.js';
import { formatBytes, formatDateTime, t, type Locale } from '../../platform/i18n/index.js';
import { errorSummary, fileField, inputField, selectField, textareaField } from './fields.js';
import { html } from './html.js';
import { renderLayout } from './layout.js';
import { LIMITS, type FieldProblem, type HelpFormValues } from './validation.js';

export interface HelpFormView {
  locale: Locale;
  workspaceName: string;
  /** The form's own path (`/help` or `/help/<slug>`); it posts back to it. */
  path: string;
  /** `?lang=..` to keep an explicitly chosen language across the post. */
  langQuery: string;
  values: HelpFormValues;
  problems: FieldProblem[];
  /** The customer had attached files that could not be kept (the form had problems). */
  filesDropped: boolean;
  maxFiles: number;
  maxFileBytes: number;
}

export const EMPTY_VALUES: HelpFormValues = { name: '', email: '', category: '', subject: '', message: '' };

export function renderHelpForm(v: HelpFormView): string {
  const { locale, problems } = v;
  const title = t(locale, 'form.title');
  const body = html`<h1>${title}</h1>
    ${errorSummary(locale, problems)}
    <p>${t(locale, 'form.intro')}</p>
    <form method="post" action="${v.path}${v.langQuery}" enctype="multipart/form-data" novalidate>
      ${inputField({ locale, name: 'name', label: t(locale, 'form.name'), type: 'text', value: v.values.name, maxLength: LIMITS.name, autocomplete: 'name', problems })}
      ${inputField({ locale, name: 'email', label: t(locale, 'form.email'), hint: t(locale, 'form.email_hint'), required: true, type: 'email', value: v.values.email, maxLength: 254, autocomplete: 'email', problems })}
      ${selectField({
        locale,
        name: 'category',
        label: t(locale, 'form.category'),
        required: true,
        value: v.values.category,
        placeholder: t(locale, 'form.category_choose'),
        options: CASE_CATEGORIES.map((c) => ({ value: c, label: t(locale, `category.${c}`) })),
        problems,
      })}
      ${inputField({ locale, name: 'subject', label: t(locale, 'form.subject'), required: true, type: 'text', value: v.values.subject, maxLength: LIMITS.subject, problems })}
      ${textareaField({ locale, name: 'message', label: t(locale, 'form.message'), hint: t(locale, 'form.message_hint'), required: true, value: v.values.message, maxLength: LIMITS.message, rows: 10, problems })}
      ${fileField({
        locale,
        name: 'attachments',
        label: t(locale, 'form.attachments'),
        hint: [
          t(locale, 'form.attachments_hint', { count: v.maxFiles, size: formatBytes(locale, v.maxFileBytes) }),
          v.filesDropped ? t(locale, 'error.reattach_files') : '',
        ]
          .filter(Boolean)
          .join(' '),
        problems,
      })}
      <button type="submit">${t(locale, 'form.submit')}</button>
    </form>`;
  return renderLayout({
    locale,
    title,
    body,
    workspaceName: v.workspaceName,
    homePath: v.path,
    path: v.path,
    hasErrors: problems.length > 0,
  });
}

export interface ConfirmationView {
  locale: Locale;
  workspaceName: string;
  formPath: string;
  number: number;
  joined: boolean;
  statusUrl: string;
  expiresAt: Date;
}

export function renderConfirmation(v: ConfirmationView): string {
  const { locale } = v;
  const number = `#${v.number}`;
  const title = t(locale, 'confirm.title');
  const body = html`<h1>${title}</h1>
    <div class="notice" role="status">
      <p>${t(locale, 'confirm.number', { number })}</p>
      ${v.joined ? html`<p>${t(locale, 'confirm.joined', { number })}</p>` : ''}
    </div>
    <p>${t(locale, 'confirm.status_link_intro')}</p>
    <p class="status-link"><a href="${v.statusUrl}">${v.statusUrl}</a></p>
    <p>${t(locale, 'confirm.status_link_keep', { date: formatDateTime(locale, v.expiresAt) })}</p>`;
  return renderLayout({ locale, title, body, workspaceName: v.workspaceName, homePath: v.formPath });
}
