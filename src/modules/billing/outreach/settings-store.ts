import { sql } from 'kysely';
import type { Db } from '../../../db/database.js';
import type { JsonObject } from '../../../platform/schema.js';

/**
 * SQL of the `outreach` and `triage` columns of billing_settings. The row (one per workspace) is
 * shared with the processor settings: each part writes only its own column. Callers authorize.
 */
export type OutreachSettingsColumn = 'outreach' | 'triage';

export async function selectSettingsColumn(db: Db, workspaceId: string, column: OutreachSettingsColumn): Promise<JsonObject | undefined> {
  const row = await db.selectFrom('billing_settings').select(column).where('workspace_id', '=', workspaceId).executeTakeFirst();
  return row?.[column];
}

/** Creates the workspace's row on first use; only `column` changes on an existing row. */
export async function upsertSettingsColumn(tx: Db, workspaceId: string, column: OutreachSettingsColumn, value: JsonObject): Promise<void> {
  const json = JSON.stringify(value);
  await tx
    .insertInto('billing_settings')
    .values({ workspace_id: workspaceId, [column]: json })
    .onConflict((oc) => oc.column('workspace_id').doUpdateSet({ [column]: json, updated_at: sql<Date>`now()` }))
    .execute();
}
