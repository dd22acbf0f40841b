/** Billing-aware triage's contributions to the module registry (src/modules/index.ts). */
export { billingTriageListener } from './triage-listener.js';
export { triageSettingsRoutes } from './routes.js';
export { getTriageSettings, readTriageSettings, updateTriageSettings } from './settings.js';
