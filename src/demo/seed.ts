import { createMailbox } from '../modules/email/mailboxes/service.js';
import { settleEventsAsHistory } from '../platform/outbox.js';
import { seedDemoBilling } from './billing.js';
import { seedDemoDisputes } from './disputes.js';
import { seedDemoScheduledAutomations } from './scheduled-automations.js';
import { seedDemoSla } from './sla.js';
import { sql } from 'kysely';
import type { Db } from '../db/database.js';
import { provisionAgent } from '../modules/agents/provision.js';
import { createQueue, createTeam } from '../modules/agents/teams.js';
import type { AgentRole } from '../modules/agents/schema.js';
import { enableOutreachWithBuiltInTexts } from '../modules/billing/outreach/index.js';
import { addMessage, createCase, updateCase } from '../modules/cases/service.js';
import type { CaseStatus } from '../modules/cases/schema.js';
import { createCustomer } from '../modules/customers/service.js';
import { createWorkspace } from '../modules/workspaces/service.js';
import type { AgentActor, SystemActor } from '../platform/actor.js';
import {
  CHANNEL_WEIGHTS,
  FIRST_NAMES,
  INQUIRIES,
  LAST_NAMES,
  ORGANIZATIONS,
  PRIORITY_WEIGHTS,
  STATUS_WEIGHTS,
  pick,
  seededRandom,
  weighted,
} from './content.js';

export const DEMO_WORKSPACE_SLUG = 'demo';
export const DEMO_PASSWORD = 'baton-demo';

export interface DemoLogin {
  email: string;
  name: string;
  role: AgentRole;
  teams: string;
}

const AGENTS: (DemoLogin & { presence: 'online' | 'away' | 'offline' })[] = [
  { email: 'admin@demo.test', name: 'Alex Admin', role: 'admin', teams: 'Service, Support', presence: 'online' },
  { email: 'supervisor@demo.test', name: 'Sam Supervisor', role: 'supervisor', teams: 'Service', presence: 'online' },
  { email: 'ana@demo.test', name: 'Ana Billing', role: 'agent', teams: 'Service', presence: 'online' },
  { email: 'ben@demo.test', name: 'Ben Payments', role: 'agent', teams: 'Service', presence: 'away' },
  { email: 'chen@demo.test', name: 'Chen Disputes', role: 'agent', teams: 'Service', presence: 'online' },
  { email: 'dev@demo.test', name: 'Dev Support', role: 'agent', teams: 'Support', presence: 'online' },
  { email: 'eva@demo.test', name: 'Eva Support', role: 'agent', teams: 'Support', presence: 'offline' },
];

export const DEMO_LOGINS: DemoLogin[] = AGENTS.map(({ email, name, role, teams }) => ({ email, name, role, teams }));

const noKey = { key: undefined, requestHash: '' };

/** Paths from `new` to a target status through the state machine, as an agent works a case. */
const STATUS_PATH: Record<CaseStatus, CaseStatus[]> = {
  new: [],
  open: ['open'],
  pending: ['pending'],
  on_hold: ['on_hold'],
  solved: ['solved'],
  closed: ['solved', 'closed'],
};

/**
 * Fills the demo workspace: agents in two teams (Service with Billing, Payments and Disputes
 * queues; Support), ~50 customers and ~200 billing-flavoured cases across statuses, all through
 * the modules' services so the data is exactly what the product would have written.
 */
