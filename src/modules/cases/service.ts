/**
 * The cases module's API to other modules (ARCHITECTURE.md, module API table). Every function
 * takes (db, actor, ...) and authorizes through platform/authorization.
 */
export { createCase, createCaseWithMessage, type CreateCaseInput, type NewCaseMessage } from './create-case.js';
export { receiveCustomerContact, type CustomerContactInput } from './receive-contact.js';
export { getCase } from './get-case.js';
export { getCasesByIds } from './get-cases.js';
export { getStatusChangedTimes } from './status-times.js';
export { listAutomationCandidateIds, type AutomationCandidateFilter } from './automation-candidates.js';
export { getMessage, getCaseNumbers, getCustomerLine, type CustomerLineView } from './get-message.js';
export { lockCase, updateCase, updateCaseLocked, type UpdateCaseInput, type CaseFieldChanges } from './update-case.js';
export { recordCaseChange } from './case-events.js';
export { addMessage, type AddMessageInput } from './add-message.js';
export { addCustomerMessagesTogether, type CustomerMessageLine, type CustomerMessageOutcome } from './customer-messages-together.js';
export { listMessages, listPublicMessages, messageAuthorshipOf, type MessageAuthorship, type PageRequest } from './list-messages.js';
export { followCase, unfollowCase } from './followers.js';
export { splitCase } from './split-case.js';
export { mergeCases } from './merge-cases.js';
export { bulkUpdateCases, type BulkChanges, type BulkResult } from './bulk-update.js';
export { listCaseEvents, listCustomerTimeline } from './history.js';
export { PROACTIVE_TAG, type ContinuitySettings } from './continuity.js';
export {
  toCaseViews,
  CaseViewSchema,
  MessageViewSchema,
  type CaseView,
  type MessageView,
  type CaseEventView,
  type TimelineItem,
} from './views.js';
export { ALLOWED_TRANSITIONS, canTransition, assertTransition } from './status-machine.js';
