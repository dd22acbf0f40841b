import crypto from 'node:crypto';
import type { Updateable } from 'kysely';
import type { AppContext } from '../../context.js';
import { inTransaction, type Db } from '../../db/database.js';
import type { AgentActor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize } from '../../platform/authorization.js';
import { AppError, conflict, unprocessable } from '../../platform/errors.js';
import { withIdempotency, type IdempotencyRequest } from '../../platform/idempotency.js';
import { getTeam } from '../agents/service.js';
import type { CaseCategory } from '../cases/schema.js';
import { getMailbox } from '../email/mailboxes/service.js';
import type { ChatSitesTable, PrechatChoice } from './schema.js';
import { newSiteKey, newSiteSecret, ROTATION_GRACE_MS, sealSiteSecret } from './site-secret.js';
import {
  deleteSiteRow,
  getSiteRow,
  insertSite,
  listSiteRows,
  siteHasConversations,
  updateSiteRow,
  type ChatSiteRow,
} from './site-store.js';
import { siteView, type ChatSiteView, type ChatSiteWithSecret } from './site-views.js';

/** Chat sites (admin): the widget's settings, its public key and its identity-token secret. */

export interface ChatSiteInput {
  name: string;
  allowed_origins?: string[] | undefined;
  colour?: string | undefined;
  greeting?: string | undefined;
  prechat_question?: string | undefined;
  prechat_choices?: (Omit<PrechatChoice, 'team_id'> & { team_id?: string | null | undefined })[] | undefined;
  team_id?: string | null | undefined;
  category?: CaseCategory | undefined;
  mailbox_id?: string | null | undefined;
  require_identity?: boolean | undefined;
}

export type ChatSitePatch = Partial<ChatSiteInput> & { active?: boolean | undefined };

/** `https://shop.example` style origins, normalized (lower-case host, no path); duplicates dropped. */
function cleanOrigins(origins: string[]): string[] {
  const clean = new Set<string>();
  origins.forEach((raw, i) => {
    let url: URL | undefined;
    try {
      url = new URL(raw.trim());
    } catch {
      url = undefined;
    }
    if (
      !url ||
      (url.protocol !== 'https:' && url.protocol !== 'http:') ||
      url.pathname.length > 1 ||
      url.search ||
      url.hash ||
      url.username
    ) {
      throw unprocessable('chat_site.invalid_origin', `allowed_origins.${i} is not an origin like https://shop.example`, {
        field: `allowed_origins.${i}`,
      });
    }
    clean.add(url.origin);
  });
  return [...clean];
}

async function checkReferences(db: Db, actor: AgentActor, input: ChatSitePatch): Promise<void> {
  const teamIds = new Set<string>();
  if (input.team_id) teamIds.add(input.team_id);
  for (const choice of input.prechat_choices ?? []) if (choice.team_id) teamIds.add(choice.team_id);
  for (const teamId of teamIds) {
    try {
      await getTeam(db, actor, teamId);
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found') {
        throw unprocessable('chat_site.unknown_team', 'A team of this site does not exist in the workspace', { team_id: teamId });
      }
      throw error;
    }
  }
  if (input.mailbox_id) {
    try {
      await getMailbox(db, actor, input.mailbox_id);
    } catch (error) {
      if (error instanceof AppError && error.kind === 'not_found') {
        throw unprocessable('chat_site.unknown_mailbox', 'The mailbox does not exist in the workspace', { field: 'mailbox_id' });
      }
      throw error;
    }
  }
  const ids = (input.prechat_choices ?? []).map((c) => c.id);
  if (new Set(ids).size !== ids.length)
    throw unprocessable('chat_site.duplicate_choice', 'Pre-chat choice ids must be unique', { field: 'prechat_choices' });
}

function columnsOf(input: ChatSitePatch): Updateable<ChatSitesTable> {
  const set: Updateable<ChatSitesTable> = {};
  if (input.name !== undefined) set.name = input.name.trim();
  if (input.allowed_origins !== undefined) set.allowed_origins = cleanOrigins(input.allowed_origins);
  if (input.colour !== undefined) set.colour = input.colour.toLowerCase();
  if (input.greeting !== undefined) set.greeting = input.greeting.trim();
  if (input.prechat_question !== undefined) set.prechat_question = input.prechat_question.trim();
  if (input.prechat_choices !== undefined)
    set.prechat_choices = JSON.stringify(
      input.prechat_choices.map((c) => ({ id: c.id, label: c.label.trim(), category: c.category, team_id: c.team_id ?? null })),
    );
  if (input.team_id !== undefined) set.team_id = input.team_id;
  if (input.category !== undefined) set.category = input.category;
  if (input.mailbox_id !== undefined) set.mailbox_id = input.mailbox_id;
  if (input.require_identity !== undefined) set.require_identity = input.require_identity;
  if (input.active !== undefined) set.active = input.active;
  return set;
}

