import type { Db } from '../../db/database.js';
import type { RateLimitRule } from '../../platform/rate-limit.js';
import { hitRateLimits } from '../../platform/rate-limit.js';
import { addCustomerMessagesTogether, type CustomerMessageLine } from '../cases/service.js';

/**
 * Group commit of visitors' chat lines. A line is written at once when the writer is idle; lines
 * that arrive while writes are under way wait for the next one and go together: one statement
 * counts their rate limits, one transaction writes them (cases/customer-messages-together.ts).
 * A quiet chat pays no delay; a busy process writes hundreds of lines a second in a few dozen
 * statements instead of several per line.
 */

export interface VisitorLine {
  /** The visitor's own limit (messages per window), counted even when the write then fails. */
  rateLimit: RateLimitRule;
  message: CustomerMessageLine;
}

interface Waiting {
  line: VisitorLine;
  resolve: (messageId: string) => void;
  reject: (error: unknown) => void;
}

/** Writes under way at once: one fills while the other commits, so the pool and PostgreSQL stay busy. */
const PARALLEL_WRITES = 2;
const MAX_LINES_PER_WRITE = 200;

export class VisitorLineWriter {
  private waiting: Waiting[] = [];
  private writing = 0;

  constructor(private readonly db: Db) {}

  /** Resolves to the message's id once committed; rejects with the error this line alone got. */
  write(line: VisitorLine): Promise<string> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ line, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    while (this.writing < PARALLEL_WRITES && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, MAX_LINES_PER_WRITE);
      this.writing++;
      void this.writeBatch(batch).finally(() => {
        this.writing--;
        this.next();
      });
    }
  }

  private async writeBatch(batch: Waiting[]): Promise<void> {
    try {
      const limits = await hitRateLimits(
        this.db,
        batch.map((w) => w.line.rateLimit),
      );
      const allowed: Waiting[] = [];
      batch.forEach((waiting, i) => {
        const refused = limits[i];
        if (refused) waiting.reject(refused);
        else allowed.push(waiting);
      });
      if (allowed.length === 0) return;
      const outcomes = await addCustomerMessagesTogether(
        this.db,
        allowed.map((w) => w.line.message),
      );
      allowed.forEach((waiting, i) => {
        const outcome = outcomes[i]!;
        if ('messageId' in outcome) waiting.resolve(outcome.messageId);
        else waiting.reject(outcome.error);
      });
    } catch (error) {
      // The database is unreachable: every line of the batch hears it (the visitor may resend).
      for (const waiting of batch) waiting.reject(error);
    }
  }
}

const writers = new WeakMap<Db, VisitorLineWriter>();

/** The process's writer for this database (one per context, shared by every widget socket). */
export function visitorLineWriterOf(db: Db): VisitorLineWriter {
  let writer = writers.get(db);
  if (!writer) {
    writer = new VisitorLineWriter(db);
    writers.set(db, writer);
  }
  return writer;
}