export async function seedDemoData(
  db: Db,
  options: { customers?: number; cases?: number; slug?: string; emailDomain?: string; secret?: string } = {},
): Promise<DemoLogin[]> {
  const random = seededRandom(1042);
  const domain = options.emailDomain ?? 'demo.test';
  const emailOf = (demoEmail: string) => demoEmail.replace('@demo.test', `@${domain}`);
  const workspace = await createWorkspace(db, {
    name: 'Demo Company',
    slug: options.slug ?? DEMO_WORKSPACE_SLUG,
    settings: { continuity: { enabled: true, windowDays: 30 }, statusLinkDays: 30 },
  });
  const system: SystemActor = { kind: 'system', workspaceId: workspace.id, reason: 'demo data' };

  const agentIds = new Map<string, string>();
  for (const agent of AGENTS) {
    const row = await provisionAgent(db, system, { ...agent, email: emailOf(agent.email), password: DEMO_PASSWORD, capacity: 25 });
    agentIds.set(agent.email, row.id);
  }
  const admin: AgentActor = {
    kind: 'agent',
    workspaceId: workspace.id,
    agentId: agentIds.get('admin@demo.test')!,
    role: 'admin',
    via: 'session',
  };
  const member = (emails: string[]) => emails.map((e) => agentIds.get(e)!);

  const service = await createTeam(
    db,
    admin,
    {
      name: 'Service',
      description: 'Billing, payments, refunds, disputes and general inquiries',
      auto_assign: true,
      member_ids: member(['admin@demo.test', 'supervisor@demo.test', 'ana@demo.test', 'ben@demo.test', 'chen@demo.test']),
    },
    noKey,
  );
  const support = await createTeam(
    db,
    admin,
    {
      name: 'Support',
      description: 'Technical problems',
      auto_assign: true,
      member_ids: member(['admin@demo.test', 'dev@demo.test', 'eva@demo.test']),
    },
    noKey,
  );
  await createQueue(db, admin, service.body.id, { name: 'Billing', categories: ['billing', 'refund', 'general'] }, noKey);
  await createQueue(db, admin, service.body.id, { name: 'Payments', categories: ['payment'] }, noKey);
  await createQueue(db, admin, service.body.id, { name: 'Disputes', categories: ['dispute'] }, noKey);
  await createQueue(db, admin, support.body.id, { name: 'Technical', categories: ['technical'] }, noKey);
  // Mail to these addresses (Baton's SMTP server, port 2525) opens cases; printed at start.
  // The secret only encrypts IMAP passwords, which the demo mailboxes do not have.
  const secret = options.secret ?? 'demo';
  await createMailbox(db, secret, admin, { address: `billing@${domain}`, name: 'Billing', team_id: service.body.id, category: 'billing' });
  await createMailbox(db, secret, admin, {
    address: `support@${domain}`,
    name: 'Support',
    team_id: support.body.id,
    category: 'technical',
  });

  const customerIds: string[] = [];
  const customerCount = options.customers ?? 50;
  for (let i = 0; i < customerCount; i++) {
    const first = FIRST_NAMES[i % FIRST_NAMES.length]!;
    const last = LAST_NAMES[(i * 7) % LAST_NAMES.length]!;
    const handle = `${first}.${last}`
      .toLowerCase()
      .normalize('NFD')
      .replace(/[^a-z.]/g, '');
    const customer = await createCustomer(db, system, {
      name: `${first} ${last}`,
      organization: pick(random, ORGANIZATIONS),
      emails: i % 5 === 0 ? [`${handle}${i}@example.com`, `${handle}${i}@work.example`] : [`${handle}${i}@example.com`],
      phones: i % 3 === 0 ? [`+4930${String(5550000 + i)}`] : [],
      language: pick(random, ['en', 'en', 'en', 'de', 'fr', 'es']),
      time_zone: pick(random, ['Europe/Berlin', 'Europe/London', 'America/New_York', 'America/Chicago', 'Asia/Tokyo']),
      preferred_channel: pick(random, ['email', 'email', 'phone', 'web', 'letter'] as const),
      correspondence_format: i % 10 === 0 ? 'letter' : i % 17 === 0 ? 'postcard' : 'email',
      postal_address:
        i % 4 === 0 ? { line1: `${10 + i} Market Street`, city: 'Springfield', postal_code: `${10000 + i}`, country: 'US' } : null,
      tags: i % 6 === 0 ? ['vip'] : [],
    });
    customerIds.push(customer.id);
  }

  const agentActors = [...agentIds.entries()]
    .filter(([email]) => email !== 'admin@demo.test')
    .map(([email, id]): AgentActor => ({
      kind: 'agent',
      workspaceId: workspace.id,
      agentId: id,
      role: AGENTS.find((a) => a.email === email)!.role,
      via: 'session',
    }));

  const caseCount = options.cases ?? 200;
  const ages: { id: string; minutesAgo: number }[] = [];
  for (let i = 0; i < caseCount; i++) {
    const inquiry = pick(random, INQUIRIES);
    const status = weighted(random, STATUS_WEIGHTS);
    const customerId = customerIds[Math.floor(random() * customerIds.length)]!;
    const created = await createCase(db, system, {
      customerId,
      subject: inquiry.subject,
      category: inquiry.category,
      priority: weighted(random, PRIORITY_WEIGHTS),
      channel: weighted(random, CHANNEL_WEIGHTS),
      tags: random() < 0.2 ? [pick(random, ['vip', 'escalated', 'invoice', 'refund-requested', 'chargeback'])] : [],
      message: { bodyText: inquiry.body, authorType: 'customer' },
    });
    const agent = pick(random, agentActors);
    if (status !== 'new') {
      await addMessage(db, agent, created.id, { bodyText: inquiry.agentReply, visibility: 'public' });
      if (random() < 0.3)
        await addMessage(db, agent, created.id, {
          bodyText: 'Checked the processor dashboard; matches what the customer describes.',
          visibility: 'internal',
        });
      if (inquiry.customerFollowUp && random() < 0.5) {
        await addMessage(db, system, created.id, { bodyText: inquiry.customerFollowUp, visibility: 'public', authorType: 'customer' });
      }
      let current = { status: 'open' as CaseStatus, version: (await currentVersion(db, created.id))! };
      for (const next of STATUS_PATH[status]) {
        if (current.status === next) continue;
        current = await updateCase(db, agent, created.id, { version: current.version, status: next });
      }
    }
    // Spread cases over the last 60 days, newer ones more likely.
    ages.push({ id: created.id, minutesAgo: Math.floor(random() ** 2 * 60 * 24 * 60) + 5 });
  }
  await spreadOverTime(db, workspace.id, ages);
  await seedDemoBilling(db, system, customerIds);
  await seedDemoDisputes(db, system, customerIds);
  await seedDemoSla(db, admin, { serviceTeamId: service.body.id, supportTeamId: support.body.id });
  await seedDemoScheduledAutomations(db, admin);
  // The demo shows proactive outreach working; other workspaces turn it on themselves.
  await enableOutreachWithBuiltInTexts(db, workspace.id);
  // The demo's conversations are history: no reply or notification mail goes out for them.
  await settleEventsAsHistory(db, workspace.id);
  return DEMO_LOGINS.map((login) => ({ ...login, email: emailOf(login.email) }));
}

