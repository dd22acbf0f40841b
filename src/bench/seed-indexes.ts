import { sql } from 'kysely';
import type { Db } from '../db/database.js';

/**
 * Bulk loading into an empty database: the secondary indexes of the big tables are dropped before
 * the load and built again after it. Building a GIN index over millions of messages once is far
 * cheaper than updating it row by row (the same holds for the random-UUID and time b-trees). Only
 * when these tables are empty, i.e. a database of its own for benchmarks; a database that already
 * holds cases keeps its indexes and is filled row by row.
 */

const BULK_TABLES = ['cases', 'messages', 'case_events', 'customers', 'customer_identities'] as const;

export interface DeferredIndex {
  name: string;
  definition: string;
}

export async function tablesAreEmpty(db: Db): Promise<boolean> {
  const result = await sql<{ any_case: boolean; any_customer: boolean }>`
    select exists (select 1 from cases) as any_case, exists (select 1 from customers) as any_customer`.execute(db);
  const row = result.rows[0];
  return row !== undefined && !row.any_case && !row.any_customer;
}

/**
 * Drops the indexes that enforce nothing (no primary key, unique or exclusion constraint) and
 * returns their definitions, to be built again by buildIndexes.
 */
export async function dropSecondaryIndexes(db: Db): Promise<DeferredIndex[]> {
  const result = await sql<DeferredIndex>`
    select i.indexname as name, i.indexdef as definition
    from pg_indexes i
    join pg_class ic on ic.oid = format('%I.%I', i.schemaname, i.indexname)::regclass
    join pg_index x on x.indexrelid = ic.oid
    where i.schemaname = current_schema() and i.tablename = any(${[...BULK_TABLES]}::text[])
      and not x.indisunique and not x.indisprimary
      and not exists (select 1 from pg_constraint c where c.conindid = ic.oid)
    order by i.tablename, i.indexname`.execute(db);
  for (const index of result.rows) await sql`drop index ${sql.id(index.name)}`.execute(db);
  return result.rows;
}

/**
 * Builds the indexes again, two at a time (one per core), the biggest (GIN) first so the pair
 * finishes together. `maintenance_work_mem` is raised for these sessions only.
 */
export async function buildIndexes(db: Db, indexes: DeferredIndex[], onBuilt: (index: DeferredIndex, ms: number) => void): Promise<void> {
  const queue = [...indexes].sort((a, b) => Number(/using gin/i.test(b.definition)) - Number(/using gin/i.test(a.definition)));
  const worker = async () => {
    for (let index = queue.shift(); index; index = queue.shift()) {
      const started = performance.now();
      const definition = index.definition;
      await db.connection().execute(async (conn) => {
        await sql`set maintenance_work_mem = '512MB'`.execute(conn);
        await sql.raw(definition).execute(conn);
        await sql`reset maintenance_work_mem`.execute(conn);
      });
      onBuilt(index, performance.now() - started);
    }
  };
  await Promise.all([worker(), worker()]);
}
