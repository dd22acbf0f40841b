import { describe, expect, it } from 'vitest';
import { getTestApp, getTestContext } from '../test/harness.js';
import { createAgent, createTeam, createWorkspace, unique } from '../test/factories.js';
import { sampleFor } from './sample-body.js';

/**
 * CONVENTIONS.md security rule 1: a test walks every API route as an actor who must not see the
 * object. Routes come from the generated OpenAPI document, so a new route is walked automatically.
 */
interface Operation {
  method: string;
  path: string;
  security: unknown[] | undefined;
  pathParams: string[];
  bodySchema: Record<string, unknown> | undefined;
}

async function operations(): Promise<Operation[]> {
  const app = await getTestApp();
  const doc = (await app.inject({ method: 'GET', url: '/api/v1/openapi.json' })).json<{
    paths: Record<
      string,
      Record<
        string,
        {
          security?: unknown[];
          parameters?: { in: string; name: string }[];
          requestBody?: { content?: Record<string, { schema?: Record<string, unknown> }> };
        }
      >
    >;
  }>();
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      ops.push({
        method: method.toUpperCase(),
        path,
        security: op.security,
        pathParams: (op.parameters ?? []).filter((p) => p.in === 'path').map((p) => p.name),
        bodySchema: op.requestBody?.content?.['application/json']?.schema,
      });
    }
  }
  return ops;
}

function fill(path: string, values: (param: string) => string): string {
  return path.replace(/\{([^}]+)\}/g, (_, name: string) => encodeURIComponent(values(name)));
}

