import type { AppContext } from '../context.js';
import { provisionAgent } from '../modules/agents/provision.js';
import { createWorkspace, findWorkspaceBySlug } from '../modules/workspaces/service.js';
import { randomToken } from '../platform/tokens.js';

export interface CreateAdminArgs {
  workspaceName: string;
  slug: string;
  email: string;
  name: string;
  password: string | undefined;
}

export function parseCreateAdminArgs(argv: string[]): CreateAdminArgs {
  const value = (flag: string) => {
    const i = argv.indexOf(flag);
    const inline = argv.find((a) => a.startsWith(`${flag}=`));
    return inline ? inline.slice(flag.length + 1) : i >= 0 ? argv[i + 1] : undefined;
  };
  const email = value('--email');
  const workspaceName = value('--workspace') ?? 'Customer Service';
  const slug =
    value('--slug') ??
    workspaceName
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 63);
  if (!email)
    throw new Error(
      'create-admin needs --email <address> (and optionally --name, --workspace, --slug; password from BATON_ADMIN_PASSWORD)',
    );
  return { workspaceName, slug, email, name: value('--name') ?? email.split('@')[0]!, password: process.env.BATON_ADMIN_PASSWORD };
}

/**
 * Creates the first admin of a workspace (creating the workspace when it does not exist). The
 * installation has no setup web page (CONVENTIONS.md security rule 4): this command is the way in.
 */
export async function createAdmin(
  ctx: AppContext,
  args: CreateAdminArgs,
): Promise<{ password: string; generated: boolean; workspace: string }> {
  const workspace =
    (await findWorkspaceBySlug(ctx.db, args.slug)) ?? (await createWorkspace(ctx.db, { name: args.workspaceName, slug: args.slug }));
  const password = args.password ?? randomToken(12);
  await provisionAgent(
    ctx.db,
    { kind: 'system', workspaceId: workspace.id, reason: 'create-admin command' },
    { email: args.email, name: args.name, role: 'admin', password },
  );
  return { password, generated: args.password === undefined, workspace: workspace.slug };
}
