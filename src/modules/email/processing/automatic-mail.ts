import type { Db } from '../../../db/database.js';
import { systemActor } from '../../../platform/actor.js';
import { findCustomerByEmail } from '../../customers/service.js';
import type { AutoMailSignals } from '../parse/parsed-mail.js';
import { automaticMailCounters, lockAutomaticMail, recordAutomaticMail } from './processing-store.js';

/**
 * The automatic-mail policy (CONVENTIONS.md, Email), so Baton never joins a mail loop:
 * - never answer mail that is itself automatic (any signal of `AutoMailSignals`);
 * - never answer a sender who failed authentication (the From may be someone else's address);
 * - never write to an address that bounced permanently;
 * - at most one acknowledgement per sender per 24 hours;
 * - a case that received more than 10 messages in 10 minutes gets no automatic mail at all.
 */

export const FLOOD_LIMIT = 10;
export const ACKNOWLEDGEMENT = 'acknowledgement';

/** The names of the automatic-mail signals that are set (empty: a person wrote this). */
export function automaticSignals(auto: AutoMailSignals): string[] {
  return Object.entries(auto)
    .filter(([, set]) => set === true)
    .map(([name]) => name);
}

/** Whether this received message may get any automatic answer at all (before per-address limits). */
export function mayAnswerAutomatically(input: { auto: AutoMailSignals; verdict: 'pass' | 'fail' | 'none' }): boolean {
  return automaticSignals(input.auto).length === 0 && input.verdict !== 'fail';
}

/**
 * The per-case and per-address rules every automatic mail obeys (acknowledgements here; the
 * outbound module's automatic mail too): the address has not bounced and the case is not
 * flooded. Runs inside the caller's transaction.
 */
export async function automaticMailAllowed(
  tx: Db,
  input: { workspaceId: string; caseId: string | null; address: string; undeliverable?: boolean | undefined },
): Promise<boolean> {
  const { recentCaseMessages } = await automaticMailCounters(tx, { ...input, kind: null });
  if (recentCaseMessages > FLOOD_LIMIT) return false;
  const undeliverable =
    input.undeliverable ??
    (await findCustomerByEmail(tx, systemActor(input.workspaceId, 'automatic mail policy'), input.address))?.undeliverable;
  return undeliverable !== true;
}

/**
 * Whether the sender of a message that opened a case may get an acknowledgement: all of the
 * above, plus none sent to them in the last 24 hours. `undeliverable` comes from the customer
 * lookup the caller already did (a fresh customer has no bounces).
 */
export async function acknowledgementAllowed(
  tx: Db,
  input: { workspaceId: string; caseId: string; address: string; undeliverable: boolean },
): Promise<boolean> {
  if (input.undeliverable) return false;
  await lockAutomaticMail(tx, input.workspaceId, input.address);
  const counters = await automaticMailCounters(tx, { ...input, kind: ACKNOWLEDGEMENT });
  return !counters.recentlySent && counters.recentCaseMessages <= FLOOD_LIMIT;
}

export async function recordAcknowledgementSent(tx: Db, workspaceId: string, address: string): Promise<void> {
  await recordAutomaticMail(tx, workspaceId, address, ACKNOWLEDGEMENT);
}
