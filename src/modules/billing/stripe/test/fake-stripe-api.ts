import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A local HTTP server that plays Stripe's API for the connector tests: it records every request
 * (method, path, headers, form body) and answers with Stripe-shaped JSON, so the real `stripe`
 * client (serialization, headers, retries) is what gets tested.
 */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** The body's bytes (a multipart file upload is not text). */
  raw: Buffer;
  form: URLSearchParams;
}

export type FakeReply = { status: number; body: unknown; headers?: Record<string, string> };
export type FakeHandler = (request: RecordedRequest, attempt: number) => FakeReply;

export interface FakeStripeApi {
  origin: string;
  requests: RecordedRequest[];
  /** Answer the next requests to `path` with these replies, in order (then the default). */
  script(method: string, path: string, replies: FakeReply[]): void;
  close(): Promise<void>;
}

export async function startFakeStripeApi(defaultHandler: FakeHandler): Promise<FakeStripeApi> {
  const requests: RecordedRequest[] = [];
  const scripted = new Map<string, FakeReply[]>();
  const attempts = new Map<string, number>();
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks);
      const body = raw.toString('utf8');
      const path = (req.url ?? '/').split('?')[0]!;
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path,
        headers: req.headers,
        body,
        raw,
        form: new URLSearchParams(body),
      };
      requests.push(recorded);
      const key = `${recorded.method} ${path}`;
      const attempt = (attempts.get(key) ?? 0) + 1;
      attempts.set(key, attempt);
      const queue = scripted.get(key);
      const reply = queue && queue.length > 0 ? queue.shift()! : defaultHandler(recorded, attempt);
      res.writeHead(reply.status, { 'content-type': 'application/json', 'request-id': `req_${requests.length}`, ...(reply.headers ?? {}) });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    script(method, path, replies) {
      scripted.set(`${method} ${path}`, [...replies]);
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
