import type { Db } from '../../db/database.js';
import type { BusinessSchedule } from './business-hours.js';
import { elapsedAt, MINUTE, scheduleOf, timersOf } from './clock-math.js';
import {
  appendSlaEvent,
  deleteTarget,
  insertTarget,
  lockTargets,
  updateTarget,
  type ClockRow,
  type NewSlaEvent,
  type TargetChanges,
  type TargetRow,
} from './clock-store.js';
import type { AppliedPolicy, SlaMetric } from './schema.js';
import { scheduleTimers } from './timer-schedule.js';

/**
 * The clocks of one case inside one transaction: its clock row (locked by the caller) and its
 * targets. Every change is recorded as an sla_event and re-plans the target's durable timers.
 * Times are the instants things happened on the case (the domain event's time), not "now".
 */
export class CaseClocks {
  private constructor(
    private readonly tx: Db,
    public clock: ClockRow,
    private readonly targets: Map<SlaMetric, TargetRow>,
  ) {}

  static async load(tx: Db, clock: ClockRow): Promise<CaseClocks> {
    const rows = await lockTargets(tx, clock.case_id);
    return new CaseClocks(tx, clock, new Map(rows.map((r) => [r.metric, r])));
  }

  /** The clocks of a clock row this transaction has just inserted: no targets can exist yet. */
  static ofNewClock(tx: Db, clock: ClockRow): CaseClocks {
    return new CaseClocks(tx, clock, new Map());
  }

  get schedule(): BusinessSchedule {
    return scheduleOf(this.clock.schedule);
  }

  get policy(): AppliedPolicy | null {
    return this.clock.policy;
  }

  target(metric: SlaMetric): TargetRow | undefined {
    return this.targets.get(metric);
  }

  all(): TargetRow[] {
    return [...this.targets.values()];
  }

  isPausedStatus(status: string): boolean {
    return this.policy?.pause_statuses.includes(status as never) ?? false;
  }

  async event(type: NewSlaEvent['type'], occurredAt: Date, extra: Partial<NewSlaEvent> = {}): Promise<void> {
    await appendSlaEvent(this.tx, {
      workspaceId: this.clock.workspace_id,
      caseId: this.clock.case_id,
      policyId: this.clock.policy_id,
      type,
      occurredAt,
      ...extra,
    });
  }

  /** Writes a target change, re-plans its due and warning instants and its timer jobs. */
  private async save(target: TargetRow, changes: TargetChanges): Promise<TargetRow> {
    const merged = { ...target, ...changes } as TargetRow;
    const timers = timersOf(this.schedule, merged, this.policy?.warning_minutes ?? 0);
    const saved = await updateTarget(this.tx, target.id, { ...changes, due_at: timers.due_at, warn_at: timers.warn_at });
    this.targets.set(saved.metric, saved);
    await scheduleTimers(this.tx, saved);
    return saved;
  }

  /**
   * Starts a metric's cycle at `startedAt` (a new cycle when a finished one exists). Time between
   * startedAt and `at` counts unless the case is paused now; `paused` starts it stopped.
   */
  async start(metric: SlaMetric, startedAt: Date, at: Date, paused: boolean): Promise<TargetRow | null> {
    const minutes = this.policy?.targets[metric];
    if (!minutes) return null;
    const existing = this.targets.get(metric);
    const fresh = {
      target_minutes: minutes,
      started_at: startedAt,
      running_since: paused ? null : startedAt,
      paused_at: paused ? at : null,
      elapsed_ms: 0,
      warned_at: null,
      breached_at: null,
      met_at: null,
    };
    let saved: TargetRow;
    if (existing) {
      saved = await this.save(existing, { ...fresh, cycle: existing.cycle + 1 });
    } else {
      const inserted = await insertTarget(this.tx, {
        workspace_id: this.clock.workspace_id,
        case_id: this.clock.case_id,
        metric,
        ...fresh,
      });
      this.targets.set(metric, inserted);
      saved = await this.save(inserted, {});
    }
    await this.event('started', startedAt, { metric, cycle: saved.cycle, data: { target_minutes: minutes, paused } });
    return saved;
  }

  /** Counts a running target up to `at` and continues from there (before its schedule or target changes). */
  private checkpointChanges(target: TargetRow, at: Date): TargetChanges {
    if (!target.running_since) return {};
    const runningSince = target.running_since.getTime() > at.getTime() ? target.running_since : at;
    return { elapsed_ms: elapsedAt(this.schedule, target, at), running_since: runningSince };
  }

  async checkpointAll(at: Date): Promise<void> {
    for (const target of this.all()) {
      if (target.met_at || !target.running_since) continue;
      const changes = this.checkpointChanges(target, at);
      const saved = await updateTarget(this.tx, target.id, changes);
      this.targets.set(saved.metric, saved);
    }
  }

