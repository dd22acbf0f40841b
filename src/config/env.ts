import path from 'node:path';
import { heapLimitProblem } from './heap-limit.js';

/** Validated configuration. Every environment variable Baton reads is listed here (and in the README). */
export interface Config {
  port: number;
  host: string;
  /** postgres://... for a PostgreSQL server; undefined runs the embedded PGlite database. */
  databaseUrl: string | undefined;
  dataDir: string;
  /** Public base URL used in links sent to customers (status links). */
  publicUrl: string;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** Server roles: `web` serves HTTP, `worker` runs jobs and relays the outbox. */
  roles: Set<'web' | 'worker'>;
  /** Load demo data when the database has no workspace yet. */
  demoData: boolean;
  /** Mark session cookies Secure (set when served behind TLS). */
  secureCookies: boolean;
  maxUploadBytes: number;
  /**
   * Which proxies may set X-Forwarded-For (Fastify's trustProxy): false (default: the socket
   * address is the client), true, a hop count, or a comma list of addresses/CIDRs. Per-IP rate
   * limits rely on it: trusting every sender would let clients choose their own address.
   */
  trustProxy: boolean | number | string[];
  /** Email channel (issue 3); see src/modules/email. */
  mail: MailConfig;
  /**
   * Let automation webhooks call loopback and private-network addresses
   * (BATON_WEBHOOK_ALLOW_PRIVATE, default false: only public addresses).
   */
  webhookAllowPrivate?: boolean;
  /**
   * Redis for realtime wake-ups and live signals between processes (BATON_REDIS_URL); unset:
   * PostgreSQL LISTEN/NOTIFY. The event log itself stays in PostgreSQL either way.
   */
  redisUrl?: string | undefined;
}

export interface MailConfig {
  /** Port of Baton's own SMTP server (web role); undefined when BATON_SMTP_PORT=off. */
  smtpPort: number | undefined;
  smtpHost: string;
  /** PEM certificate and key files for STARTTLS; both or neither. */
  smtpTlsCert: string | undefined;
  smtpTlsKey: string | undefined;
  /** Largest message accepted (SMTP SIZE, answered 552 above it) and imported by IMAP. */
  maxMessageBytes: number;
  /** smtp:// or smtps:// URL of the relay that sends outgoing mail; undefined keeps mail in the sent-mail viewer. */
  relayUrl: string | undefined;
  /** From address of notification emails to agents. */
  notificationFrom: string;
  /** Check SPF/DKIM/DMARC of inbound mail with DNS lookups (off: results are recorded as `none`). */
  authChecks: boolean;
  imapPollSeconds: number;
}

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function parseBoolean(name: string, raw: string | undefined, fallback: boolean, problems: string[]): boolean {
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'true', 'yes', 'on'].includes(raw.toLowerCase())) return true;
  if (['0', 'false', 'no', 'off'].includes(raw.toLowerCase())) return false;
  problems.push(`${name} must be true or false, got "${raw}"`);
  return fallback;
}

function parseInteger(name: string, raw: string | undefined, fallback: number, min: number, max: number, problems: string[]): number {
  if (raw === undefined || raw === '') return fallback;
  if (!/^\d+$/.test(raw)) {
    problems.push(`${name} must be a whole number, got "${raw}"`);
    return fallback;
  }
  const value = Number(raw);
  if (value < min || value > max) problems.push(`${name} must be between ${min} and ${max}, got ${value}`);
  return value;
}

