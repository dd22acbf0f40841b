import type { Actor } from '../../../platform/actor.js';
import { authorize, type Resource } from '../../../platform/authorization.js';
import { AppError } from '../../../platform/errors.js';

/**
 * Billing records are read with `billing.read` (every agent) and written with `billing.write`
 * (supervisors and admins: ledger entry, import); system actors (webhooks, jobs, demo) pass.
 */
export const billingOf = (actor: Actor, type = 'billing_account'): Resource => ({ workspaceId: actor.workspaceId, type });

export const authorizeBillingRead = (actor: Actor, type?: string) => authorize(actor, 'billing.read', billingOf(actor, type));
export const authorizeBillingWrite = (actor: Actor, type?: string) => authorize(actor, 'billing.write', billingOf(actor, type));

/** `billing.account_not_found`, `billing.payment_not_found`, ...: the codes BILLING.md names. */
export const billingNotFound = (what: 'account' | 'subscription' | 'invoice' | 'payment' | 'refund') =>
  new AppError('not_found', `billing.${what}_not_found`, `This ${what} does not exist or you may not see it`);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string) => UUID.test(value);

/** The SQLSTATE and constraint of a PostgreSQL error (pg and PGlite both expose them). */
export function constraintViolation(error: unknown): { code: string; constraint: string } | null {
  if (typeof error !== 'object' || error === null) return null;
  const { code, constraint, message } = error as { code?: unknown; constraint?: unknown; message?: unknown };
  if (typeof code !== 'string') return null;
  const name = typeof constraint === 'string' ? constraint : typeof message === 'string' ? message : '';
  return { code, constraint: name };
}

export const isRefundBoundViolation = (error: unknown): boolean => {
  const v = constraintViolation(error);
  return v !== null && v.code === '23514' && v.constraint.includes('billing_payments_refund_within_paid');
};

export const isUniqueViolation = (error: unknown, constraintPart?: string): boolean => {
  const v = constraintViolation(error);
  return v !== null && v.code === '23505' && (constraintPart === undefined || v.constraint.includes(constraintPart));
};

/** An event time wins over the stored one unless it is older (null = API/import: always applies). */
export function eventApplies(incoming: Date | null, stored: Date | null): boolean {
  if (incoming === null || stored === null) return true;
  return incoming.getTime() >= stored.getTime();
}
