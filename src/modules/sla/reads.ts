import type { Db } from '../../db/database.js';
import { decodeCursor, encodeCursor } from '../../http/pagination.js';
import type { Actor } from '../../platform/actor.js';
import { validationError } from '../../platform/errors.js';
import { getCase, getCasesByIds } from '../cases/service.js';
import { elapsedAt, MINUTE, scheduleOf } from './clock-math.js';
import type { TargetRow } from './clock-store.js';
import { clockOfCase, listWorstTargets, outcomesBetween } from './read-store.js';
import type { AttainmentReport, CaseSlaView, SlaCaseItem, TargetState, TargetView } from './read-views.js';
import { SLA_METRICS } from './schema.js';
import type { BusinessSchedule } from './business-hours.js';

/** The SLA reads: a case's running targets, the "breaching soon" and "breached" lists, attainment. */

const iso = (value: Date | null) => value?.toISOString() ?? null;
const seconds = (ms: number) => Math.trunc(ms / 1000);

export function targetState(target: TargetRow): TargetState {
  if (target.met_at) return 'met';
  if (target.breached_at) return 'breached';
  if (target.paused_at || !target.running_since) return 'paused';
  return 'running';
}

export function targetView(schedule: BusinessSchedule, target: TargetRow, now: Date): TargetView {
  const elapsed = target.met_at ? Number(target.elapsed_ms) : elapsedAt(schedule, target, now);
  return {
    metric: target.metric,
    cycle: target.cycle,
    state: targetState(target),
    target_minutes: target.target_minutes,
    started_at: target.started_at.toISOString(),
    due_at: iso(target.due_at),
    time_left_seconds: target.met_at ? null : seconds(target.target_minutes * MINUTE - elapsed),
    elapsed_seconds: seconds(elapsed),
    breached: target.breached_at !== null,
    paused_at: iso(target.paused_at),
    warned_at: iso(target.warned_at),
    breached_at: iso(target.breached_at),
    met_at: iso(target.met_at),
  };
}

/** A case's SLA: the policy applied and each target's state and time left. Not visible case: 404 case.not_found. */
export async function getCaseSla(db: Db, actor: Actor, caseId: string, now = new Date()): Promise<CaseSlaView> {
  const kase = await getCase(db, actor, caseId);
  const { clock, targets } = await clockOfCase(db, actor, kase.id);
  const schedule = scheduleOf(clock?.schedule ?? null);
  const order = (t: TargetRow) => SLA_METRICS.indexOf(t.metric);
  return {
    case_id: kase.id,
    policy: clock?.policy ? { id: clock.policy_id, name: clock.policy.name, preset: clock.policy.preset ?? null } : null,
    time_basis: clock?.policy?.time_basis ?? null,
    schedule: clock?.policy ? { source: clock.schedule_source ?? 'calendar', time_zone: schedule.timeZone } : null,
    targets: [...targets].sort((a, b) => order(a) - order(b)).map((t) => targetView(schedule, t, now)),
  };
}

export interface SlaCaseListQuery {
  state: 'breaching_soon' | 'breached';
  within_minutes?: number | undefined;
  limit?: number | undefined;
  cursor?: string | undefined;
}

/**
 * Cases whose worst target breaches within `within_minutes` (default 60), or is breached and not
 * yet met (within_minutes: breached in the last that many minutes), soonest due first; the case
 * summaries come from the cases module in one batch.
 */
export async function listSlaCases(
  db: Db,
  actor: Actor,
  query: SlaCaseListQuery,
  now = new Date(),
): Promise<{ data: SlaCaseItem[]; next_cursor: string | null }> {
  const limit = query.limit ?? 25;
  const raw = decodeCursor(query.cursor, ['string', 'string']);
  let after: [Date, string] | undefined;
  if (raw) {
    const due = new Date(raw[0] as string);
    if (Number.isNaN(due.getTime()) || !/^[0-9a-f-]{36}$/i.test(raw[1] as string)) {
      throw validationError('pagination.invalid_cursor', 'The cursor is not valid for this list; start again without it', {
        field: 'cursor',
      });
    }
    after = [due, raw[1] as string];
  }
  const within = query.within_minutes;
  const rows = await listWorstTargets(db, actor, {
    state: query.state,
    dueBefore: query.state === 'breaching_soon' ? new Date(now.getTime() + (within ?? 60) * MINUTE) : undefined,
    breachedSince: query.state === 'breached' && within !== undefined ? new Date(now.getTime() - within * MINUTE) : undefined,
    limit,
    after,
  });
  const page = rows.slice(0, limit);
  const cases = new Map(
    (
      await getCasesByIds(
        db,
        actor,
        page.map((r) => r.case_id),
      )
    ).map((c) => [c.id, c]),
  );
  const data: SlaCaseItem[] = [];
  for (const row of page) {
    const kase = cases.get(row.case_id);
    if (!kase) continue;
    data.push({
      case: kase,
      worst_target: {
        metric: row.metric,
        cycle: row.cycle,
        target_minutes: row.target_minutes,
        due_at: row.due_at.toISOString(),
        seconds_until_due: seconds(row.due_at.getTime() - now.getTime()),
        breached_at: iso(row.breached_at),
        paused: row.paused,
      },
    });
  }
  const last = page.at(-1);
  return { data, next_cursor: rows.length > limit && last ? encodeCursor([last.due_at.toISOString(), last.case_id]) : null };
}

const MAX_REPORT_DAYS = 366;

/** Attainment per metric from the SLA events of [from, to). */
export async function getAttainmentReport(db: Db, actor: Actor, range: { from: string; to: string }): Promise<AttainmentReport> {
  const from = new Date(range.from);
  const to = new Date(range.to);
  if (to.getTime() <= from.getTime()) {
    throw validationError('sla.invalid_report_range', 'to must be after from', {
      fields: [{ field: 'to', problem: 'must be after from' }],
    });
  }
  if (to.getTime() - from.getTime() > MAX_REPORT_DAYS * 1440 * MINUTE) {
    throw validationError('sla.report_range_too_long', `A report covers at most ${MAX_REPORT_DAYS} days`, {
      fields: [{ field: 'to', problem: `must be at most ${MAX_REPORT_DAYS} days after from` }],
    });
  }
  const rows = new Map((await outcomesBetween(db, actor, from, to)).map((r) => [r.metric, r]));
  return {
    from: from.toISOString(),
    to: to.toISOString(),
    metrics: SLA_METRICS.map((metric) => {
      const row = rows.get(metric);
      const onTime = row?.met_on_time ?? 0;
      const breached = row?.breached ?? 0;
      const ms = (value: number | null | undefined) => (value === null || value === undefined ? null : seconds(Number(value)));
      return {
        metric,
        met_on_time: onTime,
        met_late: row?.met_late ?? 0,
        breached,
        attainment_percent: onTime + breached === 0 ? null : Math.round((onTime / (onTime + breached)) * 10000) / 100,
        average_seconds_to_meet: ms(row?.average_elapsed_ms),
        median_seconds_to_meet: ms(row?.median_elapsed_ms),
      };
    }),
  };
}
