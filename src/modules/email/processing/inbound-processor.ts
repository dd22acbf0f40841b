import { sql } from 'kysely';
import type { AppContext } from '../../../context.js';
import { inTransaction } from '../../../db/database.js';
import { CoalescedPass } from '../../../platform/coalesced-pass.js';
import { INBOUND_MAIL_CHANNEL } from '../intake-store.js';
import {
  claimInboundMail,
  completeInboundMail,
  ConcurrentDuplicateError,
  finishInboundMail,
  loadMailboxesOf,
  recordProcessingFailure,
  selectPendingInboundMail,
  type MailboxRow,
  type PendingInboundMail,
} from './inbound-store.js';
import { runKeyedQueue } from './keyed-queue.js';
import { prepareInbound, type PrepareOptions } from './prepare-inbound.js';
import { idsToLookUp, processInbound, type ProcessingHooks } from './process-inbound.js';

/**
 * Turns received mail (inbound_mail rows, status `received`) into case messages. Each message is
 * processed in ONE transaction that also marks it processed, so it happens exactly once: if the
 * process dies, the rollback leaves the row `received` and the next pass takes it again. Parsing,
 * DNS checks and file writes happen before that transaction opens.
 *
 * Several messages run at once on PostgreSQL (one on the embedded database, which has one
 * connection); messages from the same envelope sender run one after the other, in order.
 */

const BATCH = 64;
/** Messages in flight at once on PostgreSQL (each holds one connection while in its transaction). */
const PG_CONCURRENCY = 4;

export interface ProcessingOptions extends PrepareOptions {
  /** At most this many messages per call (default: all that are waiting, in batches). */
  limit?: number | undefined;
  /** Messages processed at once on PostgreSQL (default 4; always 1 on the embedded database). */
  concurrency?: number | undefined;
  /** Only this workspace's mail (tests, which share one database, process their own mail only). */
  workspaceId?: string | undefined;
  hooks?: ProcessingHooks | undefined;
  signal?: AbortSignal | undefined;
}

type Handled = 'done' | 'skipped' | 'failed';

async function handleOne(
  ctx: AppContext,
  row: PendingInboundMail,
  mailboxes: ReadonlyMap<string, MailboxRow[]>,
  options: ProcessingOptions,
): Promise<Handled> {
  try {
    const prepared = await prepareInbound(ctx, row, options);
    if (!prepared) return 'skipped';
    const workspaceMailboxes = mailboxes.get(row.workspace_id) ?? [];
    const mailbox = workspaceMailboxes.find((m) => m.id === row.mailbox_id);
    if (!mailbox) return 'skipped';
    const ids = prepared.parsed.ok ? idsToLookUp(prepared.parsed.mail, row.id) : [];
    return await inTransaction(ctx.db, async (tx) => {
      const knownIds = await claimInboundMail(tx, row, ids);
      if (!knownIds) return 'skipped';
      const env = { secret: ctx.secret, mailbox, mailboxes: workspaceMailboxes, hooks: options.hooks };
      const result = await processInbound(tx, env, prepared, knownIds);
      if (result.record) await completeInboundMail(tx, row.id, result.outcome, result.facts, result.record);
      else await finishInboundMail(tx, row.id, result.outcome, result.facts);
      return 'done' as const;
    });
  } catch (error) {
    // A copy of this message was recorded meanwhile: the next pass finds the duplicate; no attempt lost.
    if (error instanceof ConcurrentDuplicateError) return 'failed';
    const message = error instanceof Error ? error.message : String(error);
    const status = await recordProcessingFailure(ctx.db, row.id, message).catch(() => null);
    ctx.logger.warn({ err: error, inboundMailId: row.id, status }, 'inbound mail processing failed');
    return 'failed';
  }
}

/** Mails of one sender to one workspace are processed in arrival order, one at a time. */
const orderKey = (row: PendingInboundMail) => `${row.workspace_id}:${(row.envelope_from || row.id).toLowerCase()}`;

/**
 * Processes waiting messages, oldest first; returns how many it took on (whatever their outcome).
 * A message that fails is counted and tried again by a later call (not this one); after
 * MAX_ATTEMPTS it is quarantined. Tests call this directly.
 */
export async function processPendingInboundMail(ctx: AppContext, options: ProcessingOptions = {}): Promise<number> {
  const limit = options.limit ?? Number.POSITIVE_INFINITY;
  const concurrency = ctx.database.kind === 'pglite' ? 1 : Math.max(1, options.concurrency ?? PG_CONCURRENCY);
  // Failed (and skipped) messages wait for a later call: within one call each is tried once.
  const leaveAlone = new Set<string>();
  const mailboxes = new Map<string, MailboxRow[]>();
  let taken = 0;
  let handled = 0;
  await runKeyedQueue<PendingInboundMail>({
    concurrency,
    keyOf: orderKey,
    stopped: () => options.signal?.aborted === true,
    fetchMore: async (known) => {
      const room = Math.min(BATCH, limit - taken);
      if (room <= 0) return [];
      const exclude = [...leaveAlone, ...known.map((r) => r.id)];
      const rows = await selectPendingInboundMail(ctx.db, room, exclude, options.workspaceId);
      if (rows.length === 0) return [];
      const workspaceIds = [...new Set(rows.map((r) => r.workspace_id))];
      const fresh = await loadMailboxesOf(ctx.db, workspaceIds);
      for (const id of workspaceIds) mailboxes.set(id, fresh.get(id) ?? []);
      taken += rows.length;
      return rows;
    },
    run: async (row) => {
      const result = await handleOne(ctx, row, mailboxes, options);
      if (result !== 'skipped') handled++;
      if (result !== 'done') leaveAlone.add(row.id);
    },
  });
  return handled;
}

/** Wakes the processor of every process (after a reprocess request, for example). */
export async function notifyInboundMail(db: AppContext['db']): Promise<void> {
  await sql`select pg_notify(${INBOUND_MAIL_CHANNEL}, '')`.execute(db);
}

/**
 * The worker-role service: a pass on every NOTIFY from intake (coalesced) and a poll as a safety
 * net for missed notifications and for retries of failed messages.
 */
export class InboundMailProcessor {
  private readonly passes: CoalescedPass;
  private readonly abort = new AbortController();
  private unlisten: (() => Promise<void>) | undefined;

  constructor(
    private readonly ctx: AppContext,
    private readonly options: Omit<ProcessingOptions, 'limit' | 'signal'> & { pollMs?: number } = {},
  ) {
    this.passes = new CoalescedPass('inbound mail', () => this.drain(), ctx.logger);
  }

  async start(): Promise<void> {
    this.unlisten = await this.ctx.database.listen(INBOUND_MAIL_CHANNEL, () => this.passes.kick());
    this.passes.poll(this.options.pollMs ?? 5000);
    this.passes.kick();
  }

  /** Processes everything waiting; resolves when nothing is left (or the processor stops). */
  async drain(): Promise<void> {
    await processPendingInboundMail(this.ctx, { ...this.options, signal: this.abort.signal });
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.passes.stop();
    await this.unlisten?.();
  }
}
