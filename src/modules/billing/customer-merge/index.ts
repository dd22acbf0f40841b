/** Billing's part in customer merges, for the module registry (src/modules/index.ts). */
export { billingCustomerMergeListener } from './merge-listener.js';
