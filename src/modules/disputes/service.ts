/**
 * The disputes module's API to other modules (ARCHITECTURE.md, module API table; BILLING.md part D).
 */
export { recordProcessorDispute, type ProcessorDisputeInput, type RecordDisputeResult } from './record-processor-dispute.js';
export { countOpenDisputesOfCustomer, listDisputesOfCustomer, listDisputes } from './queries.js';
export { getDispute, getDisputeOfCase } from './get-dispute.js';
export { moveDisputesBetweenCustomers, moveDisputesToCustomer } from './customer-moves.js';
export { DisputeSummarySchema, DisputeViewSchema, type DisputeSummaryView, type DisputeView } from './views.js';
export { requirementsFor, requirementsView, type EvidenceRequirement } from './requirements.js';
