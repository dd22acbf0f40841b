import { inTransaction, type Db } from '../../db/database.js';
import { decodeCursor, pageOf } from '../../http/pagination.js';
import { actorRef, type Actor } from '../../platform/actor.js';
import { recordAudit } from '../../platform/audit.js';
import { authorize, workspaceScope } from '../../platform/authorization.js';
import { conflict, unprocessable, validationError } from '../../platform/errors.js';
import { withIdempotency, type IdempotencyRequest } from '../../platform/idempotency.js';
import { getTeam } from '../agents/service.js';
import { validateSchedule, type BusinessSchedule, type FieldError, type TimeRange } from './business-hours.js';
import {
  clearDefaultSchedule,
  deleteScheduleRow,
  deleteTeamSchedule,
  findScheduleForClock,
  getScheduleRow,
  insertSchedule,
  listScheduleRows,
  scheduleNameTaken,
  scheduleResource,
  scheduleUsers,
  teamScheduleId,
  teamsOfSchedules,
  updateScheduleRow,
  upsertTeamSchedule,
  type ScheduleRow,
} from './schedule-store.js';
import { scheduleOfRow, scheduleView, type ScheduleView, type TeamScheduleView } from './schedule-views.js';

/** Business-hours schedules (admin CRUD, agents read), the workspace default and each team's schedule. */

export interface ScheduleInput {
  name: string;
  time_zone: string;
  weekly: Partial<Record<string, TimeRange[]>>;
  /** Checked by validateHolidays: {date, name?} or {month, day, name?}. */
  holidays?: readonly unknown[] | undefined;
  is_default?: boolean | undefined;
}

export type SchedulePatch = Partial<ScheduleInput>;

const nameTaken = () => conflict('sla.business_hours_name_taken', 'Business hours with this name already exist', { field: 'name' });

/** validateSchedule's findings as the API's 400: every problem with its field, in the request's field names. */
function invalidSchedule(errors: FieldError[]) {
  const fields = errors.map((e) => ({ field: e.field === 'timeZone' ? 'time_zone' : e.field || 'body', problem: e.message }));
  const zone = fields.find((f) => f.field === 'time_zone');
  return validationError(
    'sla.invalid_business_hours',
    zone
      ? `The business hours are not valid: ${zone.problem}`
      : `The business hours are not valid: ${fields[0]!.field} ${fields[0]!.problem}`,
    { fields },
  );
}

export function checkSchedule(input: { time_zone: string; weekly: unknown; holidays?: unknown }): BusinessSchedule {
  const result = validateSchedule({ timeZone: input.time_zone, weekly: input.weekly, holidays: input.holidays ?? [] });
  if (!result.ok) throw invalidSchedule(result.errors);
  return result.schedule;
}

async function viewsOf(db: Db, actor: Actor, rows: ScheduleRow[]): Promise<ScheduleView[]> {
  const teams = await teamsOfSchedules(
    db,
    actor,
    rows.map((r) => r.id),
  );
  return rows.map((row) => scheduleView(row, teams.get(row.id) ?? []));
}

export async function listSchedules(
  db: Db,
  actor: Actor,
  query: { limit?: number | undefined; cursor?: string | undefined },
): Promise<{ data: ScheduleView[]; next_cursor: string | null }> {
  const limit = query.limit ?? 100;
  const after = decodeCursor(query.cursor, ['string', 'string']) as [string, string] | undefined;
  const page = pageOf(await listScheduleRows(db, actor, { limit, after }), limit, (r) => [r.name, r.id]);
  return { data: await viewsOf(db, actor, page.data), next_cursor: page.next_cursor };
}

export async function getSchedule(db: Db, actor: Actor, id: string): Promise<ScheduleView> {
  const [view] = await viewsOf(db, actor, [await getScheduleRow(db, actor, id, 'sla.read')]);
  return view!;
}

export async function createSchedule(
  db: Db,
  actor: Actor,
  input: ScheduleInput,
  idempotency: IdempotencyRequest = { key: undefined, requestHash: '' },
): Promise<{ statusCode: number; body: ScheduleView }> {
  authorize(actor, 'sla.manage', scheduleResource(workspaceScope(actor)));
  const name = input.name.trim();
  const schedule = checkSchedule(input);
  const ref = actorRef(actor);
  return withIdempotency(
    db,
    { workspaceId: workspaceScope(actor), principal: `${ref.actor_type}:${ref.actor_id ?? 'baton'}`, ...idempotency },
    async (tx) => {
      if (await scheduleNameTaken(tx, actor, name)) throw nameTaken();
      if (input.is_default) await clearDefaultSchedule(tx, actor);
      const row = await insertSchedule(tx, actor, { name, schedule, isDefault: input.is_default ?? false });
      await recordAudit(tx, actor, {
        action: 'sla.business_hours_created',
        targetType: 'business_hours',
        targetId: row.id,
        details: { name, time_zone: schedule.timeZone, is_default: row.is_default },
      });
      return { statusCode: 201, body: scheduleView(row, []) };
    },
  );
}

