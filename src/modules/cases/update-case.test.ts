import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { createAgent, createTeam, createWorkspace } from '../../test/factories.js';
import { CASE_STATUSES, type CaseStatus } from './schema.js';
import { ALLOWED_TRANSITIONS } from './status-machine.js';
import {
  caseWorld,
  domainEventTypes,
  eventTypes,
  getCaseView,
  historyCounts,
  patchCase,
  postCase,
  type ErrorResponse,
} from './test-support.js';
import type { CaseView } from './views.js';

// Building the app and loading the database template is slow on a busy machine: not inside a test's time budget.
beforeAll(async () => {
  await getTestApp();
});

/** How to walk a fresh case to each status through legal transitions. */
const PATH_TO: Record<CaseStatus, CaseStatus[]> = {
  new: [],
  open: ['open'],
  pending: ['pending'],
  on_hold: ['on_hold'],
  solved: ['solved'],
  closed: ['solved', 'closed'],
};

async function caseIn(world: Awaited<ReturnType<typeof caseWorld>>, status: CaseStatus): Promise<CaseView> {
  let view = await postCase(world.agent, { customer_id: world.customerId });
  for (const step of PATH_TO[status]) {
    const res = await patchCase(world.agent, view.id, { version: view.version, status: step });
    expect(res.statusCode, res.body).toBe(200);
    view = res.json<CaseView>();
  }
  expect(view.status).toBe(status);
  return view;
}

describe('status transitions through the API', () => {
  for (const from of CASE_STATUSES) {
    it(`from ${from}: allows ${ALLOWED_TRANSITIONS[from].join(', ') || 'nothing'} and refuses the rest`, async () => {
      const world = await caseWorld();
      for (const to of CASE_STATUSES) {
        const view = await caseIn(world, from);
        const before = await historyCounts([view.id]);
        const res = await patchCase(world.agent, view.id, { version: view.version, status: to });
        const after = await historyCounts([view.id]);
        if (to === from) {
          expect(res.statusCode, res.body).toBe(200);
          expect(res.json()).toMatchObject({ status: from, version: view.version });
          expect(after).toEqual(before);
        } else if (ALLOWED_TRANSITIONS[from].includes(to)) {
          expect(res.statusCode, `${from} -> ${to}: ${res.body}`).toBe(200);
          expect(res.json()).toMatchObject({ status: to, version: view.version + 1 });
          expect(after).toEqual({ caseEvents: before.caseEvents + 1, domainEvents: before.domainEvents + 1 });
        } else {
          expect(res.statusCode, `${from} -> ${to}`).toBe(422);
          expect(res.json<ErrorResponse>().error).toMatchObject({ code: 'case.illegal_transition', details: { from, to } });
          expect(after).toEqual(before);
          expect((await getCaseView(world.agent, view.id)).version).toBe(view.version);
        }
      }
    });
  }

  it('stamps solved_at and closed_at, and clears solved_at on reopening', async () => {
    const world = await caseWorld();
    const solved = await caseIn(world, 'solved');
    expect(solved.solved_at).not.toBeNull();
    const reopened = (await patchCase(world.agent, solved.id, { version: solved.version, status: 'open' })).json<CaseView>();
    expect(reopened.solved_at).toBeNull();
    const closed = await caseIn(world, 'closed');
    expect(closed.solved_at).not.toBeNull();
    expect(closed.closed_at).not.toBeNull();
  });
});

