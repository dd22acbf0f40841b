import type { Actor } from '../../platform/actor.js';
import type { Resource } from '../../platform/authorization.js';

/**
 * The resource checked before a customer is loaded: the actor's own workspace. Passing it (rather
 * than nothing) makes a refused customer actor see `customer.not_found` instead of a case 404.
 */
export const customersOf = (actor: Actor, type: 'customer' | 'customer_merge' = 'customer'): Resource => ({
  workspaceId: actor.workspaceId,
  type,
});
