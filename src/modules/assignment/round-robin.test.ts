import { sql } from 'kysely';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Db } from '../../db/database.js';
import type { CaseStatus } from '../cases/schema.js';
import { countOpenCasesUpTo } from '../cases/workload.js';
import { createAgent, createTeam, createWorkspace } from '../../test/factories.js';
import { getTestContext } from '../../test/harness.js';
import { pickAssignee } from './round-robin.js';

beforeAll(async () => {
  await getTestContext();
});

let caseNumber = 1000;

/** A case row written directly (the cases module is not under test here), assigned to an agent. */
async function assignedCase(db: Db, workspaceId: string, assigneeId: string, status: CaseStatus = 'open'): Promise<void> {
  const customer = await db
    .insertInto('customers')
    .values({ workspace_id: workspaceId, name: 'Customer' })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db
    .insertInto('cases')
    .values({
      workspace_id: workspaceId,
      number: ++caseNumber,
      subject: 'Help',
      status,
      channel: 'email',
      customer_id: customer.id,
      assignee_id: assigneeId,
    })
    .execute();
}

const byId = (ids: string[]) => [...ids].sort();

describe('pickAssignee (round-robin)', () => {
  it('walks the team in a stable id order and wraps around', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const agents = [await createAgent(workspace), await createAgent(workspace), await createAgent(workspace)];
    const team = await createTeam(workspace, { memberIds: agents.map((a) => a.id) });
    const order = byId(agents.map((a) => a.id));
    const picks = [];
    for (let i = 0; i < 5; i++) picks.push(await pickAssignee(db, workspace.id, team.id));
    expect(picks).toEqual([order[0], order[1], order[2], order[0], order[1]]);
    const cursor = await db
      .selectFrom('assignment_cursors')
      .select(['last_agent_id', 'workspace_id'])
      .where('team_id', '=', team.id)
      .executeTakeFirstOrThrow();
    expect(cursor).toEqual({ last_agent_id: order[1], workspace_id: workspace.id });
  });

  it('skips offline, deactivated and zero-capacity members and agents at capacity', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const full = await createAgent(workspace, { capacity: 1 });
    await assignedCase(db, workspace.id, full.id, 'on_hold');
    const offline = await createAgent(workspace, { presence: 'offline' });
    const deactivated = await createAgent(workspace, { status: 'deactivated' });
    const zero = await createAgent(workspace, { capacity: 0 });
    const free = await createAgent(workspace, { capacity: 2 });
    // Pending, solved and closed cases leave room; one open case of two does too.
    await assignedCase(db, workspace.id, free.id, 'pending');
    await assignedCase(db, workspace.id, free.id, 'solved');
    await assignedCase(db, workspace.id, free.id, 'closed');
    await assignedCase(db, workspace.id, free.id, 'open');
    const team = await createTeam(workspace, { memberIds: [full.id, offline.id, deactivated.id, zero.id, free.id] });
    expect(await pickAssignee(db, workspace.id, team.id)).toBe(free.id);
    expect(await pickAssignee(db, workspace.id, team.id)).toBe(free.id);
    await assignedCase(db, workspace.id, free.id, 'new');
    expect(await pickAssignee(db, workspace.id, team.id)).toBeNull();
  });

  it('prefers online agents; away agents get cases only when no online agent has room', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const away = await createAgent(workspace, { presence: 'away', capacity: 5 });
    const online = await createAgent(workspace, { presence: 'online', capacity: 1 });
    const team = await createTeam(workspace, { memberIds: [away.id, online.id] });
    expect(await pickAssignee(db, workspace.id, team.id)).toBe(online.id);
    expect(await pickAssignee(db, workspace.id, team.id)).toBe(online.id);
    await assignedCase(db, workspace.id, online.id);
    expect(await pickAssignee(db, workspace.id, team.id)).toBe(away.id);
  });

  it('returns null for an empty team, a team where nobody is free, and a team of another workspace', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const empty = await createTeam(workspace);
    expect(await pickAssignee(db, workspace.id, empty.id)).toBeNull();

    const busy = await createAgent(workspace, { capacity: 1 });
    await assignedCase(db, workspace.id, busy.id);
    const offline = await createAgent(workspace, { presence: 'offline' });
    const team = await createTeam(workspace, { memberIds: [busy.id, offline.id] });
    expect(await pickAssignee(db, workspace.id, team.id)).toBeNull();

    const other = await createWorkspace();
    const foreignTeam = await createTeam(other, { memberIds: [(await createAgent(other)).id] });
    expect(await pickAssignee(db, workspace.id, foreignTeam.id)).toBeNull();
    expect(await db.selectFrom('assignment_cursors').select('team_id').where('team_id', '=', foreignTeam.id).execute()).toEqual([]);
  });

  it('two concurrent picks, each assigning its case in the same transaction, choose different agents', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const a = await createAgent(workspace, { capacity: 1 });
    const b = await createAgent(workspace, { capacity: 1 });
    const team = await createTeam(workspace, { memberIds: [a.id, b.id] });
    const pickAndAssign = () =>
      db.transaction().execute(async (tx) => {
        const agentId = await pickAssignee(tx, workspace.id, team.id);
        // Hold the lock a moment so the other pick really has to wait for this one.
        await sql`select pg_sleep(0.2)`.execute(tx);
        if (agentId) await assignedCase(tx, workspace.id, agentId);
        return agentId;
      });
    const picks = await Promise.all([pickAndAssign(), pickAndAssign()]);
    expect(byId(picks as string[])).toEqual(byId([a.id, b.id]));
    // Both are now at capacity.
    expect(await pickAssignee(db, workspace.id, team.id)).toBeNull();
  });

  it('two concurrent picks for the last free slot: one gets it, the other gets null', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const last = await createAgent(workspace, { capacity: 1 });
    const busy = await createAgent(workspace, { capacity: 1 });
    await assignedCase(db, workspace.id, busy.id);
    const team = await createTeam(workspace, { memberIds: [last.id, busy.id] });
    const pickAndAssign = () =>
      db.transaction().execute(async (tx) => {
        const agentId = await pickAssignee(tx, workspace.id, team.id);
        await sql`select pg_sleep(0.2)`.execute(tx);
        if (agentId) await assignedCase(tx, workspace.id, agentId);
        return agentId;
      });
    const picks = await Promise.all([pickAndAssign(), pickAndAssign()]);
    expect(picks.filter((p) => p !== null)).toEqual([last.id]);
  });
});

