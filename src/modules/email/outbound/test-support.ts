import type { AppContext } from '../../../context.js';
import { JobWorker } from '../../../platform/jobs.js';
import { OutboxRelay } from '../../../platform/outbox-relay.js';
import { createAgent, createWorkspace, unique, type TestAgent, type TestWorkspace } from '../../../test/factories.js';
import { getTestApp, getTestContext } from '../../../test/harness.js';
import { createCase, type CaseView } from '../../cases/service.js';
import { findOrCreateCustomerByEmail } from '../../customers/service.js';
import { recordMessageIds } from '../message-ids-store.js';
import { emailDomainListeners } from './index.js';
import { outboundMailJob } from './send-job.js';

/** Helpers of the outbound mail tests (imported by *.test.ts only). */

export interface EmailWorld {
  ctx: AppContext;
  ws: TestWorkspace;
  agent: TestAgent;
  mailbox: { id: string; address: string; name: string };
  customer: { id: string; email: string; name: string };
}

/**
 * A workspace with an agent, a customer and a mailbox. The mailbox row is written directly: the
 * mailbox API is another module's.
 */
export async function emailWorld(options: { mailbox?: boolean; agentRole?: 'agent' | 'supervisor' | 'admin' } = {}): Promise<EmailWorld> {
  await getTestApp();
  const ctx = await getTestContext();
  const ws = await createWorkspace();
  const agent = await createAgent(ws, { role: options.agentRole ?? 'agent', name: 'Alex Agent' });
  const address = `${unique('support')}@acme.test`;
  const mailbox =
    options.mailbox === false
      ? { id: '', address: '', name: '' }
      : await ctx.db
          .insertInto('mailboxes')
          .values({ workspace_id: ws.id, address, name: 'Acme Billing', category: 'billing' })
          .returning(['id', 'address', 'name'])
          .executeTakeFirstOrThrow();
  const email = `${unique('casey')}@customer.test`;
  const { customerId } = await findOrCreateCustomerByEmail(ctx.db, ws.system, { email, name: 'Casey Customer' });
  return { ctx, ws, agent, mailbox, customer: { id: customerId, email, name: 'Casey Customer' } };
}

/**
 * A case as inbound email processing leaves it: the customer's message with metadata.email, its
 * Message-IDs recorded for threading, and CC participants.
 */
export async function inboundEmailCase(
  world: EmailWorld,
  options: { subject?: string; inboundMessageId?: string; references?: string[]; cc?: string[]; channel?: 'email' | 'chat' | 'web' } = {},
): Promise<CaseView> {
  const { ctx, ws, mailbox, customer } = world;
  const inboundMessageId = options.inboundMessageId ?? `${unique('in')}@customer.test`;
  const kase = await createCase(ctx.db, ws.system, {
    customerId: customer.id,
    subject: options.subject ?? 'Invoice 42 is wrong',
    category: 'billing',
    channel: options.channel ?? 'email',
    assigneeId: null,
    message: {
      bodyText: 'Hello, invoice 42 charges me twice.',
      visibility: 'public',
      authorType: 'customer',
      metadata:
        options.channel === 'chat'
          ? {}
          : { email: { mailbox_id: mailbox.id || null, message_id: inboundMessageId, from: customer.email, to: [mailbox.address] } },
    },
  });
  if (options.channel !== 'chat') {
    await recordMessageIds(ctx.db, {
      workspaceId: ws.id,
      caseId: kase.id,
      messageIds: [...(options.references ?? []), inboundMessageId],
      direction: 'inbound',
    });
  }
  for (const address of options.cc ?? []) {
    await ctx.db
      .insertInto('email_case_participants')
      .values({ workspace_id: ws.id, case_id: kase.id, address, name: 'Colleague', role: 'cc' })
      .execute();
  }
  return kase;
}

/** The context with (or without) a relay URL; everything else shared. */
export function withRelay(ctx: AppContext, relayUrl: string | undefined): AppContext {
  return { ...ctx, config: { ...ctx.config, mail: { ...ctx.config.mail, relayUrl } } };
}

/** Relays every pending domain event to the email listeners, as the worker's relay does. */
export async function relayEvents(ctx: AppContext): Promise<void> {
  await new OutboxRelay(ctx.database, emailDomainListeners(ctx), ctx.logger).drain();
}

/** Runs the due 'email.send' jobs once, at `now` (a later time makes retries due). */
export async function runSendJobs(ctx: AppContext, now?: Date): Promise<number> {
  const worker = new JobWorker(ctx.db, ctx.logger);
  worker.register(outboundMailJob(ctx));
  return worker.runDue(now);
}

export async function outboundRows(ctx: AppContext, workspaceId: string) {
  return ctx.db
    .selectFrom('outbound_mail')
    .selectAll()
    .where('workspace_id', '=', workspaceId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}