export async function updateSchedule(db: Db, actor: Actor, id: string, patch: SchedulePatch): Promise<ScheduleView> {
  return inTransaction(db, async (tx) => {
    const current = await getScheduleRow(tx, actor, id, 'sla.manage', { forUpdate: true });
    const name = patch.name?.trim();
    if (name !== undefined && name !== current.name && (await scheduleNameTaken(tx, actor, name, id))) throw nameTaken();
    const hoursChanged = patch.time_zone !== undefined || patch.weekly !== undefined || patch.holidays !== undefined;
    const existing = scheduleOfRow(current);
    const schedule = hoursChanged
      ? checkSchedule({
          time_zone: patch.time_zone ?? existing.timeZone,
          weekly: patch.weekly ?? existing.weekly,
          holidays: patch.holidays ?? existing.holidays,
        })
      : undefined;
    if (patch.is_default === true && !current.is_default) await clearDefaultSchedule(tx, actor, id);
    const row = await updateScheduleRow(tx, actor, id, {
      ...(name !== undefined ? { name } : {}),
      ...(schedule ? { schedule } : {}),
      ...(patch.is_default !== undefined ? { isDefault: patch.is_default } : {}),
    });
    await recordAudit(tx, actor, {
      action: 'sla.business_hours_updated',
      targetType: 'business_hours',
      targetId: id,
      details: { fields: Object.keys(patch) },
    });
    const [view] = await viewsOf(tx, actor, [row]);
    return view!;
  });
}

export async function deleteSchedule(db: Db, actor: Actor, id: string): Promise<void> {
  await inTransaction(db, async (tx) => {
    const row = await getScheduleRow(tx, actor, id, 'sla.manage', { forUpdate: true });
    const users = await scheduleUsers(tx, actor, id);
    if (users.teamIds.length > 0 || users.policyIds.length > 0) {
      throw conflict('sla.business_hours_in_use', 'Teams or SLA policies still use these business hours; assign others to them first', {
        team_ids: users.teamIds,
        policy_ids: users.policyIds,
      });
    }
    await deleteScheduleRow(tx, actor, id);
    await recordAudit(tx, actor, {
      action: 'sla.business_hours_deleted',
      targetType: 'business_hours',
      targetId: id,
      details: { name: row.name },
    });
  });
}

async function teamScheduleView(db: Db, actor: Actor, teamId: string): Promise<TeamScheduleView> {
  const own = await teamScheduleId(db, workspaceScope(actor), teamId);
  const schedule = own ? await getSchedule(db, actor, own) : null;
  if (schedule) {
    return { team_id: teamId, schedule, effective: { source: 'team', schedule_id: schedule.id, time_zone: schedule.time_zone } };
  }
  const fallback = await findScheduleForClock(db, workspaceScope(actor), 'default');
  return {
    team_id: teamId,
    schedule: null,
    effective: fallback
      ? { source: 'default', schedule_id: fallback.id, time_zone: fallback.time_zone }
      : { source: 'calendar', schedule_id: null, time_zone: 'UTC' },
  };
}

/** A team's business hours and what its cases' business-time clocks count in. Unknown team: 404 team.not_found. */
export async function getTeamSchedule(db: Db, actor: Actor, teamId: string): Promise<TeamScheduleView> {
  authorize(actor, 'sla.read', scheduleResource(workspaceScope(actor)));
  const team = await getTeam(db, actor, teamId);
  return teamScheduleView(db, actor, team.id);
}

/** Gives a team its business hours (null: none, the workspace default applies). */
export async function setTeamSchedule(db: Db, actor: Actor, teamId: string, scheduleId: string | null): Promise<TeamScheduleView> {
  authorize(actor, 'sla.manage', scheduleResource(workspaceScope(actor)));
  return inTransaction(db, async (tx) => {
    const team = await getTeam(tx, actor, teamId);
    if (scheduleId === null) {
      await deleteTeamSchedule(tx, actor, team.id);
    } else {
      const schedule = await getScheduleRow(tx, actor, scheduleId, 'sla.manage').catch((error: unknown) => {
        if ((error as { code?: string }).code === 'business_hours.not_found') {
          throw unprocessable('sla.unknown_business_hours', 'These business hours do not exist in this workspace', {
            field: 'schedule_id',
            schedule_id: scheduleId,
          });
        }
        throw error;
      });
      await upsertTeamSchedule(tx, actor, team.id, schedule.id);
    }
    await recordAudit(tx, actor, {
      action: 'sla.team_business_hours_set',
      targetType: 'team',
      targetId: team.id,
      details: { schedule_id: scheduleId },
    });
    return teamScheduleView(tx, actor, team.id);
  });
}
