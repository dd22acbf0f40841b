/**
 * The automation module's API: the rule engine shared by triggers and scheduled automations
 * (conditions, actions, run log, webhook secrets) and the trigger registrations.
 */
export {
  RuleConditionsSchema,
  RuleConditionSchema,
  RuleActionSchema,
  RuleActionsSchema,
  checkRuleConditions,
  checkRuleActions,
  ruleConditionProblems,
  ruleActionProblems,
  type RuleCondition,
  type RuleConditions,
  type RuleAction,
} from './rule-schema.js';
export { loadCaseFacts, matchesConditions, matchesCondition, type CaseFacts, type TriggerEventFacts } from './conditions.js';
export { runRuleActions, ruleActor, type ActionResult, type RuleOrigin } from './actions.js';
export { checkRuleReferences } from './rule-references.js';
export { recordRuleRun, listCaseRuns, type RuleRunInput } from './run-log-store.js';
export { createWebhookSecret, deleteWebhookSecret, rulesWithWebhookSecret, webhookHeaders } from './webhook-secrets.js';
export { automationWebhookJob, WEBHOOK_QUEUE } from './webhook-job.js';
export { triggerListener, MAX_TRIGGER_DEPTH } from './trigger-listener.js';
export { triggerRoutes } from './trigger-routes.js';
