import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/**
 * Test support: a real SMTP server (smtp-server) on a free local port that plays the mail relay.
 * It captures every message it accepts (raw bytes and the mailparser result) and can be told to
 * refuse the next messages with a 4xx or 5xx reply.
 */

export interface CapturedMail {
  envelope: { from: string | null; to: string[] };
  raw: Buffer;
  parsed: ParsedMail;
}

export class SmtpReceiver {
  readonly messages: CapturedMail[] = [];
  private readonly refusals: { code: number; message: string }[] = [];

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  /** smtp://127.0.0.1:<port>, for config.mail.relayUrl. */
  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<SmtpReceiver> {
    // Assigned once listening; onData only runs after that.
    let receiver: SmtpReceiver | undefined = undefined;
    const server = new SMTPServer({
      secure: false,
      authOptional: true,
      // Plain SMTP on localhost: no STARTTLS offer (its self-signed certificate would fail verification).
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream: SMTPServerDataStream, session: SMTPServerSession, callback: (error?: Error | null) => void) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          receiver!.accept(Buffer.concat(chunks), session).then(
            () => callback(),
            (error: Error) => callback(error),
          );
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const address = server.server.address() as AddressInfo;
    receiver = new SmtpReceiver(server, address.port);
    return receiver;
  }

  /** The next `times` messages are answered with this reply instead of 250 (e.g. 451 or 550). */
  refuseNext(code: number, message = code >= 500 ? '5.7.1 Message refused' : '4.3.0 Try again later', times = 1): void {
    for (let i = 0; i < times; i++) this.refusals.push({ code, message });
  }

  private async accept(raw: Buffer, session: SMTPServerSession): Promise<void> {
    const refusal = this.refusals.shift();
    if (refusal) throw Object.assign(new Error(refusal.message), { responseCode: refusal.code });
    const from = session.envelope.mailFrom === false ? null : session.envelope.mailFrom.address;
    this.messages.push({
      envelope: { from, to: session.envelope.rcptTo.map((r) => r.address) },
      raw,
      parsed: await simpleParser(raw),
    });
  }

  /** Messages whose envelope includes this recipient (other tests' mail may pass through the same relay). */
  to(address: string): CapturedMail[] {
    const wanted = address.toLowerCase();
    return this.messages.filter((m) => m.envelope.to.some((to) => to.toLowerCase() === wanted));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
