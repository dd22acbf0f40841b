import { sql } from 'kysely';
import type { Db } from '../../db/database.js';

/**
 * Case numbers: one PostgreSQL sequence per workspace, so concurrent case creations never wait on
 * each other for a number (a counter row stayed locked until the creating transaction committed,
 * which serialized every creation of a workspace). Numbers start at 1001 and are unique; a
 * creation that rolls back leaves a gap, as a sequence does.
 */

/** The sequence's name: a workspace id is a UUID, so 13 + 32 characters, a valid identifier. */
export function caseNumberSequence(workspaceId: string): string {
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(workspaceId)) {
    throw new Error(`not a workspace id: ${workspaceId}`);
  }
  return `case_numbers_${workspaceId.toLowerCase().replaceAll('-', '')}`;
}

const FIRST_CASE_NUMBER = 1001;

/**
 * The next case number of the workspace. Runs inside the caller's transaction: the first case of
 * a workspace creates its sequence, under a savepoint so that two first cases racing each other
 * both succeed (the loser sees the winner's sequence once it commits).
 */
export async function nextCaseNumber(tx: Db, workspaceId: string): Promise<number> {
  const name = caseNumberSequence(workspaceId);
  const taken = await takeNumber(tx, name);
  if (taken !== null) return taken;
  await sql`savepoint case_number_sequence`.execute(tx);
  try {
    // After the highest number already used: safe for a workspace whose sequence was dropped or
    // whose cases were copied in (the seeder, an import).
    const highest = await sql<{ n: number | null }>`
      select max(number) as n from cases where workspace_id = ${workspaceId}`.execute(tx);
    const start = Math.max(FIRST_CASE_NUMBER, Number(highest.rows[0]?.n ?? 0) + 1);
    await sql`create sequence if not exists ${sql.id(name)} as integer start with ${sql.lit(start)} minvalue 1`.execute(tx);
    await sql`release savepoint case_number_sequence`.execute(tx);
  } catch (error) {
    // 23505: another transaction created the same sequence and committed first.
    if ((error as { code?: string }).code !== '23505') throw error;
    await sql`rollback to savepoint case_number_sequence`.execute(tx);
  }
  const created = await takeNumber(tx, name);
  if (created === null) throw new Error(`case number sequence ${name} is missing after its creation`);
  return created;
}

async function takeNumber(tx: Db, name: string): Promise<number | null> {
  const result = await sql<{ n: string | number | null }>`select nextval(to_regclass(${name})) as n`.execute(tx);
  const n = result.rows[0]?.n;
  return n === null || n === undefined ? null : Number(n);
}

/** Moves the workspace's sequence past `lastUsed` (the seeder and imports write numbers themselves). */
export async function advanceCaseNumbers(db: Db, workspaceId: string, lastUsed: number): Promise<void> {
  const name = caseNumberSequence(workspaceId);
  await sql`create sequence if not exists ${sql.id(name)} as integer start with ${sql.lit(FIRST_CASE_NUMBER)} minvalue 1`.execute(db);
  await sql`select setval(${name}::regclass, greatest(${lastUsed}::bigint, (select last_value from ${sql.id(name)})))`.execute(db);
}