describe('countOpenCasesUpTo', () => {
  it('counts new, open and on_hold cases per agent of the workspace up to each limit, with zeros', async () => {
    const { db } = await getTestContext();
    const workspace = await createWorkspace();
    const a = await createAgent(workspace);
    const b = await createAgent(workspace);
    for (const status of ['new', 'open', 'on_hold', 'pending', 'solved', 'closed'] as const)
      await assignedCase(db, workspace.id, a.id, status);
    const other = await createWorkspace();
    await assignedCase(db, other.id, (await createAgent(other)).id);
    const counts = await countOpenCasesUpTo(db, workspace.id, [
      { agentId: a.id, upTo: 10 },
      { agentId: b.id, upTo: 10 },
    ]);
    expect(counts).toEqual(
      new Map([
        [a.id, 3],
        [b.id, 0],
      ]),
    );
    // Capped at the limit: enough to tell whether the agent has room.
    expect((await countOpenCasesUpTo(db, workspace.id, [{ agentId: a.id, upTo: 2 }])).get(a.id)).toBe(2);
    expect(await countOpenCasesUpTo(db, workspace.id, [])).toEqual(new Map());
    // Another workspace's id answers 0, never that workspace's count.
    expect((await countOpenCasesUpTo(db, other.id, [{ agentId: a.id, upTo: 10 }])).get(a.id)).toBe(0);
  });
});
