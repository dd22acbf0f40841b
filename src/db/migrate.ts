import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import type { Db } from './database.js';

/** migrations/ at the project root: two levels up from src/db, three from dist/server/db. */
export const MIGRATIONS_DIR = ['../../migrations', '../../../migrations']
  .map((rel) => path.resolve(path.dirname(fileURLToPath(import.meta.url)), rel))
  .find((dir) => fs.existsSync(path.join(dir, '0001_platform.sql')))!;

export interface Migration {
  name: string;
  sql: string;
}

export function readMigrations(dir = MIGRATIONS_DIR): Migration[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{4}_[a-z0-9_]+\.sql$/.test(f))
    .sort()
    .map((name) => ({ name, sql: fs.readFileSync(path.join(dir, name), 'utf8') }));
}

/**
 * Applies plain SQL migrations in file-name order, each in its own transaction, under an
 * advisory lock so two processes starting together on one PostgreSQL server migrate once.
 * Returns the names applied.
 */
export async function migrate(db: Db, migrations: Migration[] = readMigrations()): Promise<string[]> {
  const applied: string[] = [];
  await db.connection().execute(async (conn) => {
    await sql`select pg_advisory_lock(7305193)`.execute(conn);
    try {
      await sql`create table if not exists schema_migrations (
        name text primary key,
        applied_at timestamptz not null default now()
      )`.execute(conn);
      const done = new Set((await sql<{ name: string }>`select name from schema_migrations`.execute(conn)).rows.map((r) => r.name));
      for (const migration of migrations) {
        if (done.has(migration.name)) continue;
        await conn.transaction().execute(async (tx) => {
          await sql.raw(migration.sql).execute(tx);
          await sql`insert into schema_migrations (name) values (${migration.name})`.execute(tx);
        });
        applied.push(migration.name);
      }
    } finally {
      await sql`select pg_advisory_unlock(7305193)`.execute(conn);
    }
  });
  return applied;
}
