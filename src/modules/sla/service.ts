/**
 * The SLA module's API to other modules and to the registry (src/modules/index.ts): business
 * hours and policies as commands, the case listener, the timer job, the reads.
 */
export {
  createSchedule,
  updateSchedule,
  deleteSchedule,
  getSchedule,
  listSchedules,
  getTeamSchedule,
  setTeamSchedule,
  type ScheduleInput,
} from './schedules.js';
export { createPolicy, updatePolicy, deletePolicy, getPolicy, listPolicies, reorderPolicies } from './policies.js';
export type { CreatePolicyInput, UpdatePolicyInput, PolicyView } from './policy-schemas.js';
export { slaCaseListener, handleCaseEvent } from './case-listener.js';
export { slaTimerJob, fireTimer } from './timer-job.js';
export { SLA_TIMER_QUEUE } from './timer-schedule.js';
export { getCaseSla, listSlaCases, getAttainmentReport } from './reads.js';
export { startClocksForOpenCases } from './backfill.js';
export { slaRoutes } from './routes.js';
export { appliedSlaPolicyId } from './applied-policy.js';
export { teamHoursNow, type TeamHoursNow } from './team-hours.js';
export { listPresets, getPreset, enablePreset, disablePreset } from './preset-service.js';
export { getCasePreset } from './case-preset.js';
export { SLA_PRESETS, findPreset, type SlaPreset } from './presets.js';
