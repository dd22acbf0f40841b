import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';

/**
 * Outbound webhook calls (CONVENTIONS.md, webhooks): http(s) only, no redirects followed, a time
 * and size cap, and no loopback, private, link-local, CGNAT or metadata address (IPv4, IPv6 and
 * IPv4-mapped IPv6) unless the installation allows private targets (BATON_WEBHOOK_ALLOW_PRIVATE).
 * The check runs on the address the connection actually uses (a custom lookup), so a DNS answer
 * that changes between check and connect (rebinding) cannot slip through.
 */

const blocked = new net.BlockList();
for (const [address, prefix] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(address, prefix, 'ipv4');
}
for (const [address, prefix] of [
  ['::', 128],
  ['::1', 128],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
  ['64:ff9b::', 96],
] as const) {
  blocked.addSubnet(address, prefix, 'ipv6');
}

/** Whether an IP address is one a webhook must not reach (private, loopback, link-local...). */
export function isBlockedAddress(address: string): boolean {
  const family = net.isIP(address);
  if (family === 4) return blocked.check(address, 'ipv4');
  if (family !== 6) return true;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return blocked.check(mapped[1]!, 'ipv4');
  return blocked.check(address, 'ipv6');
}

export class WebhookDeliveryError extends Error {
  constructor(
    message: string,
    readonly retryable: boolean,
  ) {
    super(message);
    this.name = 'WebhookDeliveryError';
  }
}

export interface EgressRequest {
  url: string;
  headers: Record<string, string>;
  body: string;
  timeoutMs: number;
  allowPrivate: boolean;
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** POSTs the body; resolves with the status code (the response body is read up to a cap and dropped). */
export function postWebhook(request: EgressRequest): Promise<number> {
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return Promise.reject(new WebhookDeliveryError('invalid URL', false));
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return Promise.reject(new WebhookDeliveryError('only http(s) URLs', false));
  const literal = url.hostname.replace(/^\[|\]$/g, '');
  if (net.isIP(literal) && !request.allowPrivate && isBlockedAddress(literal)) {
    return Promise.reject(new WebhookDeliveryError(`address ${literal} is not allowed`, false));
  }
  const lookup: net.LookupFunction = (hostname, options, callback) => {
    dns.lookup(hostname, { ...options, all: false }, (error, address, family) => {
      if (error) return callback(error, '', 0);
      if (!request.allowPrivate && isBlockedAddress(address)) {
        return callback(new WebhookDeliveryError(`${hostname} resolves to ${address}, which is not allowed`, false), '', 0);
      }
      callback(null, address, family);
    });
  };
  const client = url.protocol === 'https:' ? https : http;
  return new Promise((resolve, reject) => {
    const req = client.request(
      url,
      {
        method: 'POST',
        headers: { ...request.headers, 'content-length': Buffer.byteLength(request.body).toString() },
        lookup,
        timeout: request.timeoutMs,
      },
      (res) => {
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) res.destroy();
        });
        res.on('end', () => resolve(res.statusCode ?? 0));
        res.on('close', () => resolve(res.statusCode ?? 0));
        res.on('error', () => resolve(res.statusCode ?? 0));
      },
    );
    req.on('timeout', () => req.destroy(new WebhookDeliveryError(`no answer within ${request.timeoutMs} ms`, true)));
    req.on('error', (error) => reject(error instanceof WebhookDeliveryError ? error : new WebhookDeliveryError(error.message, true)));
    req.end(request.body);
  });
}
