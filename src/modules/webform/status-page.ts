import { formatBytes, formatDateTime, t, type Locale } from '../../platform/i18n/index.js';
import type { CaseStatus } from '../cases/schema.js';
import { errorSummary, fileField, textareaField } from './fields.js';
import { html, preformatted } from './html.js';
import { renderLayout } from './layout.js';
import { LIMITS, type FieldProblem } from './validation.js';

export interface StatusPageMessage {
  id: string;
  fromCustomer: boolean;
  authorName: string | null;
  bodyText: string;
  createdAt: Date;
  attachments: { filename: string; size_bytes: number; url: string }[];
}

export type ReplyField = 'message' | 'attachments';

export interface StatusPageView {
  locale: Locale;
  workspaceName: string;
  /** `/help/status/<token>`. */
  path: string;
  langQuery: string;
  number: number;
  subject: string;
  status: CaseStatus;
  messages: StatusPageMessage[];
  formToken: string;
  replySent: boolean;
  reply: { message: string; problems: FieldProblem<ReplyField>[]; filesDropped: boolean };
  maxFiles: number;
  maxFileBytes: number;
  helpPath: string;
}

function renderMessage(locale: Locale, m: StatusPageMessage) {
  const author = m.fromCustomer ? t(locale, 'status.you') : m.authorName || t(locale, 'status.support_team');
  return html`<li class="message">
    <article aria-label="${author}, ${formatDateTime(locale, m.createdAt)}">
      <p class="meta">
        <strong>${author}</strong> · <time datetime="${m.createdAt.toISOString()}">${formatDateTime(locale, m.createdAt)}</time>
      </p>
      ${preformatted('div', html` class="body"`, m.bodyText)}
      ${
        m.attachments.length > 0
          ? html`<p class="meta">${t(locale, 'status.attachments')}:</p>
              <ul>
                ${m.attachments.map((a) => html`<li><a href="${a.url}" download>${a.filename}</a> (${formatBytes(locale, a.size_bytes)})</li>`)}
              </ul>`
          : ''
      }
    </article>
  </li>`;
}

export function renderStatusPage(v: StatusPageView): string {
  const { locale } = v;
  const title = t(locale, 'status.title', { number: `#${v.number}` });
  const problems = v.reply.problems;
  const body = html`<h1>${title}</h1>
    ${errorSummary(locale, problems)}
    ${v.replySent ? html`<div class="notice" role="status"><p>${t(locale, 'status.reply_sent')}</p></div>` : ''}
    <dl class="facts">
      <dt>${t(locale, 'status.subject')}</dt>
      <dd>${v.subject}</dd>
      <dt>${t(locale, 'status.status')}</dt>
      <dd>${t(locale, `status.label.${v.status}`)}</dd>
    </dl>
    <section aria-labelledby="conversation-title">
      <h2 id="conversation-title">${t(locale, 'status.conversation')}</h2>
      ${
        v.messages.length > 0
          ? html`<ol class="messages">
              ${v.messages.map((m) => renderMessage(locale, m))}
            </ol>`
          : html`<p>${t(locale, 'status.no_messages')}</p>`
      }
    </section>
    ${v.status === 'closed' ? html`<p>${t(locale, 'status.closed_note')} <a href="${v.helpPath}">${t(locale, 'page.back_to_form')}</a></p>` : ''}
    ${/* A refused reply keeps its form, so the customer's text is not lost. */ v.status !== 'closed' || problems.length > 0 ? replyForm(v) : ''}`;
  return renderLayout({
    locale,
    title,
    body,
    workspaceName: v.workspaceName,
    homePath: v.helpPath,
    path: v.path,
    hasErrors: problems.length > 0,
  });
}

function replyForm(v: StatusPageView) {
  const { locale } = v;
  const problems = v.reply.problems;
  return html`<section aria-labelledby="reply-title">
    <h2 id="reply-title">${t(locale, 'status.reply_title')}</h2>
    <form method="post" action="${v.path}/reply${v.langQuery}" enctype="multipart/form-data" novalidate>
      <input type="hidden" name="form_token" value="${v.formToken}" />
      ${textareaField({ locale, name: 'message', label: t(locale, 'status.reply_message'), required: true, value: v.reply.message, maxLength: LIMITS.message, rows: 6, problems })}
      ${fileField({
        locale,
        name: 'attachments',
        label: t(locale, 'form.attachments'),
        hint: [
          t(locale, 'form.attachments_hint', { count: v.maxFiles, size: formatBytes(locale, v.maxFileBytes) }),
          v.reply.filesDropped ? t(locale, 'error.reattach_files') : '',
        ]
          .filter(Boolean)
          .join(' '),
        problems,
      })}
      <button type="submit">${t(locale, 'status.reply_submit')}</button>
    </form>
  </section>`;
}
