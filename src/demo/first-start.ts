import type { AppContext } from '../context.js';

export interface DemoSummary {
  password: string;
  logins: { email: string; role: string; teams: string }[];
}

/** Loads the demo workspace when the database holds no workspace yet; returns the logins to print. */
export async function loadDemoDataOnFirstStart(ctx: AppContext): Promise<DemoSummary | undefined> {
  const existing = await ctx.db.selectFrom('workspaces').select('id').limit(1).executeTakeFirst();
  if (existing) return undefined;
  // Filled in by the demo data seed (src/demo/seed.ts).
  return undefined;
}