describe('changing a case', () => {
  it('writes one case event and one domain event per changed field', async () => {
    const world = await caseWorld();
    const { agent, workspace } = world;
    const team = await createTeam(workspace, { queues: [{ name: 'Billing' }] });
    const colleague = await createAgent(workspace);
    const view = await postCase(agent, { customer_id: world.customerId, tags: ['a', 'b'] });
    const res = await patchCase(agent, view.id, {
      version: 1,
      subject: 'New subject',
      status: 'pending',
      priority: 'urgent',
      category: 'dispute',
      team_id: team.id,
      queue_id: team.queues[0]!.id,
      assignee_id: colleague.id,
      tags: ['b', 'C'],
    });
    expect(res.statusCode, res.body).toBe(200);
    expect(res.json()).toMatchObject({
      subject: 'New subject',
      status: 'pending',
      priority: 'urgent',
      category: 'dispute',
      team_id: team.id,
      queue_id: team.queues[0]!.id,
      assignee: { id: colleague.id },
      tags: ['b', 'c'],
      version: 2,
    });
    const changes = [
      'status_changed',
      'subject_changed',
      'priority_changed',
      'category_changed',
      'team_changed',
      'queue_changed',
      'assigned',
      'tags_changed',
    ];
    expect(await eventTypes(view.id)).toEqual(['created', 'message_added', ...changes]);
    expect(await domainEventTypes(view.id)).toEqual(['case.created', 'case.message_added', ...changes.map((c) => `case.${c}`)]);
    const { db } = world;
    const rows = await db
      .selectFrom('case_events')
      .select(['type', 'data', 'actor_type', 'actor_id'])
      .where('case_id', '=', view.id)
      .orderBy('id')
      .execute();
    expect(rows.find((r) => r.type === 'tags_changed')).toMatchObject({
      data: { added: ['c'], removed: ['a'] },
      actor_type: 'agent',
      actor_id: agent.id,
    });
    expect(rows.find((r) => r.type === 'assigned')!.data).toEqual({ from: null, to: colleague.id });
    expect(rows.find((r) => r.type === 'status_changed')!.data).toEqual({ from: 'new', to: 'pending' });

    // Nothing changed: no version bump, no history.
    const same = await patchCase(agent, view.id, { version: 2, priority: 'urgent', tags: ['C', 'b'] });
    expect(same.json()).toMatchObject({ version: 2 });
    expect(await historyCounts([view.id])).toEqual({ caseEvents: 10, domainEvents: 10 });
  });

  it('refuses a stale version with 409 and writes nothing', async () => {
    const world = await caseWorld();
    const view = await postCase(world.agent, { customer_id: world.customerId });
    expect((await patchCase(world.agent, view.id, { version: 1, priority: 'high' })).statusCode).toBe(200);
    const before = await historyCounts([view.id]);
    const stale = await patchCase(world.agent, view.id, { version: 1, priority: 'low', status: 'open' });
    expect(stale.statusCode).toBe(409);
    expect(stale.json<ErrorResponse>().error).toMatchObject({ code: 'case.stale_version', details: { current_version: 2 } });
    expect(await historyCounts([view.id])).toEqual(before);
    expect(await getCaseView(world.agent, view.id)).toMatchObject({ priority: 'high', status: 'new', version: 2 });
  });

  it('rolls back every change when one reference is bad (422): no case event, no domain event', async () => {
    const world = await caseWorld();
    const view = await postCase(world.agent, { customer_id: world.customerId });
    const foreign = await createAgent(await createWorkspace());
    const before = await historyCounts([view.id]);
    const res = await patchCase(world.agent, view.id, { version: 1, status: 'open', priority: 'high', assignee_id: foreign.id });
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorResponse>().error.code).toBe('case.unknown_assignee');
    expect(await historyCounts([view.id])).toEqual(before);
    expect(await getCaseView(world.agent, view.id)).toMatchObject({ status: 'new', priority: 'normal', version: 1, assignee: null });
  });

  it('validates team, queue and assignee against the workspace', async () => {
    const world = await caseWorld();
    const { agent, workspace } = world;
    const teamA = await createTeam(workspace, { queues: [{ name: 'A1' }] });
    const teamB = await createTeam(workspace, { queues: [{ name: 'B1' }] });
    const foreignTeam = await createTeam(await createWorkspace(), {});
    const deactivated = await createAgent(workspace, { status: 'deactivated' });
    let view = await postCase(agent, { customer_id: world.customerId, queue_id: teamA.queues[0]!.id });
    for (const [payload, code] of [
      [{ team_id: foreignTeam.id }, 'case.unknown_team'],
      [{ queue_id: '00000000-0000-4000-8000-000000000000' }, 'case.unknown_queue'],
      [{ team_id: teamA.id, queue_id: teamB.queues[0]!.id }, 'case.queue_not_in_team'],
      [{ team_id: null, queue_id: teamB.queues[0]!.id }, 'case.queue_not_in_team'],
      [{ assignee_id: deactivated.id }, 'case.unknown_assignee'],
    ] as const) {
      const res = await patchCase(agent, view.id, { version: view.version, ...payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(422);
      expect(res.json<ErrorResponse>().error.code).toBe(code);
    }
    // A new team drops the old team's queue; a queue alone brings its team.
    view = (await patchCase(agent, view.id, { version: view.version, team_id: teamB.id })).json<CaseView>();
    expect(view).toMatchObject({ team_id: teamB.id, queue_id: null });
    view = (await patchCase(agent, view.id, { version: view.version, queue_id: teamA.queues[0]!.id })).json<CaseView>();
    expect(view).toMatchObject({ team_id: teamA.id, queue_id: teamA.queues[0]!.id });
    view = (await patchCase(agent, view.id, { version: view.version, team_id: null })).json<CaseView>();
    expect(view).toMatchObject({ team_id: null, queue_id: null });
  });

  it('changes the case type and due date, one history entry each, and clears the due date', async () => {
    const world = await caseWorld();
    let view = await postCase(world.agent, { customer_id: world.customerId });
    expect(view).toMatchObject({ type: 'question', due_at: null });
    const due = '2026-12-01T17:00:00.000Z';
    const res = await patchCase(world.agent, view.id, { version: view.version, type: 'dispute', due_at: due });
    expect(res.statusCode, res.body).toBe(200);
    view = res.json<CaseView>();
    expect(view).toMatchObject({ type: 'dispute', due_at: due });
    expect((await eventTypes(view.id)).filter((t) => t === 'type_changed' || t === 'due_changed')).toEqual(['type_changed', 'due_changed']);
    const same = await patchCase(world.agent, view.id, { version: view.version, due_at: '2026-12-01T18:00:00+01:00' });
    expect(same.json<CaseView>().version, 'the same instant in another offset is no change').toBe(view.version);
    view = (await patchCase(world.agent, view.id, { version: view.version, due_at: null })).json<CaseView>();
    expect(view.due_at).toBeNull();
    for (const payload of [{ type: 'chargeback' }, { due_at: 'friday' }]) {
      const bad = await patchCase(world.agent, view.id, { version: view.version, ...payload });
      expect(bad.statusCode, JSON.stringify(payload)).toBe(400);
    }
  });

  it('keeps a closed case read-only', async () => {
    const world = await caseWorld();
    const view = await caseIn(world, 'closed');
    const res = await patchCase(world.agent, view.id, { version: view.version, priority: 'urgent' });
    expect(res.statusCode).toBe(422);
    expect(res.json<ErrorResponse>().error.code).toBe('case.closed');
  });

  it('refuses malformed changes with 400', async () => {
    const world = await caseWorld();
    const view = await postCase(world.agent, { customer_id: world.customerId });
    for (const payload of [
      { priority: 'high' },
      { version: '1', priority: 'high' },
      { version: 1, status: 'archived' },
      { version: 1, subject: 'x'.repeat(301) },
      { version: 1, assignee_id: 'bob' },
      { version: 1, number: 5 },
    ]) {
      const res = await patchCase(world.agent, view.id, payload);
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
    }
    const badId = await patchCase(world.agent, 'not-a-uuid', { version: 1 });
    expect(badId.statusCode).toBe(400);
  });
});
