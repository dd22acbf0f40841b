import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { Actor, CustomerActor } from '../../platform/actor.js';
import { authorize } from '../../platform/authorization.js';
import { unprocessable } from '../../platform/errors.js';
import { hashToken, hmac, randomToken, safeEqual } from '../../platform/tokens.js';
import { getCase } from '../cases/service.js';
import { findStatusLinkByTokenHash, findWorkspaceById, insertStatusLink, type StatusLinkRow } from './store.js';

const DEFAULT_LINK_DAYS = 30;
const TOKEN_FORMAT = /^[A-Za-z0-9_-]{43}$/;

/** workspaces.settings.statusLinkDays when it is a sensible whole number of days, else 30. */
export function statusLinkDays(settings: { statusLinkDays?: unknown } | undefined): number {
  const days = settings?.statusLinkDays;
  return typeof days === 'number' && Number.isInteger(days) && days >= 1 && days <= 3650 ? days : DEFAULT_LINK_DAYS;
}

export const statusPagePath = (token: string) => `/help/status/${token}`;

/**
 * A private link for a customer to follow one case and reply to it: a 256-bit random token,
 * stored only as its hash, expiring after the workspace's statusLinkDays (default 30).
 * Agents who may reply, and Baton itself (web form, email channel), may create one.
 */
export async function createStatusLink(
  ctx: AppContext,
  db: Db,
  actor: Actor,
  input: { caseId: string; customerId: string },
): Promise<{ url: string; expiresAt: Date }> {
  authorize(actor, 'case.reply', { workspaceId: actor.workspaceId, type: 'case' });
  const kase = await getCase(db, actor, input.caseId);
  if (kase.customer.id !== input.customerId) {
    throw unprocessable('status_link.customer_mismatch', 'A status link is for the customer of the case');
  }
  const workspace = await findWorkspaceById(db, actor.workspaceId);
  const expiresAt = new Date(Date.now() + statusLinkDays(workspace?.settings) * 86_400_000);
  const token = randomToken(32);
  await insertStatusLink(db, actor, { caseId: kase.id, customerId: input.customerId, tokenHash: hashToken(token), expiresAt });
  return { url: `${ctx.config.publicUrl}${statusPagePath(token)}`, expiresAt };
}

export type ResolvedStatusLink = { state: 'ok'; link: StatusLinkRow; actor: CustomerActor } | { state: 'not_found' } | { state: 'expired' };

/** What a token opens: the link and its customer actor, or why not (forged: not_found; expired or revoked: expired). */
export async function resolveStatusLink(db: Db, token: string, now = new Date()): Promise<ResolvedStatusLink> {
  if (!TOKEN_FORMAT.test(token)) return { state: 'not_found' };
  const link = await findStatusLinkByTokenHash(db, hashToken(token));
  if (!link) return { state: 'not_found' };
  if (link.revoked_at !== null || link.expires_at.getTime() <= now.getTime()) return { state: 'expired' };
  return {
    state: 'ok',
    link,
    actor: { kind: 'customer', workspaceId: link.workspace_id, customerId: link.customer_id, caseId: link.case_id },
  };
}

/**
 * The reply form's anti-forgery token. The status page has no cookie to pair a CSRF token with,
 * so the form carries an HMAC bound to the link: only a page rendered for this link has it.
 */
export function replyFormToken(ctx: AppContext, linkId: string): string {
  return hmac(ctx.secret, `status-reply:${linkId}`);
}

export function isValidReplyFormToken(ctx: AppContext, linkId: string, sent: string | undefined): boolean {
  return typeof sent === 'string' && safeEqual(sent, replyFormToken(ctx, linkId));
}
