/**
 * The email load generator, its own process so its CPU never counts as Baton's:
 * `tsx src/bench/email-load.ts <spec JSON file>` sends `messages` mails over SMTP to Baton's
 * server with `connections` pooled SMTP connections and prints one JSON line: how many got 250,
 * how many were refused, and when sending started and ended (epoch ms).
 */
import fs from 'node:fs';
import nodemailer, { type SendMailOptions } from 'nodemailer';
import { CUSTOMER_LINES } from './vocabulary.js';

export interface EmailLoadSpec {
  host: string;
  port: number;
  to: string;
  messages: number;
  connections: number;
  /** Distinct senders; each sender's mails land in one customer's cases (continuity). */
  senders: number;
  runId: string;
}

export interface EmailLoadResult {
  accepted: number;
  refused: number;
  firstSentAt: number;
  lastAcceptedAt: number;
  errors: Record<string, number>;
}

const languages = Object.keys(CUSTOMER_LINES);
const pick = <T>(items: readonly T[], i: number): T => items[i % items.length]!;

function mailFor(spec: EmailLoadSpec, i: number): SendMailOptions {
  const lines = CUSTOMER_LINES[pick(languages, i)]!;
  const body = [pick(lines, i), pick(lines, i * 7 + 3), pick(lines, i * 13 + 5)].join('\n\n');
  return {
    from: `Bench Customer ${i % spec.senders} <bench-${spec.runId}-${i % spec.senders}@customers.bench.test>`,
    to: spec.to,
    subject: `${pick(lines, i * 3).slice(0, 60)} (${i})`,
    messageId: `<bench-${spec.runId}-${i}@customers.bench.test>`,
    text: body,
    html: `<p>${body.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/\n\n/g, '</p><p>')}</p>`,
  };
}

export async function sendEmailLoad(spec: EmailLoadSpec): Promise<EmailLoadResult> {
  const transport = nodemailer.createTransport({
    host: spec.host,
    port: spec.port,
    secure: false,
    ignoreTLS: true,
    pool: true,
    maxConnections: spec.connections,
    maxMessages: Infinity,
  });
  const result: EmailLoadResult = { accepted: 0, refused: 0, firstSentAt: Date.now(), lastAcceptedAt: 0, errors: {} };
  let next = 0;
  const worker = async () => {
    while (next < spec.messages) {
      const i = next++;
      try {
        await transport.sendMail(mailFor(spec, i));
        result.accepted++;
        result.lastAcceptedAt = Date.now();
      } catch (error) {
        result.refused++;
        const key = (error as { responseCode?: number; code?: string }).responseCode ?? (error as { code?: string }).code ?? 'error';
        result.errors[String(key)] = (result.errors[String(key)] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: spec.connections }, worker));
  transport.close();
  return result;
}

if (process.argv[1]?.endsWith('email-load.ts')) {
  const spec = JSON.parse(fs.readFileSync(process.argv[2]!, 'utf8')) as EmailLoadSpec;
  process.stdout.write('START\n');
  sendEmailLoad(spec)
    .then((result) => process.stdout.write(`${JSON.stringify(result)}\n`))
    .catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
}
