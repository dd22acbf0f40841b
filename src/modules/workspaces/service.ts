import type { Db } from '../../db/database.js';
import { validationError, conflict } from '../../platform/errors.js';
import type { WorkspaceSettings } from './schema.js';

export interface WorkspaceView {
  id: string;
  name: string;
  slug: string;
  settings: WorkspaceSettings;
}

/**
 * Creates a workspace (the tenant every row belongs to). Only installation-level code calls this:
 * the demo data, the `create-admin` command and tests; there is no HTTP route that creates one
 * (CONVENTIONS.md security rule 4: no setup routes once installed).
 */
export async function createWorkspace(db: Db, input: { name: string; slug: string; settings?: WorkspaceSettings }): Promise<WorkspaceView> {
  if (!/^[a-z0-9][a-z0-9-]{0,62}$/.test(input.slug))
    throw validationError('workspace.invalid_slug', 'A workspace slug is 1-63 lower-case letters, digits or dashes');
  const taken = await db.selectFrom('workspaces').select('id').where('slug', '=', input.slug).executeTakeFirst();
  if (taken) throw conflict('workspace.slug_taken', `The workspace "${input.slug}" already exists`);
  const row = await db
    .insertInto('workspaces')
    .values({ name: input.name, slug: input.slug, settings: JSON.stringify(input.settings ?? {}) })
    .returning(['id', 'name', 'slug', 'settings'])
    .executeTakeFirstOrThrow();
  return row;
}

export async function findWorkspaceBySlug(db: Db, slug: string): Promise<WorkspaceView | undefined> {
  return db.selectFrom('workspaces').select(['id', 'name', 'slug', 'settings']).where('slug', '=', slug).executeTakeFirst();
}

export async function countWorkspaces(db: Db): Promise<number> {
  const row = await db
    .selectFrom('workspaces')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}
