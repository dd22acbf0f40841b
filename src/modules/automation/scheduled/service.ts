/** The scheduled automations' API to the rest of Baton (registry, demo data). */
export { scheduledAutomationRoutes } from './routes.js';
export { scheduledAutomationJob, scheduleScheduledAutomations, SCHEDULED_AUTOMATION_QUEUE, nextScheduledSlot } from './job.js';
export { createScheduled, listScheduled, getScheduled, updateScheduled, deleteScheduled, reorderScheduled } from './rules.js';
export { previewScheduled, runScheduledNow } from './preview.js';
export { runScheduledAutomations, runScheduledRule, runWorkspaceAutomations, MAX_ACTS_PER_RUN } from './run.js';
export type { CreateScheduledInput, UpdateScheduledInput, ScheduledView, RunCounts, PreviewView } from './rule-schemas.js';
