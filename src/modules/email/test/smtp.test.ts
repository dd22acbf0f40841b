import { execFile } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { Kysely, PostgresDialect } from 'kysely';
import nodemailer from 'nodemailer';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AppContext } from '../../../context.js';
import type { Database } from '../../../db/tables.js';
import { createWorkspace, unique } from '../../../test/factories.js';
import { getTestContext } from '../../../test/harness.js';
import { createMailbox } from '../mailboxes/service.js';
import { startSmtpIntake, type SmtpIntake } from '../smtp/service.js';

const run = promisify(execFile);

let ctx: AppContext;
let intake: SmtpIntake;
let tlsIntake: SmtpIntake;
let tmp: string;

beforeAll(async () => {
  ctx = await getTestContext();
  intake = await startSmtpIntake(ctx, { port: 0, host: '127.0.0.1' });
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'baton-smtp-'));
  const key = path.join(tmp, 'key.pem');
  const cert = path.join(tmp, 'cert.pem');
  await run('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=localhost',
    '-days',
    '1',
    '-keyout',
    key,
    '-out',
    cert,
  ]);
  const tlsCtx: AppContext = { ...ctx, config: { ...ctx.config, mail: { ...ctx.config.mail, smtpTlsCert: cert, smtpTlsKey: key } } };
  tlsIntake = await startSmtpIntake(tlsCtx, { port: 0, host: '127.0.0.1' });
});

