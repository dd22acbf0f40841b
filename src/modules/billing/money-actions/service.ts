/**
 * Money actions (refund, credit, fee waiver from a case) for other modules: see BILLING.md, part C.
 */
export { listMoneyActionsOfCase, listMoneyActionsOfCasePage, listMoneyActionsByStatus, type MoneyActionPage } from './list.js';
export { requestMoneyAction, type MoneyActionRequest } from './request.js';
export { decideMoneyAction, type MoneyActionDecision } from './decide.js';
export { getApprovalLimits, replaceApprovalLimits, approvalLimitOf, DEFAULT_APPROVAL_LIMITS, type ApprovalLimit } from './limits.js';
export {
  executeMoneyActionJob,
  runMoneyAction,
  EXECUTE_MONEY_ACTION_QUEUE,
  MAX_EXECUTION_ATTEMPTS,
  moneyActionIdempotencyKey,
} from './execute.js';
export { settleMoneyActionOfRefund } from './settle.js';
export { MoneyActionViewSchema, type MoneyActionView } from './views.js';
export { moneyActionRoutes } from './routes.js';
