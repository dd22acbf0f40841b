import type { CaseStatus } from '../api/types';

/** The server's case lifecycle (src/modules/cases/status-machine.ts), so pickers offer only legal moves. */
export const ALLOWED_TRANSITIONS: Readonly<Record<CaseStatus, readonly CaseStatus[]>> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

export function reachableStatuses(current: CaseStatus): CaseStatus[] {
  return [current, ...ALLOWED_TRANSITIONS[current]];
}

export function canTransition(from: CaseStatus, to: CaseStatus): boolean {
  return from === to || ALLOWED_TRANSITIONS[from].includes(to);
}

/** "Send as …" choices: where a message may take the case (never straight to closed). */
export function statusesAfterMessage(current: CaseStatus): CaseStatus[] {
  return reachableStatuses(current).filter((s) => s !== 'closed');
}

/** A public reply to a new or solved case reopens it; otherwise the case keeps its status. */
export function defaultStatusAfter(current: CaseStatus, visibility: 'public' | 'internal'): CaseStatus {
  if (visibility === 'public' && (current === 'new' || current === 'solved')) return 'open';
  return current;
}