afterAll(async () => {
  await intake?.close();
  await tlsIntake?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

async function mailbox(workspace?: { id: string; system: { kind: 'system'; workspaceId: string; reason: string } }) {
  const ws = workspace ?? (await createWorkspace());
  const address = `${unique('billing')}@example.test`;
  const created = await createMailbox(ctx.db, ctx.secret, ws.system, { address, name: 'Billing' });
  return { ws, address, id: created.id };
}

async function rowsOf(mailboxId: string) {
  return ctx.db.selectFrom('inbound_mail').selectAll().where('mailbox_id', '=', mailboxId).orderBy('received_at').execute();
}

function rawMessage(from: string, to: string, subject: string, body = 'Hello,\r\nI was charged twice.\r\n.leading dot line\r\n') {
  return Buffer.from(
    `From: ${from}\r\nTo: ${to}\r\nSubject: ${subject}\r\nMessage-ID: <${unique('m')}@example.test>\r\nDate: Mon, 2 Mar 2026 10:00:00 +0000\r\n\r\n${body}`,
  );
}

function transport(port: number, extra: Record<string, unknown> = {}) {
  return nodemailer.createTransport({ host: '127.0.0.1', port, secure: false, ignoreTLS: true, ...extra });
}

type SmtpError = Error & { responseCode?: number; response?: string };

async function sendError(promise: Promise<unknown>): Promise<SmtpError> {
  try {
    await promise;
  } catch (error) {
    return error as SmtpError;
  }
  throw new Error('expected the SMTP server to refuse the message');
}

/** A bare SMTP conversation, for what nodemailer does not let a test control (timing, no SIZE). */
class RawSmtp {
  private buffer = '';
  private waiting: (() => void) | undefined;
  private constructor(private readonly socket: net.Socket) {
    socket.setEncoding('utf8');
    socket.on('data', (data: string) => {
      this.buffer += data;
      this.waiting?.();
    });
  }

  static async connect(port: number): Promise<{ client: RawSmtp; greeting: string }> {
    const socket = net.connect(port, '127.0.0.1');
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    const client = new RawSmtp(socket);
    return { client, greeting: await client.reply() };
  }

  /** The next complete reply (multi-line replies end with `NNN `). */
  async reply(): Promise<string> {
    for (;;) {
      const match = /^(?:\d{3}-[^\n]*\n)*\d{3} [^\n]*\n/.exec(this.buffer);
      if (match) {
        this.buffer = this.buffer.slice(match[0].length);
        return match[0];
      }
      await new Promise<void>((resolve) => (this.waiting = resolve));
    }
  }

  async command(line: string): Promise<string> {
    this.socket.write(`${line}\r\n`);
    return this.reply();
  }

  async data(raw: Buffer): Promise<string> {
    this.socket.write(raw);
    return this.command('\r\n.');
  }

  close(): void {
    this.socket.destroy();
  }
}

describe('SMTP intake', () => {
  it('stores the raw message before answering 250, byte for byte', async () => {
    const { address, id, ws } = await mailbox();
    const sender = `${unique('payer')}@customer.test`;
    const raw = rawMessage(sender, address, 'Invoice 1001');
    const info = await transport(intake.port).sendMail({ envelope: { from: sender, to: [address] }, raw });
    expect(info.response).toMatch(/^250 /);
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(1);
    expect(info.response).toContain(rows[0]!.id);
    expect(Buffer.from(rows[0]!.raw).equals(raw)).toBe(true);
    expect(rows[0]).toMatchObject({
      workspace_id: ws.id,
      source: 'smtp',
      status: 'received',
      size_bytes: raw.length,
      envelope_from: sender,
      envelope_to: [address],
      remote_ip: '127.0.0.1',
      imap_uid: null,
    });
    expect(rows[0]!.helo).toBeTruthy();
  });

  it('refuses an unknown recipient with 550 and stores nothing', async () => {
    const { address, id } = await mailbox();
    const unknown = `${unique('nobody')}@example.test`;
    const error = await sendError(
      transport(intake.port).sendMail({
        envelope: { from: 'a@customer.test', to: [unknown] },
        raw: rawMessage('a@customer.test', unknown, 'x'),
      }),
    );
    expect(error.responseCode).toBe(550);
    expect(error.response).toMatch(/5\.1\.1 .*mailbox unavailable/);
    // A deactivated mailbox receives nothing either.
    await ctx.db.updateTable('mailboxes').set({ active: false }).where('id', '=', id).execute();
    const inactive = await sendError(
      transport(intake.port).sendMail({
        envelope: { from: 'a@customer.test', to: [address] },
        raw: rawMessage('a@customer.test', address, 'x'),
      }),
    );
    expect(inactive.responseCode).toBe(550);
    expect(await rowsOf(id)).toHaveLength(0);
  });

  it('keeps the known recipients of a message that also names unknown ones', async () => {
    const { address, id } = await mailbox();
    const unknown = `${unique('nobody')}@example.test`;
    const info = await transport(intake.port).sendMail({
      envelope: { from: 'a@customer.test', to: [unknown, address] },
      raw: rawMessage('a@customer.test', address, 'Partly known'),
    });
    expect(info.rejected).toEqual([unknown]);
    expect(info.accepted).toEqual([address]);
    expect((await rowsOf(id)).map((r) => r.envelope_to)).toEqual([[address]]);
  });

  it('stores one row for two mailboxes of one workspace, one per workspace otherwise, and routes reply addresses', async () => {
    const first = await mailbox();
    const second = await mailbox(first.ws);
    const foreign = await mailbox();
    const reply = first.address.replace('@', '+c0123.abc@');
    const raw = rawMessage('a@customer.test', `${first.address}, ${second.address}`, 'To both');
    await transport(intake.port).sendMail({
      envelope: { from: 'a@customer.test', to: [first.address, second.address.toUpperCase(), reply, foreign.address] },
      raw,
    });
    const rows = await ctx.db
      .selectFrom('inbound_mail')
      .select(['workspace_id', 'mailbox_id', 'envelope_to'])
      .where('mailbox_id', 'in', [first.id, second.id, foreign.id])
      .execute();
    expect(rows).toHaveLength(2);
    const mine = rows.find((r) => r.workspace_id === first.ws.id)!;
    expect(mine.mailbox_id).toBe(first.id);
    expect(mine.envelope_to).toEqual([first.address, second.address, reply]);
    expect(rows.find((r) => r.workspace_id === foreign.ws.id)!.envelope_to).toEqual([foreign.address]);
  });

  it('refuses an oversized message with 552, declared with SIZE or only sent', async () => {
    const { address, id } = await mailbox();
    const big = rawMessage('a@customer.test', address, 'Big', `${'x'.repeat(998)}\r\n`.repeat(1100));
    expect(big.length).toBeGreaterThan(ctx.config.mail.maxMessageBytes);
    const declared = await sendError(transport(intake.port).sendMail({ envelope: { from: 'a@customer.test', to: [address] }, raw: big }));
    expect(declared.responseCode).toBe(552);

    const { client, greeting } = await RawSmtp.connect(intake.port);
    try {
      expect(greeting).toMatch(/^220 .*Baton/);
      const ehlo = await client.command('EHLO sender.test');
      expect(ehlo).toContain(`SIZE ${ctx.config.mail.maxMessageBytes}`);
      expect(await client.command('MAIL FROM:<a@customer.test>')).toMatch(/^250/);
      expect(await client.command(`RCPT TO:<${address}>`)).toMatch(/^250/);
      expect(await client.command('DATA')).toMatch(/^354/);
      expect(await client.data(big)).toMatch(/^552 5\.3\.4/);
      // The session goes on: a normal message right after is accepted.
      expect(await client.command('MAIL FROM:<a@customer.test>')).toMatch(/^250/);
      expect(await client.command(`RCPT TO:<${address}>`)).toMatch(/^250/);
      expect(await client.command('DATA')).toMatch(/^354/);
      expect(await client.data(rawMessage('a@customer.test', address, 'Small'))).toMatch(/^250/);
    } finally {
      client.close();
    }
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.raw).toString()).toContain('Subject: Small');
  });

  it('caps the recipients of one message at 50 (452 beyond, as RFC 5321 asks)', async () => {
    const { address, id } = await mailbox();
    const { client } = await RawSmtp.connect(intake.port);
    try {
      await client.command('EHLO sender.test');
      expect(await client.command('MAIL FROM:<a@customer.test>')).toMatch(/^250/);
      for (let i = 1; i <= 50; i++) expect(await client.command(`RCPT TO:<${address.replace('@', `+${i}@`)}>`)).toMatch(/^250/);
      expect(await client.command(`RCPT TO:<${address}>`)).toMatch(/^452/);
      expect(await client.command('DATA')).toMatch(/^354/);
      expect(await client.data(rawMessage('a@customer.test', address, 'Many'))).toMatch(/^250/);
    } finally {
      client.close();
    }
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(1);
    expect(rows[0]!.envelope_to).toHaveLength(50);
  });

  it('answers 451 when the database cannot store the message, so the sender retries', async () => {
    const { address, id } = await mailbox();
    const { client } = await RawSmtp.connect(intake.port);
    try {
      await client.command('EHLO sender.test');
      expect(await client.command('MAIL FROM:<a@customer.test>')).toMatch(/^250/);
      expect(await client.command(`RCPT TO:<${address}>`)).toMatch(/^250/);
      // The mailbox disappears between RCPT and DATA: the insert fails on its foreign key.
      await ctx.db.deleteFrom('mailboxes').where('id', '=', id).execute();
      expect(await client.command('DATA')).toMatch(/^354/);
      expect(await client.data(rawMessage('a@customer.test', address, 'Lost?'))).toMatch(/^451 4\.3\.0/);
    } finally {
      client.close();
    }
    expect(await rowsOf(id)).toHaveLength(0);
  });

  it('answers 451 when the database is unreachable', async () => {
    const { address } = await mailbox();
    const pool = new pg.Pool({ connectionString: 'postgres://postgres@127.0.0.1:1/postgres', connectionTimeoutMillis: 2000 });
    const deadDb = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
    const down = await startSmtpIntake({ ...ctx, db: deadDb }, { port: 0, host: '127.0.0.1' });
    try {
      const error = await sendError(
        transport(down.port).sendMail({
          envelope: { from: 'a@customer.test', to: [address] },
          raw: rawMessage('a@customer.test', address, 'x'),
        }),
      );
      expect(error.responseCode).toBe(451);
    } finally {
      await down.close();
      await deadDb.destroy();
    }
  });

  it('offers no STARTTLS without a certificate, and accepts mail over STARTTLS with one', async () => {
    const { client } = await RawSmtp.connect(intake.port);
    try {
      const ehlo = await client.command('EHLO sender.test');
      expect(ehlo).not.toContain('STARTTLS');
      expect(ehlo).not.toContain('AUTH');
      expect(await client.command('STARTTLS')).toMatch(/^5\d\d/);
    } finally {
      client.close();
    }

    const { address, id } = await mailbox();
    const raw = rawMessage('a@customer.test', address, 'Over TLS');
    const info = await transport(tlsIntake.port, { ignoreTLS: false, requireTLS: true, tls: { rejectUnauthorized: false } }).sendMail({
      envelope: { from: 'a@customer.test', to: [address] },
      raw,
    });
    expect(info.response).toMatch(/^250 /);
    const rows = await rowsOf(id);
    expect(rows).toHaveLength(1);
    expect(Buffer.from(rows[0]!.raw).equals(raw)).toBe(true);
  });

  it('receives from Debian swaks, plain and with STARTTLS', async () => {
    const { address, id } = await mailbox();
    const plain = await run('swaks', [
      '--server',
      '127.0.0.1',
      '--port',
      String(intake.port),
      '--from',
      'a@customer.test',
      '--to',
      address,
      '--header',
      'Subject: Refund for order 77',
      '--body',
      'Please refund order 77.',
    ]);
    expect(plain.stdout).toMatch(/<-\s+250 2\.6\.0 Message accepted/);
    const tls = await run('swaks', [
      '--server',
      '127.0.0.1',
      '--port',
      String(tlsIntake.port),
      '--tls',
      '--from',
      'b@customer.test',
      '--to',
      address,
      '--header',
      'Subject: Over STARTTLS',
      '--body',
      'Sent with --tls.',
    ]);
    expect(tls.stdout).toMatch(/TLS started/);
    expect(tls.stdout).toMatch(/<~\s+250 2\.6\.0 Message accepted/);
    const rows = await rowsOf(id);
    expect(rows.map((r) => r.envelope_from)).toEqual(['a@customer.test', 'b@customer.test']);
    expect(Buffer.from(rows[0]!.raw).toString()).toMatch(/Subject: Refund for order 77[\s\S]*Please refund order 77\./);
    expect(Buffer.from(rows[1]!.raw).toString()).toContain('Subject: Over STARTTLS');
  });

  it('swaks exits with an error for an unknown recipient', async () => {
    const error = await run('swaks', [
      '--server',
      '127.0.0.1',
      '--port',
      String(intake.port),
      '--from',
      'a@customer.test',
      '--to',
      `${unique('nobody')}@example.test`,
    ]).then(
      () => undefined,
      (e: { code?: number; stdout?: string }) => e,
    );
    expect(error?.code).toBeGreaterThan(0);
    expect(error?.stdout).toMatch(/<\*\*\s+550 5\.1\.1/);
  });

  it('throttles a sender with 450 once its limit is reached', async () => {
    const throttled = await startSmtpIntake(ctx, { port: 0, host: '127.0.0.1', senderLimit: { limit: 2, windowSeconds: 600 } });
    try {
      const { address, id } = await mailbox();
      const sender = `${unique('flood')}@customer.test`;
      const send = (s: string) =>
        transport(throttled.port).sendMail({ envelope: { from: s, to: [address] }, raw: rawMessage(s, address, 'again') });
      await send(sender);
      // The limit is per sender mailbox: a tag does not open a new bucket.
      await send(sender.replace('@', '+tag@'));
      const error = await sendError(send(sender));
      expect(error.responseCode).toBe(450);
      expect(error.response).toMatch(/4\.7\.1 Too many messages from this sender/);
      await send(`${unique('other')}@customer.test`);
      expect(await rowsOf(id)).toHaveLength(3);
    } finally {
      await throttled.close();
    }
  });
});