async function currentVersion(db: Db, caseId: string): Promise<number | undefined> {
  const row = await db.selectFrom('cases').select('version').where('id', '=', caseId).executeTakeFirst();
  return row?.version;
}

/**
 * Demo-only: services stamp everything "now"; an inbox where every case is a minute old looks
 * fake, so the demo shifts each case and its messages back in time. Case events keep their real
 * times (they are append-only).
 */
async function spreadOverTime(db: Db, workspaceId: string, ages: { id: string; minutesAgo: number }[]): Promise<void> {
  if (ages.length === 0) return;
  const ids = ages.map((a) => a.id);
  const minutes = ages.map((a) => a.minutesAgo);
  await sql`
    with shift as (select unnest(${ids}::uuid[]) as id, make_interval(mins => unnest(${minutes}::int[])) as by)
    update cases c set created_at = c.created_at - shift.by, updated_at = c.updated_at - shift.by,
      last_message_at = c.last_message_at - shift.by,
      last_customer_message_at = c.last_customer_message_at - shift.by,
      first_agent_reply_at = c.first_agent_reply_at - shift.by,
      solved_at = c.solved_at - shift.by, closed_at = c.closed_at - shift.by
    from shift where c.id = shift.id and c.workspace_id = ${workspaceId}`.execute(db);
  await sql`
    with shift as (select unnest(${ids}::uuid[]) as id, make_interval(mins => unnest(${minutes}::int[])) as by)
    update messages m set created_at = m.created_at - shift.by
    from shift where m.case_id = shift.id and m.workspace_id = ${workspaceId}`.execute(db);
}
