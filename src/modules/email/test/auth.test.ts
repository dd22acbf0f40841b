import crypto from 'node:crypto';
import { dkimSign } from 'mailauth';
import { describe, expect, it } from 'vitest';
import { authenticateMail, authVerdict, type MailAuthResolver } from '../processing/mail-authentication.js';
import { caseRow, composeMail, deliver, inboundRow, mailWorld, messagesOf, outboundOf, processMail, receive } from './support.js';

const DOMAIN = 'signed.example';
const SELECTOR = 'baton2024';
const { privateKey, publicKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
const privatePem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const publicDer = publicKey.export({ type: 'spki', format: 'der' }).toString('base64');

function dnsError(code: string): Error {
  return Object.assign(new Error(`queryTxt ${code}`), { code });
}

/** A DNS stand-in: the DKIM key of signed.example, its DMARC policy and whatever SPF the test wants. */
function resolverWith(records: { spf?: string; dmarc?: string } = {}): MailAuthResolver {
  return async (name, rrtype) => {
    const host = name.toLowerCase().replace(/\.$/, '');
    if (rrtype === 'TXT' && host === `${SELECTOR}._domainkey.${DOMAIN}`) return [[`v=DKIM1; k=rsa; p=${publicDer}`]];
    if (rrtype === 'TXT' && host === `_dmarc.${DOMAIN}` && records.dmarc) return [[records.dmarc]];
    if (rrtype === 'TXT' && host === DOMAIN && records.spf) return [[records.spf]];
    throw dnsError('ENOTFOUND');
  };
}

async function signedMail(options: { to: string; subject: string; text: string }): Promise<string> {
  const raw = (await composeMail({ from: `Signed Sender <alice@${DOMAIN}>`, ...options })).toString();
  const { signatures, errors } = await dkimSign(raw, {
    canonicalization: 'relaxed/relaxed',
    signatureData: [{ signingDomain: DOMAIN, selector: SELECTOR, privateKey: privatePem }],
  } as Parameters<typeof dkimSign>[1]);
  expect(errors).toEqual([]);
  expect(signatures).toMatch(/^DKIM-Signature:/);
  return signatures + raw;
}

const delivery = { envelopeFrom: `alice@${DOMAIN}`, remoteIp: '192.0.2.25', helo: `mail.${DOMAIN}` };

describe('sender authentication', () => {
  it('passes a correctly DKIM-signed message (DMARC aligned) and records the results', async () => {
    const world = await mailWorld();
    const id = await deliver(
      world.mailbox,
      await signedMail({ to: world.mailbox.address, subject: 'Signed', text: 'Genuine\n' }),
      delivery,
    );
    await processMail(world.workspace, { auth: { enabled: true, resolver: resolverWith({ dmarc: 'v=DMARC1; p=reject' }) } });
    const row = await inboundRow(id);
    expect(row.status).toBe('processed');
    // The whole record in the message: this failed once in CI (dkim "fail") and never again here.
    expect(row.auth_results, JSON.stringify(row.auth_results)).toMatchObject({
      dkim: 'pass',
      dmarc: 'pass',
      verdict: 'pass',
      checked: true,
      dkim_domains: [DOMAIN],
    });
    const [message] = await messagesOf(world.ctx, row.case_id!);
    expect((message!.metadata as { email: { auth: unknown } }).email.auth).toEqual({
      spf: 'none',
      dkim: 'pass',
      dmarc: 'pass',
      verdict: 'pass',
    });
    expect((await caseRow(world.ctx, row.case_id!)).tags).toEqual([]);
    expect(await outboundOf(world.ctx, world.workspace.id)).toHaveLength(1);
  });

  it('fails a message whose body was changed after signing: flagged, case tagged, no acknowledgement', async () => {
    const world = await mailWorld();
    const tampered = (await signedMail({ to: world.mailbox.address, subject: 'Signed', text: 'Pay to account A\n' })).replace(
      'account A',
      'account B',
    );
    const id = await deliver(world.mailbox, tampered, delivery);
    await processMail(world.workspace, { auth: { enabled: true, resolver: resolverWith({ dmarc: 'v=DMARC1; p=reject' }) } });
    const row = await inboundRow(id);
    expect(row.status).toBe('processed');
    expect(row.auth_results).toMatchObject({
      dkim: 'fail',
      dmarc: 'fail',
      verdict: 'fail',
      dkim_reason: expect.stringMatching(/body hash/),
    });
    const [message] = await messagesOf(world.ctx, row.case_id!);
    expect((message!.metadata as { email: { auth: { verdict: string } } }).email.auth.verdict).toBe('fail');
    expect((await caseRow(world.ctx, row.case_id!)).tags).toEqual(['sender-unverified']);
    expect(await outboundOf(world.ctx, world.workspace.id)).toEqual([]);
  });

  it('fails a sender whose SPF record refuses the sending host (no DKIM)', async () => {
    const world = await mailWorld();
    const raw = await composeMail({ from: `alice@${DOMAIN}`, to: world.mailbox.address, subject: 'Unsigned', text: 'Hi' });
    const id = await deliver(world.mailbox, raw, delivery);
    await processMail(world.workspace, { auth: { enabled: true, resolver: resolverWith({ spf: 'v=spf1 -all' }) } });
    const row = await inboundRow(id);
    expect(row.auth_results).toMatchObject({ spf: 'fail', dkim: 'none', verdict: 'fail' });
    expect((await caseRow(world.ctx, row.case_id!)).tags).toEqual(['sender-unverified']);
    expect(await outboundOf(world.ctx, world.workspace.id)).toEqual([]);
  });

  it('never threads a failing sender by subject token, and tags a case it joins', async () => {
    const world = await mailWorld();
    const first = await receive(world, { from: `alice@${DOMAIN}`, subject: 'Original', text: 'Hi' });
    const theCase = await caseRow(world.ctx, first.case_id!);
    await world.db.updateTable('cases').set({ category: 'refund' }).where('id', '=', theCase.id).execute();
    const raw = await composeMail({
      from: `alice@${DOMAIN}`,
      to: world.mailbox.address,
      subject: `Re: [#${theCase.number}] Original`,
      text: 'Forged?',
    });
    const id = await deliver(world.mailbox, raw, delivery);
    await processMail(world.workspace, { auth: { enabled: true, resolver: resolverWith({ spf: 'v=spf1 -all' }) } });
    const row = await inboundRow(id);
    expect(row.case_id).not.toBe(theCase.id);
    expect((await caseRow(world.ctx, row.case_id!)).tags).toEqual(['sender-unverified']);
  });

  it('condenses results into a verdict', () => {
    expect(authVerdict('fail', 'none', 'none')).toBe('fail');
    expect(authVerdict('fail', 'pass', 'none')).toBe('pass');
    expect(authVerdict('pass', 'fail', 'fail')).toBe('fail');
    expect(authVerdict('softfail', 'none', 'none')).toBe('none');
    expect(authVerdict('none', 'fail', 'none')).toBe('none');
    expect(authVerdict('pass', 'none', 'none')).toBe('pass');
  });

  it('gives up on slow DNS and never throws', async () => {
    const raw = await composeMail({ from: `alice@${DOMAIN}`, to: 'x@desk.example', subject: 'Slow', text: 'Hi' });
    const hanging: MailAuthResolver = () => new Promise(() => undefined);
    const started = Date.now();
    const result = await authenticateMail(
      raw,
      { source: 'smtp', remoteIp: '192.0.2.25', helo: 'mail.example', envelopeFrom: `alice@${DOMAIN}` },
      { enabled: true, mta: 'mx.test', resolver: hanging, timeoutMs: 300 },
    );
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ verdict: 'none', error: 'timeout' });

    const broken: MailAuthResolver = async () => {
      throw dnsError('ESERVFAIL');
    };
    const second = await authenticateMail(
      raw,
      { source: 'smtp', remoteIp: '192.0.2.25', helo: 'mail.example', envelopeFrom: `alice@${DOMAIN}` },
      { enabled: true, mta: 'mx.test', resolver: broken },
    );
    expect(second.verdict).toBe('none');
  });
});
