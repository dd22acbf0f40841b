import { inTransaction, type Db } from '../../db/database.js';
import type { CustomerActor } from '../../platform/actor.js';
import type { JsonObject } from '../../platform/schema.js';
import { addMessage } from './add-message.js';
import { recordCaseChanges, type CaseChange } from './case-events.js';
import { insertMessages } from './message-store.js';
import { attachToMessage } from './people.js';
import { assertNotClosed } from './post-message.js';
import type { MessageChannel } from './schema.js';
import { lifecycleTimestamps, statusAfterCustomerMessage } from './status-machine.js';
import { authorizedCase, lockCases, touchCasesForCustomerMessages, updateCaseRow, type CaseRow } from './store.js';
import { cleanBody } from './text.js';

/**
 * Customers' messages on their cases, many written together: what addMessage does for one
 * customer message (the message, its files, the case's clocks, a reopened status, the history and
 * domain events), in one transaction of a handful of statements for all of them. Live chat sends
 * every visitor's line through here: at hundreds of lines a second, each statement's round trip
 * (a socket write and a wake-up of PostgreSQL) is what limits a process, not the work itself.
 *
 * Each line succeeds or fails on its own, as it would alone: a line refused (closed case, not
 * the customer's case, empty text) leaves the others written; a database error on the shared
 * statements retries every line alone, so one bad line cannot take the others down.
 */

export interface CustomerMessageLine {
  /** The customer writing, scoped to the case (a status-link or chat visitor actor). */
  actor: CustomerActor;
  caseId: string;
  bodyText: string;
  channel: MessageChannel;
  metadata?: JsonObject | undefined;
  attachmentIds?: string[] | undefined;
}

export type CustomerMessageOutcome = { messageId: string } | { error: unknown };

interface Entry {
  line: CustomerMessageLine;
  index: number;
}

export async function addCustomerMessagesTogether(db: Db, lines: CustomerMessageLine[]): Promise<CustomerMessageOutcome[]> {
  const outcomes = new Array<CustomerMessageOutcome>(lines.length);
  let remaining: Entry[] = lines.map((line, index) => ({ line, index }));
  // A transaction holds one workspace's lines and each case once: a case's second line must see
  // the status its first left, so it goes in the next round, in arrival order.
  while (remaining.length > 0) {
    const workspaceId = remaining[0]!.line.actor.workspaceId;
    const round: Entry[] = [];
    const later: Entry[] = [];
    const cases = new Set<string>();
    for (const entry of remaining) {
      if (entry.line.actor.workspaceId !== workspaceId || cases.has(entry.line.caseId)) later.push(entry);
      else {
        cases.add(entry.line.caseId);
        round.push(entry);
      }
    }
    await writeRound(db, workspaceId, round, outcomes);
    remaining = later;
  }
  return outcomes;
}

async function writeRound(db: Db, workspaceId: string, round: Entry[], outcomes: CustomerMessageOutcome[]): Promise<void> {
  let written: Map<number, CustomerMessageOutcome>;
  try {
    written = await inTransaction(db, (tx) => writeTogether(tx, workspaceId, round));
  } catch {
    // A statement shared by all lines failed (e.g. one line's files were taken meanwhile): each
    // line alone, so the error lands on its own line only.
    for (const { line, index } of round) {
      outcomes[index] = await addMessage(db, line.actor, line.caseId, {
        bodyText: line.bodyText,
        visibility: 'public',
        channel: line.channel,
        metadata: line.metadata,
        attachmentIds: line.attachmentIds,
      }).then(
        (message) => ({ messageId: message.id }),
        (error: unknown) => ({ error }),
      );
    }
    return;
  }
  for (const [index, outcome] of written) outcomes[index] = outcome;
}

interface Accepted extends Entry {
  bodyText: string;
  row: CaseRow;
}

async function writeTogether(tx: Db, workspaceId: string, round: Entry[]): Promise<Map<number, CustomerMessageOutcome>> {
  const outcomes = new Map<number, CustomerMessageOutcome>();
  const locked = await lockCases(
    tx,
    round[0]!.line.actor,
    round.map((entry) => entry.line.caseId),
  );
  const rows = new Map(locked.map((row) => [row.id, row]));
  const accepted: Accepted[] = [];
  for (const entry of round) {
    try {
      const bodyText = cleanBody(entry.line.bodyText);
      const row = authorizedCase(entry.line.actor, 'status_link.reply', rows.get(entry.line.caseId));
      assertNotClosed(row);
      accepted.push({ ...entry, bodyText, row });
    } catch (error) {
      outcomes.set(entry.index, { error });
    }
  }
  if (accepted.length === 0) return outcomes;

  const inserted = await insertMessages(
    tx,
    workspaceId,
    accepted.map((a) => ({
      caseId: a.row.id,
      visibility: 'public',
      authorType: 'customer',
      authorAgentId: null,
      authorCustomerId: a.line.actor.customerId,
      channel: a.line.channel,
      bodyText: a.bodyText,
      ...(a.line.metadata ? { metadata: a.line.metadata } : {}),
    })),
  );
  const messageOf = new Map(inserted.map((message) => [message.case_id, message]));
  const changes: CaseChange[] = [];
  const unchanged: string[] = [];
  for (const a of accepted) {
    const message = messageOf.get(a.row.id)!;
    await attachToMessage(tx, a.line.actor, a.line.attachmentIds, message.id);
    changes.push({
      caseId: a.row.id,
      type: 'message_added',
      data: {
        message_id: message.id,
        visibility: 'public',
        author_type: 'customer',
        channel: message.channel,
        has_files: (a.line.attachmentIds?.length ?? 0) > 0,
      },
      actor: a.line.actor,
    });
    const status = statusAfterCustomerMessage(a.row.status);
    if (status === a.row.status) {
      unchanged.push(a.row.id);
      continue;
    }
    // A pending or solved case reopens: rare next to a live conversation's lines, written alone.
    await updateCaseRow(tx, a.line.actor, a.row.id, {
      last_message_at: 'now',
      last_customer_message_at: 'now',
      status,
      ...lifecycleTimestamps(a.row.status, status, 'now' as const),
    });
    changes.push({
      caseId: a.row.id,
      type: 'status_changed',
      data: { from: a.row.status, to: status, reason: 'message' },
      actor: a.line.actor,
    });
  }
  await touchCasesForCustomerMessages(tx, workspaceId, unchanged);
  await recordCaseChanges(tx, accepted[0]!.line.actor, changes);
  for (const a of accepted) outcomes.set(a.index, { messageId: messageOf.get(a.row.id)!.id });
  return outcomes;
}
