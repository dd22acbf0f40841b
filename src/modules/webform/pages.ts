import type { FastifyReply, FastifyRequest } from 'fastify';
import type { AppContext } from '../../context.js';
import type { ApiApp } from '../../http/server.js';
import { AppError, RateLimitedError } from '../../platform/errors.js';
import { formatBytes, isLocale, negotiateLocale, t, type Locale } from '../../platform/i18n/index.js';
import { hitRateLimit } from '../../platform/rate-limit.js';
import { readMultipartForm, type MultipartForm } from '../files/multipart.js';
import { EMPTY_VALUES, renderConfirmation, renderHelpForm } from './form-page.js';
import { renderMessagePage, sendPage } from './layout.js';
import { renderStatus, type ReplyState } from './status-view.js';
import { isValidReplyFormToken, resolveStatusLink, statusPagePath } from './status-links.js';
import { findDefaultWorkspace, findWorkspaceBySlug, type HelpWorkspace } from './store.js';
import { postStatusReply, submitHelpRequest } from './submit.js';
import {
  cleanFormText,
  helpFormValues,
  validateHelpForm,
  validateMessage,
  type FieldProblem,
  type HelpField,
  type HelpFormValues,
} from './validation.js';

/**
 * The web form channel's public pages (a page module: served at /help, not under /api/v1):
 * the contact form, the confirmation, and the customer's status page with its reply form.
 * Server-rendered HTML that works without JavaScript; every page goes through layout.ts.
 */

export const MAX_FILES = 5;
const SLUG = /^[a-z0-9][a-z0-9-]{0,62}$/;
const RATE = {
  formPerIp: { limit: 10, windowSeconds: 600 },
  formPerEmail: { limit: 5, windowSeconds: 600 },
  replyPerLink: { limit: 10, windowSeconds: 600 },
} as const;

interface PageRequest {
  locale: Locale;
  /** `?lang=xx` when the language was chosen explicitly, so it survives form posts. */
  langQuery: string;
}

function pageRequest(request: FastifyRequest): PageRequest {
  const lang = (request.query as { lang?: unknown } | undefined)?.lang;
  const locale = negotiateLocale(lang, request.headers['accept-language']);
  return { locale, langQuery: isLocale(lang) ? `?lang=${lang}` : '' };
}

function messagePage(
  reply: FastifyReply,
  page: PageRequest,
  status: number,
  title: string,
  message: string,
  link?: { href: string; text: string },
) {
  return sendPage(reply, status, renderMessagePage({ locale: page.locale, title, message, link }));
}