  /** After the policy or schedule changed: new target minutes, re-planned timers. */
  async retarget(metric: SlaMetric, minutes: number): Promise<void> {
    const target = this.targets.get(metric);
    // A fulfilled target keeps the minutes it was measured against.
    if (!target || target.met_at) return;
    await this.save(target, { target_minutes: minutes });
  }

  async pauseAll(at: Date): Promise<SlaMetric[]> {
    const paused: SlaMetric[] = [];
    for (const target of this.all()) {
      if (target.met_at || !target.running_since) continue;
      await this.save(target, { elapsed_ms: elapsedAt(this.schedule, target, at), running_since: null, paused_at: at });
      paused.push(target.metric);
    }
    if (paused.length > 0) await this.event('paused', at, { data: { metrics: paused, status: this.clock.case_status } });
    return paused;
  }

  async resumeAll(at: Date, reason: Record<string, unknown> = {}): Promise<SlaMetric[]> {
    const resumed: SlaMetric[] = [];
    for (const target of this.all()) {
      if (target.met_at || target.running_since) continue;
      await this.save(target, { running_since: at, paused_at: null });
      resumed.push(target.metric);
    }
    if (resumed.length > 0) await this.event('resumed', at, { data: { metrics: resumed, status: this.clock.case_status, ...reason } });
    return resumed;
  }

  /**
   * The target is fulfilled at `at`. Late (more policy time than the target) counts as a breach:
   * when no breach was recorded yet (the timer had not fired, e.g. no worker ran), it is recorded
   * now at the due instant, without escalations, so every late target has exactly one breach.
   */
  async meet(metric: SlaMetric, at: Date, data: Record<string, unknown> = {}): Promise<boolean> {
    const target = this.targets.get(metric);
    if (!target || target.met_at) return false;
    const elapsed = target.running_since ? elapsedAt(this.schedule, target, at) : Number(target.elapsed_ms);
    const targetMs = target.target_minutes * MINUTE;
    let breachedAt = target.breached_at;
    if (!breachedAt && elapsed > targetMs) {
      breachedAt = target.due_at && target.due_at.getTime() <= at.getTime() ? target.due_at : at;
      await this.event('breached', breachedAt, {
        metric,
        cycle: target.cycle,
        data: { target_minutes: target.target_minutes, recorded_when: 'met', escalated: false },
      });
    }
    const saved = await updateTarget(this.tx, target.id, {
      elapsed_ms: elapsed,
      running_since: null,
      paused_at: null,
      met_at: at,
      breached_at: breachedAt,
      warn_at: null,
    });
    this.targets.set(metric, saved);
    await this.event('met', at, {
      metric,
      cycle: target.cycle,
      data: { elapsed_ms: elapsed, target_minutes: target.target_minutes, breached: breachedAt !== null, ...data },
    });
    return true;
  }

  /** A met target counts again (a solved case reopened): a new cycle carrying the time already spent. */
  async reopen(metric: SlaMetric, at: Date, paused: boolean): Promise<void> {
    const target = this.targets.get(metric);
    if (!target || !target.met_at) return;
    const saved = await this.save(target, {
      cycle: target.cycle + 1,
      met_at: null,
      breached_at: null,
      warned_at: null,
      running_since: paused ? null : at,
      paused_at: paused ? at : null,
    });
    await this.event('resumed', at, { metric, cycle: saved.cycle, data: { reopened: true, elapsed_ms: Number(saved.elapsed_ms) } });
  }

  /**
   * For clocks started on history (demo data): warnings and breaches already past are recorded
   * as they happened, without escalations, so no timer acts on them now.
   */
  async settlePast(now: Date): Promise<void> {
    for (const target of this.all()) {
      if (target.met_at) continue;
      const changes: TargetChanges = {};
      if (target.warn_at && !target.warned_at && target.warn_at.getTime() <= now.getTime()) changes.warned_at = target.warn_at;
      if (target.due_at && !target.breached_at && target.due_at.getTime() <= now.getTime()) {
        changes.breached_at = target.due_at;
        changes.warn_at = null;
        await this.event('breached', target.due_at, {
          metric: target.metric,
          cycle: target.cycle,
          data: { target_minutes: target.target_minutes, recorded_when: 'history', escalated: false },
        });
      }
      if (Object.keys(changes).length === 0) continue;
      this.targets.set(target.metric, await updateTarget(this.tx, target.id, changes));
    }
  }

  /** The target no longer applies (solved without a reply, closed, another policy): removed, recorded. */
  async cancel(metric: SlaMetric, at: Date, reason: string): Promise<void> {
    const target = this.targets.get(metric);
    if (!target) return;
    if (!target.met_at) {
      await this.event('cancelled', at, {
        metric,
        cycle: target.cycle,
        data: { reason, elapsed_ms: target.running_since ? elapsedAt(this.schedule, target, at) : Number(target.elapsed_ms) },
      });
    }
    await deleteTarget(this.tx, target.id);
    this.targets.delete(metric);
  }
}
