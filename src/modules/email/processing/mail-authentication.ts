import { promises as dns } from 'node:dns';
import type { AuthenticateResult, DNSResolver } from 'mailauth';

/**
 * Inbound sender authentication (CONVENTIONS.md: SPF/DKIM/DMARC are recorded on the message; a
 * From: header alone never authorizes anything). `mailauth` does the checks; Baton condenses them
 * to one verdict:
 * - fail: DMARC fails, or SPF fails without any passing DKIM signature (forged or misconfigured);
 * - pass: DMARC passes, or (no DMARC verdict) a DKIM signature or SPF passes;
 * - none: nothing to go by (no records, checks off, DNS trouble).
 */

export type AuthVerdict = 'pass' | 'fail' | 'none';

export interface MailAuthResults {
  spf: string;
  dkim: string;
  dmarc: string;
  verdict: AuthVerdict;
  /** False when checks are off (BATON_MAIL_AUTH_CHECKS=false). */
  checked: boolean;
  /** Domains the results speak for (display only). */
  spf_domain?: string;
  dkim_domains?: string[];
  dmarc_domain?: string;
  /** Why the first signature did not pass, as the verifier said it ("bad signature", "body hash did not verify"). */
  dkim_reason?: string;
  error?: string;
}

export type MailAuthResolver = DNSResolver;

export interface MailEnvelope {
  source: 'smtp' | 'imap';
  remoteIp: string | null;
  helo: string | null;
  envelopeFrom: string | null;
}

export interface MailAuthOptions {
  enabled: boolean;
  /** Our MTA's host name (Authentication-Results). */
  mta: string;
  /** Tests pass their own DNS; default: node:dns with a short timeout and one try. */
  resolver?: MailAuthResolver | undefined;
  /** The whole check gives up after this long (a message never waits on slow DNS for long). */
  timeoutMs?: number | undefined;
}

const DNS_TIMEOUT_MS = 1500;
const TOTAL_TIMEOUT_MS = 10_000;

export const AUTH_NOT_CHECKED: MailAuthResults = { spf: 'none', dkim: 'none', dmarc: 'none', verdict: 'none', checked: false };

let defaultResolver: MailAuthResolver | undefined;

/** DNS for mail checks: one try, 1.5 s per query, so a dead name server delays a message by seconds, not minutes. */
export function quickDnsResolver(timeoutMs = DNS_TIMEOUT_MS): MailAuthResolver {
  const resolver = new dns.Resolver({ timeout: timeoutMs, tries: 1 });
  return (name, rrtype) => resolver.resolve(name, rrtype) as Promise<string[][] | string[]>;
}

export function authVerdict(spf: string, dkim: string, dmarc: string): AuthVerdict {
  if (dmarc === 'fail' || (spf === 'fail' && dkim !== 'pass')) return 'fail';
  if (dmarc === 'pass' || dkim === 'pass' || spf === 'pass') return 'pass';
  return 'none';
}

/**
 * mailauth reports a body that no longer matches its signature as `neutral`; RFC 6376 (6.1.3)
 * makes that a failed verification, and agents should see it as one.
 */
function signatureResult(status: { result: string; comment?: string | false | undefined }): string {
  return status.result === 'neutral' && typeof status.comment === 'string' && status.comment.includes('body hash')
    ? 'fail'
    : String(status.result);
}

export function summarizeAuthentication(result: AuthenticateResult): MailAuthResults {
  const spf = result.spf ? String(result.spf.status.result) : 'none';
  const signatures = result.dkim?.results ?? [];
  const passing = signatures.filter((s) => s.status.result === 'pass');
  const dkim = passing.length > 0 ? 'pass' : signatures.length > 0 ? signatureResult(signatures[0]!.status) : 'none';
  const dmarc = result.dmarc ? String(result.dmarc.status.result) : 'none';
  const summary: MailAuthResults = { spf, dkim, dmarc, verdict: authVerdict(spf, dkim, dmarc), checked: true };
  if (result.spf && result.spf.domain) summary.spf_domain = result.spf.domain.slice(0, 253);
  const domains = [...new Set(signatures.map((s) => s.signingDomain).filter((d): d is string => typeof d === 'string'))];
  if (domains.length > 0) summary.dkim_domains = domains.slice(0, 10).map((d) => d.slice(0, 253));
  if (result.dmarc && result.dmarc.domain) summary.dmarc_domain = result.dmarc.domain.slice(0, 253);
  const reason = passing.length === 0 ? signatures[0]?.status.comment : undefined;
  if (typeof reason === 'string' && reason !== '') summary.dkim_reason = reason.slice(0, 200);
  return summary;
}

/** Checks one raw message; never throws (a failed check is recorded as `temperror`, verdict none). */
export async function authenticateMail(raw: Buffer, envelope: MailEnvelope, options: MailAuthOptions): Promise<MailAuthResults> {
  if (!options.enabled) return AUTH_NOT_CHECKED;
  const resolver = options.resolver ?? (defaultResolver ??= quickDnsResolver());
  // IMAP has no SMTP session: the top Received header, written by the mailbox provider's own
  // server, is the best account of who delivered the message.
  const session =
    envelope.remoteIp !== null
      ? { ip: envelope.remoteIp, helo: envelope.helo ?? undefined, sender: envelope.envelopeFrom ?? '' }
      : { trustReceived: envelope.source === 'imap' };
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), options.timeoutMs ?? TOTAL_TIMEOUT_MS);
  });
  try {
    // Loaded on first use (~0.4 s of module loading): a web-only process never needs it.
    const { authenticate } = await import('mailauth');
    const result = await Promise.race([
      authenticate(raw, { ...session, mta: options.mta, resolver, disableArc: true, disableBimi: true }),
      timeout,
    ]);
    if (result === 'timeout')
      return { ...AUTH_NOT_CHECKED, spf: 'temperror', dkim: 'temperror', dmarc: 'temperror', checked: true, error: 'timeout' };
    return summarizeAuthentication(result);
  } catch (error) {
    return {
      ...AUTH_NOT_CHECKED,
      spf: 'temperror',
      dkim: 'temperror',
      dmarc: 'temperror',
      checked: true,
      error: (error instanceof Error ? error.message : String(error)).slice(0, 300),
    };
  } finally {
    clearTimeout(timer);
  }
}
