import { JobWorker } from '../../platform/jobs.js';
import { createAgent, createTeam, createWorkspace, type TestAgent, type TestWorkspace } from '../../test/factories.js';
import { getTestApp } from '../../test/harness.js';
import { realtimePublisher } from '../realtime/publisher.js';
import { liveServer, openSocket, type LiveServer, type TestSocket } from '../realtime/test-support.js';
import { signIdentityToken } from './identity-token.js';
import { chatDomainListener, chatJobHandlers } from './jobs.js';

/** Helpers of the chat tests (imported by *.test.ts only). */

export async function chatServer(): Promise<LiveServer> {
  return liveServer({ visitorRate: { burst: 30, perSecond: 10 } }, () => [chatDomainListener(), realtimePublisher()]);
}

export interface ChatWorld {
  ws: TestWorkspace;
  admin: TestAgent;
  agents: TestAgent[];
  team: { id: string };
  site: { id: string; site_key: string; secret: string };
}

/** A workspace with a team of online agents and a chat site routed to it (created through the admin API). */
export async function chatWorld(options: { agents?: number; body?: Record<string, unknown>; mailbox?: boolean } = {}): Promise<ChatWorld> {
  const app = await getTestApp();
  const ws = await createWorkspace();
  const admin = await createAgent(ws, { role: 'admin', presence: 'offline' });
  const agents: TestAgent[] = [];
  for (let i = 0; i < (options.agents ?? 1); i++) agents.push(await createAgent(ws, { name: `Agent ${i + 1}`, presence: 'online' }));
  const team = await createTeam(ws, { memberIds: agents.map((a) => a.id) });
  if (options.mailbox) {
    await app.inject({
      method: 'POST',
      url: '/api/v1/mailboxes',
      headers: admin.headers,
      payload: { address: `support-${ws.slug}@acme.test`, name: 'Acme Support' },
    });
  }
  const res = await app.inject({
    method: 'POST',
    url: '/api/v1/chat/sites',
    headers: admin.headers,
    payload: {
      name: 'Acme shop',
      allowed_origins: ['https://shop.acme.test'],
      greeting: 'Hi! How can we help?',
      prechat_question: 'What is it about?',
      prechat_choices: [
        { id: 'billing', label: 'Billing', category: 'billing', team_id: team.id },
        { id: 'tech', label: 'Something technical', category: 'technical', team_id: team.id },
      ],
      ...options.body,
    },
  });
  if (res.statusCode !== 201) throw new Error(`chat site: ${res.statusCode} ${res.body}`);
  return { ws, admin, agents, team, site: res.json() };
}

export const SHOP = 'https://shop.acme.test';

let visitorNumber = 0;
/** A fresh client address per visitor (tests play the proxy), so per-IP limits apply per visitor. */
export const nextIp = () => `198.51.100.${(++visitorNumber % 250) + 1}`;

export async function visitorSocket(
  server: LiveServer,
  siteKey: string,
  hello: Record<string, unknown> = {},
  origin = SHOP,
  ip = nextIp(),
): Promise<TestSocket> {
  const socket = await openSocket(`${server.wsBase}/api/v1/chat/widget/socket?site=${siteKey}`, { origin, 'x-forwarded-for': ip });
  socket.send({ type: 'hello', ...hello });
  return socket;
}

export function identity(
  world: ChatWorld,
  claims: { sub: string; email?: string; name?: string; exp?: number },
  secret = world.site.secret,
) {
  return signIdentityToken(secret, world.site.site_key, { exp: Math.floor(Date.now() / 1000) + 300, ...claims });
}

/** Runs the chat jobs due by `now` once (the worker role does this continuously). */
export async function runChatJobs(server: LiveServer, now?: Date): Promise<number> {
  const worker = new JobWorker(server.ctx.db, server.ctx.logger);
  for (const handler of chatJobHandlers(server.ctx)) worker.register(handler);
  return worker.runDue(now);
}
