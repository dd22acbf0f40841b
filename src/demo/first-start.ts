import type { AppContext } from '../context.js';
import { listMailboxes } from '../modules/email/mailboxes/service.js';
import { countWorkspaces, findWorkspaceBySlug } from '../modules/workspaces/service.js';
import { DEMO_LOGINS, DEMO_PASSWORD, DEMO_WORKSPACE_SLUG, seedDemoData, type DemoLogin } from './seed.js';

export interface DemoSummary {
  password: string;
  logins: DemoLogin[];
  /** The demo workspace's mailboxes (mail to them opens cases). */
  mailboxes: string[];
}

/**
 * Loads the demo workspace when the database holds no workspace yet, and returns the demo logins
 * to print whenever the demo workspace exists (so every start shows how to sign in).
 */
export async function loadDemoDataOnFirstStart(ctx: AppContext): Promise<DemoSummary | undefined> {
  if ((await countWorkspaces(ctx.db)) === 0) {
    const started = Date.now();
    ctx.logger.info('loading demo data (first start)');
    try {
      await seedDemoData(ctx.db, { secret: ctx.secret });
    } catch (error) {
      // Two processes starting together on one PostgreSQL server: the other one seeds.
      if ((error as { code?: string }).code !== 'workspace.slug_taken') throw error;
    }
    ctx.logger.info({ ms: Date.now() - started }, 'demo data loaded');
  }
  const workspace = await findWorkspaceBySlug(ctx.db, DEMO_WORKSPACE_SLUG);
  if (!workspace) return undefined;
  const system = { kind: 'system', workspaceId: workspace.id, reason: 'start-up banner' } as const;
  const mailboxes = (await listMailboxes(ctx.db, system)).filter((m) => m.active).map((m) => m.address);
  return { password: DEMO_PASSWORD, logins: DEMO_LOGINS, mailboxes };
}