export function webformPages(app: ApiApp, ctx: AppContext): void {
  const maxFileBytes = ctx.config.maxUploadBytes;
  const uploadLimits = { maxFileBytes, maxFiles: MAX_FILES };
  const options = { config: { access: 'public' as const }, schema: { hide: true } };

  app.setErrorHandler((error, request, reply) => {
    const page = pageRequest(request);
    const back = { href: `/help${page.langQuery}`, text: t(page.locale, 'page.back_to_form') };
    if (error instanceof RateLimitedError) {
      void reply.header('Retry-After', String(error.retryAfterSeconds));
      const minutes = Math.max(1, Math.ceil(error.retryAfterSeconds / 60));
      return messagePage(
        reply,
        page,
        429,
        t(page.locale, 'page.rate_limited_title'),
        t(page.locale, 'page.rate_limited_body', { minutes }),
      );
    }
    const code = (error as { code?: string }).code ?? '';
    if (['FST_REQ_FILE_TOO_LARGE', 'FST_FILES_LIMIT', 'FST_PARTS_LIMIT', 'FST_FIELDS_LIMIT', 'FST_ERR_CTP_BODY_TOO_LARGE'].includes(code)) {
      const body = t(page.locale, 'page.too_large_body', { size: formatBytes(page.locale, maxFileBytes), count: MAX_FILES });
      return messagePage(reply, page, 413, t(page.locale, 'page.too_large_title'), body);
    }
    if (['FST_INVALID_MULTIPART_CONTENT_TYPE', 'FST_ERR_CTP_INVALID_MEDIA_TYPE'].includes(code)) {
      return messagePage(reply, page, 415, t(page.locale, 'page.unsupported_title'), t(page.locale, 'page.unsupported_body'), back);
    }
    if (error instanceof AppError && error.kind === 'not_found') {
      return messagePage(reply, page, 404, t(page.locale, 'page.not_found_title'), t(page.locale, 'page.not_found_body'), back);
    }
    const status = (error as { statusCode?: number }).statusCode;
    if (error instanceof AppError ? error.kind === 'validation' : typeof status === 'number' && status >= 400 && status < 500) {
      return messagePage(reply, page, 400, t(page.locale, 'page.unsupported_title'), t(page.locale, 'page.unsupported_body'), back);
    }
    request.log.error({ err: error }, 'customer page failed');
    return messagePage(reply, page, 500, t(page.locale, 'page.error_title'), t(page.locale, 'page.error_body'));
  });

  /** The workspace a /help URL names; undefined answers the 404 page. */
  async function workspaceOf(request: FastifyRequest): Promise<HelpWorkspace | undefined> {
    const slug = (request.params as { workspaceSlug?: string }).workspaceSlug;
    if (slug === undefined) return findDefaultWorkspace(ctx.db);
    return SLUG.test(slug) ? findWorkspaceBySlug(ctx.db, slug) : undefined;
  }

  const formPath = (request: FastifyRequest) => {
    const slug = (request.params as { workspaceSlug?: string }).workspaceSlug;
    return slug === undefined ? '/help' : `/help/${slug}`;
  };

  function noWorkspace(reply: FastifyReply, page: PageRequest) {
    return messagePage(reply, page, 404, t(page.locale, 'page.not_found_title'), t(page.locale, 'page.no_workspace_body'));
  }

  function sendForm(
    reply: FastifyReply,
    status: number,
    page: PageRequest,
    workspace: HelpWorkspace,
    path: string,
    values: HelpFormValues,
    problems: FieldProblem[],
    filesDropped: boolean,
  ) {
    return sendPage(
      reply,
      status,
      renderHelpForm({
        locale: page.locale,
        langQuery: page.langQuery,
        workspaceName: workspace.name,
        path,
        values,
        problems,
        filesDropped,
        maxFiles: MAX_FILES,
        maxFileBytes,
      }),
    );
  }

  function uploadProblem<F extends string>(form: MultipartForm, field: F, locale: Locale): FieldProblem<F> {
    return form.problem === 'file_too_large'
      ? { field, key: 'error.file_too_large', params: { size: formatBytes(locale, maxFileBytes) } }
      : { field, key: 'error.too_many_files', params: { count: MAX_FILES } };
  }

  const showForm = async (request: FastifyRequest, reply: FastifyReply) => {
    const page = pageRequest(request);
    const workspace = await workspaceOf(request);
    if (!workspace) return noWorkspace(reply, page);
    return sendForm(reply, 200, page, workspace, formPath(request), EMPTY_VALUES, [], false);
  };

  const submitForm = async (request: FastifyRequest, reply: FastifyReply) => {
    const page = pageRequest(request);
    const workspace = await workspaceOf(request);
    if (!workspace) return noWorkspace(reply, page);
    const path = formPath(request);
    await hitRateLimit(ctx.db, { bucket: `webform:ip:${request.ip}`, ...RATE.formPerIp });
    const form = await readMultipartForm(request, uploadLimits);
    const values = helpFormValues(form.fields);
    if (form.problem) {
      const checked = validateHelpForm(values);
      const problems: FieldProblem[] = [
        ...(checked.ok ? [] : checked.problems),
        uploadProblem<HelpField>(form, 'attachments', page.locale),
      ];
      return sendForm(reply, 413, page, workspace, path, values, problems, true);
    }
    const checked = validateHelpForm(values);
    if (!checked.ok) return sendForm(reply, 400, page, workspace, path, values, checked.problems, form.files.length > 0);
    await hitRateLimit(ctx.db, { bucket: `webform:email:${checked.request.email}`, ...RATE.formPerEmail });
    const result = await submitHelpRequest(ctx, workspace, checked.request, form.files, page.locale);
    return sendPage(
      reply,
      200,
      renderConfirmation({
        locale: page.locale,
        workspaceName: workspace.name,
        formPath: path,
        number: result.number,
        joined: result.joined,
        statusUrl: result.statusUrl,
        expiresAt: result.expiresAt,
      }),
    );
  };

  /** Resolves the status link of the URL or answers the 404 (forged) / 410 (expired, revoked) page. */
  async function statusLinkOf(request: FastifyRequest, reply: FastifyReply, page: PageRequest) {
    const { token } = request.params as { token: string };
    const resolved = await resolveStatusLink(ctx.db, token);
    if (resolved.state === 'not_found') {
      messagePage(reply, page, 404, t(page.locale, 'page.not_found_title'), t(page.locale, 'page.not_found_body'));
      return undefined;
    }
    if (resolved.state === 'expired') {
      messagePage(reply, page, 410, t(page.locale, 'page.link_expired_title'), t(page.locale, 'page.link_expired_body'), {
        href: `/help${page.langQuery}`,
        text: t(page.locale, 'page.back_to_form'),
      });
      return undefined;
    }
    return { ...resolved, token };
  }

  const showStatus = async (request: FastifyRequest, reply: FastifyReply) => {
    const page = pageRequest(request);
    const resolved = await statusLinkOf(request, reply, page);
    if (!resolved) return reply;
    const sent = (request.query as { sent?: unknown }).sent === '1';
    const state: ReplyState = { message: '', problems: [], filesDropped: false };
    return sendPage(reply, 200, await renderStatus(ctx, resolved, page, state, sent, uploadLimits));
  };

  const postReply = async (request: FastifyRequest, reply: FastifyReply) => {
    const page = pageRequest(request);
    const resolved = await statusLinkOf(request, reply, page);
    if (!resolved) return reply;
    const form = await readMultipartForm(request, uploadLimits);
    if (!isValidReplyFormToken(ctx, resolved.link.id, form.fields.get('form_token'))) {
      return messagePage(reply, page, 403, t(page.locale, 'page.forbidden_title'), t(page.locale, 'page.forbidden_body'), {
        href: `${statusPagePath(resolved.token)}${page.langQuery}`,
        text: t(page.locale, 'status.back_to_request'),
      });
    }
    await hitRateLimit(ctx.db, { bucket: `status-reply:link:${resolved.link.id}`, ...RATE.replyPerLink });
    const message = cleanFormText(form.fields.get('message') ?? '');
    if (form.problem) {
      const problems = [...validateMessage(message, 'message' as const), uploadProblem(form, 'attachments' as const, page.locale)];
      return sendPage(reply, 413, await renderStatus(ctx, resolved, page, { message, problems, filesDropped: true }, false, uploadLimits));
    }
    const problems = validateMessage(message, 'message' as const);
    if (problems.length > 0) {
      return sendPage(
        reply,
        400,
        await renderStatus(ctx, resolved, page, { message, problems, filesDropped: form.files.length > 0 }, false, uploadLimits),
      );
    }
    try {
      await postStatusReply(ctx, resolved.actor as typeof resolved.actor & { caseId: string }, { message, files: form.files });
    } catch (error) {
      if (error instanceof AppError && error.code === 'case.closed') {
        const closed: FieldProblem<'message'> = { field: 'message', key: 'error.case_closed' };
        return sendPage(
          reply,
          422,
          await renderStatus(
            ctx,
            resolved,
            page,
            { message, problems: [closed], filesDropped: form.files.length > 0 },
            false,
            uploadLimits,
          ),
        );
      }
      throw error;
    }
    const separator = page.langQuery ? '&' : '?';
    return reply.redirect(`${statusPagePath(resolved.token)}${page.langQuery}${separator}sent=1`, 303);
  };

  app.get('/help', options, showForm);
  app.post('/help', options, submitForm);
  app.get('/help/status/:token', options, showStatus);
  app.post('/help/status/:token/reply', options, postReply);
  app.get('/help/:workspaceSlug', options, showForm);
  app.post('/help/:workspaceSlug', options, submitForm);
}
