import type { AppContext } from '../../context.js';
import type { Db } from '../../db/database.js';
import type { CustomerActor } from '../../platform/actor.js';
import { verifyIdentityToken, type IdentityClaims, type IdentityProblem } from './identity-token.js';
import { findVisitor, findVisitorByExternalId, type VisitorRow } from './conversation-store.js';
import { siteSecrets } from './site-secret.js';
import type { ChatSiteRow } from './site-store.js';
import { issueVisitorToken, newVisitorId, readVisitorToken } from './visitor-token.js';

/** Who is on the other end of a widget connection, decided once at `hello`. */
export interface VisitorSession {
  workspaceId: string;
  site: ChatSiteRow;
  visitorId: string;
  /** The token the widget keeps to come back as the same visitor. */
  visitorToken: string;
  /** Claims of a valid identity token (the site vouches for the user). */
  identity: IdentityClaims | undefined;
  /** The visitor's row once they started a conversation. */
  visitor: VisitorRow | undefined;
}

export type VisitorResolution = { ok: true; session: VisitorSession } | { ok: false; problem: IdentityProblem | 'identity_required' };

/**
 * An identity token wins (its `sub` finds the visitor across devices); without one a site that
 * enforces identity refuses; otherwise the visitor token names a returning visitor, or a new
 * anonymous visitor begins (no row until they start a conversation).
 */
export async function resolveVisitor(
  ctx: AppContext,
  site: ChatSiteRow,
  hello: { visitorToken?: string | undefined; identityToken?: string | undefined },
): Promise<VisitorResolution> {
  const db: Db = ctx.db;
  let identity: IdentityClaims | undefined;
  let visitor: VisitorRow | undefined;
  let visitorId: string | undefined;
  if (hello.identityToken !== undefined) {
    const verified = verifyIdentityToken(hello.identityToken, site.site_key, siteSecrets(ctx.secret, site));
    if (!verified.ok) return { ok: false, problem: verified.problem };
    identity = verified.claims;
    visitor = await findVisitorByExternalId(db, site.workspace_id, site.id, identity.sub);
    visitorId = visitor?.id;
  } else if (site.require_identity) {
    return { ok: false, problem: 'identity_required' };
  }
  if (!visitorId && hello.visitorToken) {
    const fromToken = readVisitorToken(ctx.secret, site.id, hello.visitorToken);
    if (fromToken) {
      const known = await findVisitor(db, site.workspace_id, site.id, fromToken);
      // An anonymous visitor's token never opens an identified visitor's conversations.
      if (!known || known.external_id === null || known.external_id === identity?.sub) {
        visitor = known;
        visitorId = fromToken;
      }
    }
  }
  visitorId ??= newVisitorId();
  return {
    ok: true,
    session: {
      workspaceId: site.workspace_id,
      site,
      visitorId,
      visitorToken: issueVisitorToken(ctx.secret, site.id, visitorId),
      identity,
      visitor,
    },
  };
}

/** The visitor as an actor on one conversation's case: a customer who may read and write only that case. */
export function visitorActor(workspaceId: string, customerId: string, caseId: string): CustomerActor & { caseId: string } {
  return { kind: 'customer', workspaceId, customerId, caseId };
}
