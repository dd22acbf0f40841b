import { describe, expect, it } from 'vitest';
import { AppError } from '../../platform/errors.js';
import { CASE_STATUSES, type CaseStatus } from './schema.js';
import {
  assertTransition,
  canTransition,
  lifecycleTimestamps,
  statusAfterAgentMessage,
  statusAfterCustomerMessage,
} from './status-machine.js';

/** The lifecycle as the product defines it, written out independently of the implementation's table. */
const LEGAL: Record<CaseStatus, CaseStatus[]> = {
  new: ['open', 'pending', 'on_hold', 'solved'],
  open: ['pending', 'on_hold', 'solved'],
  pending: ['open', 'on_hold', 'solved'],
  on_hold: ['open', 'pending', 'solved'],
  solved: ['open', 'closed'],
  closed: [],
};

const pairs = CASE_STATUSES.flatMap((from) => CASE_STATUSES.map((to) => ({ from, to, legal: from === to || LEGAL[from].includes(to) })));

describe('case status machine', () => {
  it.each(pairs)('$from -> $to is legal: $legal', ({ from, to, legal }) => {
    expect(canTransition(from, to)).toBe(legal);
    if (legal) {
      expect(() => assertTransition(from, to)).not.toThrow();
    } else {
      let thrown: unknown;
      try {
        assertTransition(from, to);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(AppError);
      expect(thrown).toMatchObject({ kind: 'unprocessable', code: 'case.illegal_transition', details: { from, to } });
    }
  });

  it('keeps a closed case final', () => {
    for (const to of CASE_STATUSES.filter((s) => s !== 'closed')) expect(canTransition('closed', to)).toBe(false);
  });

  it.each([
    ['new', 'new'],
    ['open', 'open'],
    ['pending', 'open'],
    ['on_hold', 'on_hold'],
    ['solved', 'open'],
  ] as const)('a customer message on a %s case leaves it %s', (from, to) => {
    expect(statusAfterCustomerMessage(from)).toBe(to);
  });

  it('opens a new case on the first public agent reply, not on a note', () => {
    expect(statusAfterAgentMessage('new', 'public', undefined)).toBe('open');
    expect(statusAfterAgentMessage('new', 'internal', undefined)).toBe('new');
    expect(statusAfterAgentMessage('pending', 'public', undefined)).toBe('pending');
    expect(statusAfterAgentMessage('new', 'public', 'pending')).toBe('pending');
    expect(statusAfterAgentMessage('open', 'internal', 'on_hold')).toBe('on_hold');
    expect(() => statusAfterAgentMessage('open', 'public', 'closed')).toThrow(expect.objectContaining({ code: 'case.illegal_transition' }));
  });

  it('sets solved_at and closed_at, and clears solved_at on reopening', () => {
    expect(lifecycleTimestamps('open', 'solved', 'now')).toEqual({ solved_at: 'now' });
    expect(lifecycleTimestamps('solved', 'closed', 'now')).toEqual({ closed_at: 'now' });
    expect(lifecycleTimestamps('solved', 'open', 'now')).toEqual({ solved_at: null });
    expect(lifecycleTimestamps('open', 'pending', 'now')).toEqual({});
    expect(lifecycleTimestamps('open', 'open', 'now')).toEqual({});
  });
});
