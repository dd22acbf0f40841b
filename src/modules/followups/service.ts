/**
 * The follow-ups module's API to other modules and to the registry (src/modules/index.ts):
 * snoozes, pending reminders and auto-solve, check-ins, agents' reminders (docs/FOLLOWUPS.md).
 */
export { snoozeCase, unsnoozeCase, getSnooze } from './snooze.js';
export { createReminder, completeReminder, deleteReminder, listMyReminders } from './reminders.js';
export { getCaseFollowups, listSnoozedCases } from './queries.js';
export {
  listFollowupSettings,
  putDefaultFollowupSettings,
  putPolicyFollowupSettings,
  deletePolicyFollowupSettings,
  effectiveSettings,
  type SettingsInput,
} from './settings.js';
export { followupCaseListener } from './listener.js';
export { followupTimerJob, fireFollowupTimer } from './timer-job.js';
export { FOLLOWUP_TIMER_QUEUE, type FollowupTimerPayload } from './timers.js';
export { followupRoutes } from './routes.js';
