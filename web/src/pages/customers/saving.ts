import type { CustomerChanges } from '../../api/types';

/**
 * How a customer form's save ended. The page handles what is the same for every form (a stale
 * version reloads the customer, a network or server failure is a toast); a refusal of the input
 * (400, 422) comes back so the form can show it next to the field.
 */
export type SaveResult = { ok: true } | { ok: false; error?: unknown };

export type SaveCustomer = (changes: CustomerChanges) => Promise<SaveResult>;