/** Objects of one workspace, created directly so the walk does not depend on the routes it tests. */
async function populateWorkspace() {
  const { db } = await getTestContext();
  const ws = await createWorkspace();
  const admin = await createAgent(ws, { role: 'admin' });
  const team = await createTeam(ws, { memberIds: [admin.id], queues: [{ name: 'Billing', categories: ['billing'] }] });
  const customer = await db
    .insertInto('customers')
    .values({ workspace_id: ws.id, name: 'Walk Customer' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const identity = await db
    .insertInto('customer_identities')
    .values({ workspace_id: ws.id, customer_id: customer.id, kind: 'email', value: `${unique('walk')}@example.test`, is_primary: true })
    .returning('id')
    .executeTakeFirstOrThrow();
  const other = await db
    .insertInto('customers')
    .values({ workspace_id: ws.id, name: 'Walk Other' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const kase = await db
    .insertInto('cases')
    .values({ workspace_id: ws.id, number: 5001, subject: 'Walk case', channel: 'web', customer_id: customer.id, team_id: team.id })
    .returning('id')
    .executeTakeFirstOrThrow();
  const message = await db
    .insertInto('messages')
    .values({
      workspace_id: ws.id,
      case_id: kase.id,
      visibility: 'public',
      author_type: 'customer',
      author_customer_id: customer.id,
      channel: 'web',
      body_text: 'Why was I charged twice?',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const view = await db
    .insertInto('saved_views')
    .values({ workspace_id: ws.id, owner_agent_id: null, name: 'Walk view', filters: JSON.stringify({ status: ['open'] }) })
    .returning('id')
    .executeTakeFirstOrThrow();
  const token = await db
    .insertInto('api_tokens')
    .values({ workspace_id: ws.id, agent_id: admin.id, name: 'walk', token_hash: unique('hash'), token_prefix: 'btn_walk' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const merge = await db
    .insertInto('customer_merges')
    .values({
      workspace_id: ws.id,
      source_customer_id: other.id,
      target_customer_id: customer.id,
      moved: JSON.stringify({ identity_ids: [], case_ids: [], tags_added: [] }),
      merged_by: admin.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const attachment = await db
    .insertInto('attachments')
    .values({
      workspace_id: ws.id,
      message_id: message.id,
      sha256: '0'.repeat(64),
      size_bytes: 0,
      filename: 'walk.txt',
      content_type: 'text/plain',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const outboundMail = await db
    .insertInto('outbound_mail')
    .values({
      workspace_id: ws.id,
      kind: 'reply',
      case_id: kase.id,
      from_address: 'support@walk.test',
      to_addresses: ['walk@example.test'],
      subject: 'Walk mail',
      message_id_header: `${unique('walk')}@walk.test`,
      body_text: 'Walk',
      raw: Buffer.from('Subject: Walk\r\n\r\nWalk\r\n'),
      status: 'failed',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const mailbox = await db
    .insertInto('mailboxes')
    .values({ workspace_id: ws.id, address: `${unique('walk')}@walk.test`, name: 'Walk mailbox' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const inboundMail = await db
    .insertInto('inbound_mail')
    .values({
      workspace_id: ws.id,
      mailbox_id: mailbox.id,
      source: 'smtp',
      raw: Buffer.from('Subject: Walk\r\n\r\nWalk\r\n'),
      size_bytes: 23,
      status: 'quarantined',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Money actions (billing/money-actions): an action waiting for approval on the walk case.
  const billingAccount = await db
    .insertInto('billing_accounts')
    .values({ workspace_id: ws.id, customer_id: customer.id, source: 'ledger', external_id: null, currency: 'EUR' })
    .returning('id')
    .executeTakeFirstOrThrow();
  const invoice = await db
    .insertInto('billing_invoices')
    .values({
      workspace_id: ws.id,
      account_id: billingAccount.id,
      number: unique('INV-WALK'),
      status: 'open',
      currency: 'EUR',
      total_minor: 4990,
      amount_due_minor: 4990,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const payment = await db
    .insertInto('billing_payments')
    .values({
      workspace_id: ws.id,
      account_id: billingAccount.id,
      invoice_id: invoice.id,
      amount_minor: 4990,
      currency: 'EUR',
      status: 'succeeded',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const moneyAction = await db
    .insertInto('billing_money_actions')
    .values({
      workspace_id: ws.id,
      customer_id: customer.id,
      account_id: billingAccount.id,
      case_id: kase.id,
      kind: 'credit',
      amount_minor: 100000,
      currency: 'EUR',
      reason: 'Walk credit',
      status: 'pending_approval',
      requested_by: admin.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Disputes: one dispute on the walk case with one evidence item.
  const dispute = await db
    .insertInto('disputes')
    .values({
      workspace_id: ws.id,
      customer_id: customer.id,
      case_id: kase.id,
      source: 'manual',
      amount_minor: 4990,
      currency: 'EUR',
      reason: 'general',
      status: 'needs_response',
      evidence_due_at: new Date(Date.now() + 5 * 86_400_000),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const disputeEvidence = await db
    .insertInto('dispute_evidence_items')
    .values({
      workspace_id: ws.id,
      dispute_id: dispute.id,
      kind: 'receipt',
      title: 'Walk receipt',
      body: 'Paid',
      origin: 'agent',
      position: 0,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // A Stripe webhook event that failed to apply (its retry route).
  const webhookEvent = await db
    .insertInto('billing_webhook_events')
    .values({
      workspace_id: ws.id,
      provider: 'stripe',
      event_id: unique('evt'),
      type: 'customer.subscription.updated',
      event_created_at: new Date(),
      payload: JSON.stringify({ id: 'evt_walk', type: 'customer.subscription.updated', data: { object: {} } }),
      status: 'failed',
      error: 'Walk event',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // SLA: business hours and a policy counting in them.
  const businessHours = await db
    .insertInto('sla_schedules')
    .values({
      workspace_id: ws.id,
      name: 'Walk hours',
      time_zone: 'Europe/Berlin',
      weekly: JSON.stringify({ sun: [], mon: [{ start: '09:00', end: '17:00' }], tue: [], wed: [], thu: [], fri: [], sat: [] }),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  const slaPolicy = await db
    .insertInto('sla_policies')
    .values({
      workspace_id: ws.id,
      name: 'Walk policy',
      position: 0,
      first_reply_minutes: 60,
      time_basis: 'business',
      schedule_id: businessHours.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Chat (issue 4): a chat site (its secret is never decrypted by the walk).
  const chatSite = await db
    .insertInto('chat_sites')
    .values({
      workspace_id: ws.id,
      name: 'Walk site',
      site_key: `cs_walk_${unique('s').slice(2)}_0123456789`,
      prechat_choices: '[]',
      secret_sealed: 'v1.walk',
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Follow-ups: an agent's reminder on the walk case.
  const reminder = await db
    .insertInto('followup_reminders')
    .values({ workspace_id: ws.id, case_id: kase.id, agent_id: admin.id, remind_at: new Date(Date.now() + 86_400_000) })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Scheduled automations: a rule (close solved cases after 4 days).
  const automation = await db
    .insertInto('scheduled_automations')
    .values({
      workspace_id: ws.id,
      name: 'Walk automation',
      position: 0,
      conditions: JSON.stringify({ all: [{ field: 'hours_since_status_change', operator: 'gt', value: 96 }], any: [] }),
      actions: JSON.stringify([{ type: 'set_status', status: 'closed' }]),
      last_run_at: null,
      resume_after_case_id: null,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Triggers: a rule run on case events.
  const trigger = await db
    .insertInto('automation_triggers')
    .values({
      workspace_id: ws.id,
      name: 'Walk trigger',
      position: 1,
      events: ['case.created'],
      conditions: JSON.stringify({ all: [], any: [] }),
      actions: JSON.stringify([{ type: 'add_tags', tags: ['walk'] }]),
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  // Macros: a shared macro.
  const macro = await db
    .insertInto('macros')
    .values({
      workspace_id: ws.id,
      owner_agent_id: null,
      name: 'Walk macro',
      changes: JSON.stringify({ priority: 'high' }),
      created_by: admin.id,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  return {
    ws,
    admin,
    ids: {
      case: kase.id,
      customer: customer.id,
      identity: identity.id,
      message: message.id,
      team: team.id,
      queue: team.queues[0]!.id,
      agent: admin.id,
      view: view.id,
      token: token.id,
      merge: merge.id,
      attachment: attachment.id,
      mailbox: mailbox.id,
      outboundMail: outboundMail.id,
      inboundMail: inboundMail.id,
      invoice: invoice.id,
      payment: payment.id,
      moneyAction: moneyAction.id,
      dispute: dispute.id,
      disputeEvidence: disputeEvidence.id,
      businessHours: businessHours.id,
      slaPolicy: slaPolicy.id,
      webhookEvent: webhookEvent.id,
      chatSite: chatSite.id,
      reminder: reminder.id,
      automation: automation.id,
      trigger: trigger.id,
      macro: macro.id,
    },
  };
}

type Ids = Awaited<ReturnType<typeof populateWorkspace>>['ids'];

/** Which object a path parameter names, from the parameter name or the collection before it. */
/** Path parameters that name built-in definitions, the same in every workspace (not objects of one). */
const BUILT_IN_PARAMS: Record<string, string> = { key: 'reg_z_billing_error' };

function idFor(path: string, param: string, ids: Ids): string {
  if (BUILT_IN_PARAMS[param] && path.includes('/sla-presets/')) return BUILT_IN_PARAMS[param];
  const named: Record<string, keyof Ids> = {
    identityId: 'identity',
    agentId: 'agent',
    messageId: 'message',
    caseId: 'case',
    customerId: 'customer',
    teamId: 'team',
    queueId: 'queue',
    viewId: 'view',
    tokenId: 'token',
    mergeId: 'merge',
    attachmentId: 'attachment',
    itemId: 'disputeEvidence',
    siteId: 'chatSite',
    policyId: 'slaPolicy',
    macroId: 'macro',
  };
  if (named[param]) return ids[named[param]];
  const collection = path
    .split('/{' + param + '}')[0]!
    .split('/')
    .at(-1)!;
  const byCollection: Record<string, keyof Ids> = {
    cases: 'case',
    customers: 'customer',
    identities: 'identity',
    messages: 'message',
    teams: 'team',
    queues: 'queue',
    agents: 'agent',
    views: 'view',
    'api-tokens': 'token',
    'customer-merges': 'merge',
    attachments: 'attachment',
    followers: 'agent',
    mailboxes: 'mailbox',
    'outbound-mail': 'outboundMail',
    'inbound-mail': 'inboundMail',
    'money-actions': 'moneyAction',
    invoices: 'invoice',
    payments: 'payment',
    disputes: 'dispute',
    'business-hours': 'businessHours',
    'sla-policies': 'slaPolicy',
    'webhook-events': 'webhookEvent',
    reminders: 'reminder',
    automations: 'automation',
    triggers: 'trigger',
    macros: 'macro',
  };
  const kind = byCollection[collection];
  if (!kind) throw new Error(`authorization walk: no object known for {${param}} in ${path}; teach idFor about it`);
  return ids[kind];
}

describe('authorization walk over every API route', () => {
  it('answers 401 to every non-public route without credentials', async () => {
    const app = await getTestApp();
    const ops = (await operations()).filter((op) => op.security === undefined || op.security.length > 0);
    expect(ops.length).toBeGreaterThan(5);
    const failures: string[] = [];
    for (const op of ops) {
      const url = fill(op.path, () => '00000000-0000-4000-8000-000000000000');
      const res = await app.inject({ method: op.method as 'GET', url, ...(op.bodySchema ? { payload: {} } : {}) });
      if (res.statusCode !== 401) failures.push(`${op.method} ${op.path} -> ${res.statusCode}`);
    }
    expect(failures).toEqual([]);
  });

  it('answers 404 to an admin of another workspace for every object of this one, and lists never leak it', async () => {
    const app = await getTestApp();
    const mine = await populateWorkspace();
    const otherWs = await createWorkspace();
    const outsider = await createAgent(otherWs, { role: 'admin' });
    const secretIds = Object.values(mine.ids);
    const failures: string[] = [];
    for (const op of await operations()) {
      if (op.security !== undefined && op.security.length === 0) continue;
      const url = fill(op.path, (param) => idFor(op.path, param, mine.ids));
      const payload = op.bodySchema
        ? sampleFor(op.bodySchema as never, '', { source_customer_id: mine.ids.customer, source_case_id: mine.ids.case })
        : undefined;
      // The bearer token, not the session: the walk also calls /auth/logout, which ends a session.
      const res = await app.inject({
        method: op.method as 'GET',
        url,
        headers: outsider.tokenHeaders,
        ...(payload !== undefined ? { payload: payload as object } : {}),
      });
      if (op.pathParams.some((param) => !BUILT_IN_PARAMS[param])) {
        if (res.statusCode !== 404) failures.push(`${op.method} ${op.path} -> ${res.statusCode} ${res.body.slice(0, 160)}`);
      } else if (res.statusCode < 400 && secretIds.some((id) => res.body.includes(id))) {
        failures.push(`${op.method} ${op.path} leaked an object of another workspace`);
      }
    }
    expect(failures).toEqual([]);
  });
});