export async function listChatSites(ctx: AppContext, actor: AgentActor): Promise<ChatSiteView[]> {
  return (await listSiteRows(ctx.db, actor)).map((row) => siteView(row, ctx.config.publicUrl));
}

export async function getChatSite(ctx: AppContext, actor: AgentActor, id: string): Promise<ChatSiteView> {
  return siteView(await getSiteRow(ctx.db, actor, id), ctx.config.publicUrl);
}

/** Creates a site with a new key and secret; the secret is in this answer only. */
export async function createChatSite(
  ctx: AppContext,
  actor: AgentActor,
  input: ChatSiteInput,
  idempotency: IdempotencyRequest,
): Promise<ChatSiteWithSecret> {
  authorize(actor, 'chat.manage', { workspaceId: actor.workspaceId, type: 'chat_site' });
  const result = await withIdempotency(
    ctx.db,
    { workspaceId: actor.workspaceId, principal: `agent:${actor.agentId}`, ...idempotency },
    async (tx) => {
      await checkReferences(tx, actor, input);
      const id = crypto.randomUUID();
      const secret = newSiteSecret();
      const columns = columnsOf(input);
      const row = await insertSite(tx, actor, {
        ...columns,
        id,
        name: input.name.trim(),
        site_key: newSiteKey(),
        prechat_choices: (columns.prechat_choices as string | undefined) ?? '[]',
        secret_sealed: sealSiteSecret(ctx.secret, id, secret),
      });
      await recordAudit(tx, actor, { action: 'chat_site.created', targetType: 'chat_site', targetId: id, details: { name: row.name } });
      return { statusCode: 201, body: { ...siteView(row, ctx.config.publicUrl), secret } };
    },
  );
  return result.body;
}

export async function updateChatSite(ctx: AppContext, actor: AgentActor, id: string, patch: ChatSitePatch): Promise<ChatSiteView> {
  return inTransaction(ctx.db, async (tx) => {
    await getSiteRow(tx, actor, id, { forUpdate: true });
    await checkReferences(tx, actor, patch);
    const row = await updateSiteRow(tx, actor, id, columnsOf(patch));
    await recordAudit(tx, actor, {
      action: 'chat_site.updated',
      targetType: 'chat_site',
      targetId: id,
      details: { fields: Object.keys(patch) },
    });
    return siteView(row, ctx.config.publicUrl);
  });
}

/** A new secret; the previous one keeps verifying tokens for ROTATION_GRACE_MS. */
export async function rotateChatSiteSecret(ctx: AppContext, actor: AgentActor, id: string): Promise<ChatSiteWithSecret> {
  return inTransaction(ctx.db, async (tx) => {
    const current: ChatSiteRow = await getSiteRow(tx, actor, id, { forUpdate: true });
    const secret = newSiteSecret();
    const now = new Date();
    const row = await updateSiteRow(tx, actor, id, {
      secret_sealed: sealSiteSecret(ctx.secret, id, secret),
      previous_secret_sealed: current.secret_sealed,
      previous_secret_expires_at: new Date(now.getTime() + ROTATION_GRACE_MS),
      secret_rotated_at: now,
    });
    await recordAudit(tx, actor, { action: 'chat_site.secret_rotated', targetType: 'chat_site', targetId: id });
    return { ...siteView(row, ctx.config.publicUrl), secret };
  });
}

/** A site that never had a conversation can go; otherwise switch it off (active: false). */
export async function deleteChatSite(ctx: AppContext, actor: AgentActor, id: string): Promise<void> {
  await inTransaction(ctx.db, async (tx) => {
    await getSiteRow(tx, actor, id, { forUpdate: true });
    if (await siteHasConversations(tx, actor, id)) {
      throw conflict('chat_site.in_use', 'This site has conversations; deactivate it instead (active: false)');
    }
    await deleteSiteRow(tx, actor, id);
    await recordAudit(tx, actor, { action: 'chat_site.deleted', targetType: 'chat_site', targetId: id });
  });
}
