/**
 * The customers module's API to other modules (ARCHITECTURE.md, "Module API"). Each command
 * lives in its own file; this file gathers them.
 */
export { findOrCreateCustomerByEmail, type FindOrCreateByEmailInput } from './find-or-create.js';
export { findCustomerByEmail, markEmailUndeliverable, type EmailOwner } from './email-identities.js';
export { getCustomer, getCustomerSummaries, listCustomers, type CustomerListQuery } from './customer-queries.js';
export { createCustomer, type CreateCustomerInput } from './create-customer.js';
export { updateCustomer, type UpdateCustomerInput } from './update-customer.js';
export { addIdentity, removeIdentity, setPrimaryIdentity } from './identities.js';
export { mergeCustomers, listCustomerMerges } from './merge-customers.js';
export { undoCustomerMerge } from './undo-merge.js';
export {
  CustomerViewSchema,
  CustomerMergeViewSchema,
  type CustomerView,
  type CustomerSummary,
  type CustomerMergeView,
  type IdentityView,
} from './view.js';
