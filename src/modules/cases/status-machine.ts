import { unprocessable } from '../../platform/errors.js';
import type { CaseStatus } from './schema.js';

/**
 * The case lifecycle (CONVENTIONS.md: new, open, pending, on_hold, solved, closed).
 * A closed case is final: a customer writing again opens a follow-up case instead.
 */
export const ALLOWED_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return from === to || ALLOWED_TRANSITIONS[from].includes(to);
}

/** Throws 422 `case.illegal_transition` unless `from -> to` is allowed; the same status is a no-op. */
export function assertTransition(from: CaseStatus, to: CaseStatus): void {
  if (canTransition(from, to)) return;
  throw unprocessable('case.illegal_transition', `A case cannot go from ${from} to ${to}`, { from, to });
}

/** Where a customer's message takes a case: waiting or solved cases come back to the agents. */
export function statusAfterCustomerMessage(current: CaseStatus): CaseStatus {
  return current === 'pending' || current === 'solved' ? 'open' : current;
}

/**
 * Where an agent's message takes a case. A public reply to a new case opens it; a status chosen
 * with the message (e.g. "reply and set pending") wins and must be a legal transition.
 */
export function statusAfterAgentMessage(
  current: CaseStatus,
  visibility: 'public' | 'internal',
  chosen: CaseStatus | undefined,
): CaseStatus {
  if (chosen !== undefined) {
    assertTransition(current, chosen);
    return chosen;
  }
  return visibility === 'public' && current === 'new' ? 'open' : current;
}

/** The solved/closed timestamps a status change sets (reopening clears solved_at). */
export function lifecycleTimestamps<T>(from: CaseStatus, to: CaseStatus, now: T): { solved_at?: T | null; closed_at?: T } {
  if (from === to) return {};
  if (to === 'solved') return { solved_at: now };
  if (to === 'closed') return { closed_at: now };
  if (from === 'solved') return { solved_at: null };
  return {};
}
