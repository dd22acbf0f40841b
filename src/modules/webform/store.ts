import type { Db } from '../../db/database.js';
import type { Actor } from '../../platform/actor.js';
import { workspaceScope } from '../../platform/authorization.js';

/**
 * SQL of the webform module: its own table (case_status_links) and the few workspace facts the
 * public pages need before any actor exists (which desk a /help URL names, its link lifetime).
 * The workspaces module exposes no service yet, so these reads live here.
 */

export interface HelpWorkspace {
  id: string;
  name: string;
  slug: string;
  settings: { statusLinkDays?: unknown };
}

const WORKSPACE_COLUMNS = ['id', 'name', 'slug', 'settings'] as const;

export async function findWorkspaceBySlug(db: Db, slug: string): Promise<HelpWorkspace | undefined> {
  return db.selectFrom('workspaces').select(WORKSPACE_COLUMNS).where('slug', '=', slug).executeTakeFirst();
}

/** `/help` without a slug: the installation's first workspace (most installations have one). */
export async function findDefaultWorkspace(db: Db): Promise<HelpWorkspace | undefined> {
  return db.selectFrom('workspaces').select(WORKSPACE_COLUMNS).orderBy('created_at').orderBy('id').limit(1).executeTakeFirst();
}

export async function findWorkspaceById(db: Db, id: string): Promise<HelpWorkspace | undefined> {
  return db.selectFrom('workspaces').select(WORKSPACE_COLUMNS).where('id', '=', id).executeTakeFirst();
}

export interface StatusLinkRow {
  id: string;
  workspace_id: string;
  case_id: string;
  customer_id: string;
  expires_at: Date;
  revoked_at: Date | null;
}

/** Callers have authorized the actor for the case (createStatusLink). */
export async function insertStatusLink(
  db: Db,
  actor: Actor,
  link: { caseId: string; customerId: string; tokenHash: string; expiresAt: Date },
): Promise<{ id: string }> {
  return db
    .insertInto('case_status_links')
    .values({
      workspace_id: workspaceScope(actor),
      case_id: link.caseId,
      customer_id: link.customerId,
      token_hash: link.tokenHash,
      expires_at: link.expiresAt,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
}

/** The link a token opens. No actor: holding the token is what identifies the customer. */
export async function findStatusLinkByTokenHash(db: Db, tokenHash: string): Promise<StatusLinkRow | undefined> {
  return db
    .selectFrom('case_status_links')
    .select(['id', 'workspace_id', 'case_id', 'customer_id', 'expires_at', 'revoked_at'])
    .where('token_hash', '=', tokenHash)
    .executeTakeFirst();
}
