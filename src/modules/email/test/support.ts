import MailComposer from 'nodemailer/lib/mail-composer';
import type Mail from 'nodemailer/lib/mailer';
import type { AppContext } from '../../../context.js';
import { createWorkspace, unique, type TestWorkspace } from '../../../test/factories.js';
import { getTestContext } from '../../../test/harness.js';
import type { CaseCategory } from '../../cases/schema.js';
import { acceptInboundMail } from '../intake-store.js';
import { processPendingInboundMail, type ProcessingOptions } from '../processing/inbound-processor.js';

/**
 * Shared test factories of the email module: mailboxes written straight to the table, raw
 * messages built with nodemailer's composer, delivery through the real intake
 * (acceptInboundMail) and a processor run limited to the test's own workspace (tests share one
 * database on PostgreSQL, so a run must never pick up another test's mail).
 */

export interface TestMailbox {
  id: string;
  workspaceId: string;
  address: string;
  name: string;
}

export async function createMailbox(
  workspace: { id: string },
  options: {
    address?: string;
    name?: string;
    category?: CaseCategory;
    teamId?: string | null;
    language?: string;
    acknowledge?: boolean;
    ackSubject?: string | null;
    ackBody?: string | null;
  } = {},
): Promise<TestMailbox> {
  const { db } = await getTestContext();
  const address = options.address ?? `${unique('support')}@desk.example.test`;
  const name = options.name ?? 'Support';
  const row = await db
    .insertInto('mailboxes')
    .values({
      workspace_id: workspace.id,
      address,
      name,
      category: options.category ?? 'general',
      team_id: options.teamId ?? null,
      language: options.language ?? 'en',
      acknowledge: options.acknowledge ?? true,
      ack_subject: options.ackSubject ?? null,
      ack_body: options.ackBody ?? null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return { id: row.id, workspaceId: workspace.id, address, name };
}

/** A fresh workspace with one mailbox. */
export async function mailWorld(mailboxOptions: Parameters<typeof createMailbox>[1] = {}) {
  const ctx = await getTestContext();
  const workspace = await createWorkspace();
  const mailbox = await createMailbox(workspace, mailboxOptions);
  return { ctx, db: ctx.db, workspace, mailbox };
}

/** A raw RFC 5322 message built by nodemailer (attachments, inline cid images, HTML, headers). */
export async function composeMail(options: Mail.Options): Promise<Buffer> {
  return new MailComposer({ date: new Date(), ...options }).compile().build();
}

export const newMessageId = (domain = 'customer.example') => `${unique('msg')}@${domain}`;

export interface Delivery {
  envelopeFrom?: string | null;
  /** Recipients as SMTP saw them; default: the mailbox address. */
  envelopeTo?: string[];
  remoteIp?: string | null;
  helo?: string | null;
}

/** Stores a raw message through the real intake, as SMTP does before it answers 250. */
export async function deliver(mailbox: TestMailbox, raw: Buffer | string, delivery: Delivery = {}): Promise<string> {
  const { db } = await getTestContext();
  const route = { id: mailbox.id, workspaceId: mailbox.workspaceId, address: mailbox.address };
  const ids = await acceptInboundMail(db, {
    source: 'smtp',
    raw: Buffer.isBuffer(raw) ? raw : Buffer.from(raw),
    envelopeFrom: delivery.envelopeFrom === undefined ? 'customer@customer.example' : delivery.envelopeFrom,
    recipients: (delivery.envelopeTo ?? [mailbox.address]).map((address) => ({ address, mailbox: route })),
    remoteIp: delivery.remoteIp ?? '192.0.2.10',
    helo: delivery.helo ?? 'mail.customer.example',
  });
  if (ids.length !== 1) throw new Error(`expected one inbound_mail row, got ${ids.length}`);
  return ids[0]!;
}

/** Runs the processor over this workspace's received mail only. */
export async function processMail(workspace: TestWorkspace | { id: string }, options: ProcessingOptions = {}): Promise<number> {
  const ctx = await getTestContext();
  return processPendingInboundMail(ctx, { ...options, workspaceId: workspace.id });
}

/** Composes, delivers and processes one message; returns the inbound row afterwards. */
export async function receive(
  world: { workspace: { id: string }; mailbox: TestMailbox },
  mail: Mail.Options,
  delivery: Delivery = {},
  options: ProcessingOptions = {},
) {
  const raw = await composeMail({ to: world.mailbox.address, ...mail });
  const id = await deliver(world.mailbox, raw, { envelopeFrom: addressOnly(mail.from), ...delivery });
  await processMail(world.workspace, options);
  return inboundRow(id);
}

function addressOnly(from: Mail.Options['from']): string | null {
  if (typeof from === 'string') return /<([^>]+)>/.exec(from)?.[1] ?? from;
  if (from && !Array.isArray(from) && typeof from === 'object') return from.address ?? null;
  return null;
}

export async function inboundRow(id: string) {
  const { db } = await getTestContext();
  return db
    .selectFrom('inbound_mail')
    .select([
      'id',
      'status',
      'reason_code',
      'reason',
      'case_id',
      'message_id',
      'from_address',
      'subject',
      'message_id_header',
      'auth_results',
      'attempts',
      'processed_at',
    ])
    .where('id', '=', id)
    .executeTakeFirstOrThrow();
}

export async function caseRow(ctx: AppContext, caseId: string) {
  return ctx.db
    .selectFrom('cases')
    .select(['id', 'number', 'status', 'subject', 'customer_id', 'category', 'team_id', 'tags', 'channel'])
    .where('id', '=', caseId)
    .executeTakeFirstOrThrow();
}

export async function messagesOf(ctx: AppContext, caseId: string) {
  return ctx.db
    .selectFrom('messages')
    .select(['id', 'visibility', 'author_type', 'author_customer_id', 'channel', 'body_text', 'metadata'])
    .where('case_id', '=', caseId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

export async function outboundOf(ctx: AppContext, workspaceId: string) {
  return ctx.db.selectFrom('outbound_mail').selectAll().where('workspace_id', '=', workspaceId).orderBy('created_at').execute();
}

export async function casesOfWorkspace(ctx: AppContext, workspaceId: string) {
  return ctx.db
    .selectFrom('cases')
    .select(['id', 'number', 'status', 'customer_id', 'tags'])
    .where('workspace_id', '=', workspaceId)
    .execute();
}
