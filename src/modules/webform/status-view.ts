import type { AppContext } from '../../context.js';
import type { CustomerActor } from '../../platform/actor.js';
import type { Locale } from '../../platform/i18n/index.js';
import { getCase, listPublicMessages } from '../cases/service.js';
import { renderStatusPage, type ReplyField } from './status-page.js';
import { replyFormToken, statusPagePath } from './status-links.js';
import { findWorkspaceById, type StatusLinkRow } from './store.js';
import type { FieldProblem } from './validation.js';

export interface ReplyState {
  message: string;
  problems: FieldProblem<ReplyField>[];
  filesDropped: boolean;
}

/**
 * Loads what the status page shows, as the customer the link identifies: the case and its public
 * messages only (the cases module enforces both; internal notes never reach this page).
 */
export async function renderStatus(
  ctx: AppContext,
  resolved: { link: StatusLinkRow; actor: CustomerActor; token: string },
  page: { locale: Locale; langQuery: string },
  reply: ReplyState,
  replySent: boolean,
  limits: { maxFiles: number; maxFileBytes: number },
): Promise<string> {
  const { actor, link } = resolved;
  const [kase, messages, workspace] = await Promise.all([
    getCase(ctx.db, actor, link.case_id),
    listPublicMessages(ctx.db, actor, link.case_id),
    findWorkspaceById(ctx.db, link.workspace_id),
  ]);
  return renderStatusPage({
    locale: page.locale,
    langQuery: page.langQuery,
    workspaceName: workspace?.name ?? '',
    helpPath: workspace ? `/help/${workspace.slug}${page.langQuery}` : `/help${page.langQuery}`,
    path: statusPagePath(resolved.token),
    number: kase.number,
    subject: kase.subject,
    status: kase.status,
    messages: messages
      .filter((m) => m.visibility === 'public')
      .map((m) => ({
        id: m.id,
        fromCustomer: m.author_type === 'customer',
        authorName: m.author_type === 'agent' ? (m.author?.name ?? null) : null,
        bodyText: m.body_text,
        createdAt: new Date(m.created_at),
        attachments: m.attachments.map((a) => ({ filename: a.filename, size_bytes: a.size_bytes, url: a.url })),
      })),
    formToken: replyFormToken(ctx, link.id),
    replySent,
    reply,
    maxFiles: limits.maxFiles,
    maxFileBytes: limits.maxFileBytes,
  });
}