/** Reads and validates the environment once at start-up; every problem is reported, not just the first. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env, argv: string[] = process.argv.slice(2)): Config {
  const problems: string[] = [];
  const port = parseInteger('PORT', env.PORT, 3000, 0, 65535, problems);
  const host = env.HOST?.trim() || '127.0.0.1';

  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl !== undefined && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    problems.push('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const dataDir = path.resolve(env.BATON_DATA_DIR?.trim() || './data');

  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as Config['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) problems.push(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${env.LOG_LEVEL}"`);

  const roleArg = argv.find((a) => a.startsWith('--role='))?.slice('--role='.length) ?? env.BATON_ROLES ?? 'web,worker';
  const roles = new Set<'web' | 'worker'>();
  for (const role of roleArg
    .split(',')
    .map((r) => r.trim())
    .filter(Boolean)) {
    if (role === 'web' || role === 'worker') roles.add(role);
    else problems.push(`unknown role "${role}" (--role or BATON_ROLES takes web, worker or web,worker)`);
  }
  if (roles.size === 0) problems.push('at least one role (web, worker) is required');

  let publicUrl = env.BATON_PUBLIC_URL?.trim() || '';
  if (publicUrl) {
    try {
      const u = new URL(publicUrl);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') problems.push('BATON_PUBLIC_URL must be an http(s) URL');
      publicUrl = publicUrl.replace(/\/+$/, '');
    } catch {
      problems.push(`BATON_PUBLIC_URL is not a valid URL: "${publicUrl}"`);
    }
  } else {
    publicUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  const demoData = parseBoolean('BATON_DEMO_DATA', env.BATON_DEMO_DATA, true, problems);
  const secureCookies = parseBoolean('BATON_SECURE_COOKIES', env.BATON_SECURE_COOKIES, publicUrl.startsWith('https:'), problems);
  const maxUploadBytes = parseInteger(
    'BATON_MAX_UPLOAD_BYTES',
    env.BATON_MAX_UPLOAD_BYTES,
    10 * 1024 * 1024,
    1024,
    100 * 1024 * 1024,
    problems,
  );

  const trustProxyRaw = env.BATON_TRUST_PROXY?.trim() ?? '';
  let trustProxy: Config['trustProxy'] = false;
  if (trustProxyRaw === '' || trustProxyRaw === 'false') trustProxy = false;
  else if (trustProxyRaw === 'true') trustProxy = true;
  else if (/^\d{1,2}$/.test(trustProxyRaw)) trustProxy = Number(trustProxyRaw);
  else {
    const list = trustProxyRaw
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean);
    if (list.every((item) => /^[0-9a-fA-F:.]+(\/\d{1,3})?$/.test(item))) trustProxy = list;
    else problems.push('BATON_TRUST_PROXY must be true, false, a hop count, or a comma list of proxy addresses/CIDRs');
  }

  const mail = loadMailConfig(env, host, problems);
  const webhookAllowPrivate = parseBoolean('BATON_WEBHOOK_ALLOW_PRIVATE', env.BATON_WEBHOOK_ALLOW_PRIVATE, false, problems);
  const redisUrl = env.BATON_REDIS_URL?.trim() || undefined;
  if (redisUrl !== undefined && !/^rediss?:\/\/[^\s]+$/.test(redisUrl))
    problems.push('BATON_REDIS_URL must start with redis:// or rediss://');

  const heapProblem = heapLimitProblem(env.BATON_HEAP_MB);
  if (heapProblem) problems.push(heapProblem);

  if (problems.length > 0) throw new ConfigError(problems);
  return {
    port,
    host,
    databaseUrl,
    dataDir,
    publicUrl,
    logLevel,
    roles,
    demoData,
    secureCookies,
    maxUploadBytes,
    trustProxy,
    mail,
    webhookAllowPrivate,
    redisUrl,
  };
}

function loadMailConfig(env: NodeJS.ProcessEnv, host: string, problems: string[]): MailConfig {
  const portRaw = env.BATON_SMTP_PORT?.trim() ?? '';
  const smtpPort = portRaw.toLowerCase() === 'off' ? undefined : parseInteger('BATON_SMTP_PORT', portRaw, 2525, 0, 65535, problems);
  const smtpHost = env.BATON_SMTP_HOST?.trim() || host;
  const smtpTlsCert = env.BATON_SMTP_TLS_CERT?.trim() || undefined;
  const smtpTlsKey = env.BATON_SMTP_TLS_KEY?.trim() || undefined;
  if (Boolean(smtpTlsCert) !== Boolean(smtpTlsKey)) problems.push('BATON_SMTP_TLS_CERT and BATON_SMTP_TLS_KEY must be set together');
  const maxMessageBytes = parseInteger(
    'BATON_MAIL_MAX_BYTES',
    env.BATON_MAIL_MAX_BYTES,
    25 * 1024 * 1024,
    10 * 1024,
    100 * 1024 * 1024,
    problems,
  );
  const relayUrl = env.BATON_MAIL_RELAY_URL?.trim() || undefined;
  if (relayUrl !== undefined) {
    try {
      const u = new URL(relayUrl);
      if (u.protocol !== 'smtp:' && u.protocol !== 'smtps:') problems.push('BATON_MAIL_RELAY_URL must be an smtp:// or smtps:// URL');
    } catch {
      problems.push('BATON_MAIL_RELAY_URL is not a valid URL');
    }
  }
  const notificationFrom = env.BATON_MAIL_FROM?.trim() || 'Baton <notifications@baton.localhost>';
  const authChecks = parseBoolean('BATON_MAIL_AUTH_CHECKS', env.BATON_MAIL_AUTH_CHECKS, true, problems);
  const imapPollSeconds = parseInteger('BATON_IMAP_POLL_SECONDS', env.BATON_IMAP_POLL_SECONDS, 60, 5, 86_400, problems);
  return { smtpPort, smtpHost, smtpTlsCert, smtpTlsKey, maxMessageBytes, relayUrl, notificationFrom, authChecks, imapPollSeconds };
}
