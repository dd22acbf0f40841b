/**
 * The load generator, run as its own process by the bench runner so its CPU never counts as the
 * server's: `tsx src/bench/load.ts <LoadSpec JSON file>` prints one JSON LoadResult line.
 * Latencies come from every response (autocannon's summary has no p95).
 */
import fs from 'node:fs';
import path from 'node:path';
import autocannon, { type AutocannonRequest } from 'autocannon';
import { SEARCH_QUERIES } from './vocabulary.js';

export interface LoadSpec {
  url: string;
  token: string;
  connections: number;
  seconds: number;
  kind: 'create' | 'inbox' | 'case' | 'search';
  /** inbox: the second page's cursor; case: sample case ids with their customers. */
  cursor?: string | undefined;
  cases?: { id: string; customerId: string }[] | undefined;
}

export interface LoadResult {
  requests: number;
  throughput: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  errors: number;
  non2xx: number;
  statusCodes: Record<string, number>;
}

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

const randomOf = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

function requestsFor(spec: LoadSpec): AutocannonRequest[] {
  const run = `${process.pid.toString(36)}${Date.now().toString(36)}`;
  let n = 0;
  switch (spec.kind) {
    case 'create':
      return [
        {
          method: 'POST',
          path: '/api/v1/cases',
          setupRequest: (req) => {
            const i = ++n;
            return {
              ...req,
              headers: { ...req.headers, 'content-type': 'application/json' },
              body: JSON.stringify({
                customer: { email: `bench-${run}-${i}@load.example`, name: `Load Customer ${i}` },
                subject: `Charged twice for invoice INV-${run}-${i}`,
                category: 'billing',
                channel: 'email',
                message: {
                  body: 'Hello, my card statement shows two charges of 49.00 EUR for the same invoice. Could you refund the duplicate payment?',
                },
              }),
            };
          },
        },
      ];
    case 'inbox':
      return [
        { method: 'GET', path: '/api/v1/cases?status=open,pending&sort=updated_desc&limit=25' },
        {
          method: 'GET',
          path: `/api/v1/cases?status=open,pending&sort=updated_desc&limit=25&cursor=${encodeURIComponent(spec.cursor ?? '')}`,
        },
        { method: 'GET', path: '/api/v1/views/my_open/cases' },
      ];
    case 'case': {
      const cases = spec.cases ?? [];
      const current = (context: Record<string, unknown>) => context.case as { id: string; customerId: string };
      return [
        {
          method: 'GET',
          setupRequest: (req, context) => {
            context.case = randomOf(cases);
            return { ...req, path: `/api/v1/cases/${current(context).id}` };
          },
        },
        { method: 'GET', setupRequest: (req, context) => ({ ...req, path: `/api/v1/cases/${current(context).id}/messages` }) },
        { method: 'GET', setupRequest: (req, context) => ({ ...req, path: `/api/v1/cases/${current(context).id}/events` }) },
        { method: 'GET', setupRequest: (req, context) => ({ ...req, path: `/api/v1/customers/${current(context).customerId}/timeline` }) },
      ];
    }
    case 'search':
      return [
        {
          method: 'GET',
          setupRequest: (req) => ({
            ...req,
            path: `/api/v1/search?q=${encodeURIComponent(randomOf(SEARCH_QUERIES))}&type=cases&status=open`,
          }),
        },
      ];
  }
}

export async function runLoad(spec: LoadSpec): Promise<LoadResult> {
  const latencies: number[] = [];
  const instance = autocannon({
    url: spec.url,
    connections: spec.connections,
    duration: spec.seconds,
    timeout: 30,
    headers: { authorization: `Bearer ${spec.token}` },
    requests: requestsFor(spec),
  });
  // The runner starts its CPU window here, after this process's own start-up.
  process.stdout.write('START\n');
  instance.on('response', (_client: unknown, _status: number, _bytes: number, responseTime: number) => {
    latencies.push(responseTime);
  });
  const result = await instance;
  latencies.sort((a, b) => a - b);
  const statusCodes = Object.fromEntries(Object.entries(result.statusCodeStats).map(([code, v]) => [code, v.count]));
  return {
    requests: latencies.length,
    throughput: latencies.length / spec.seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    statusCodes,
  };
}

if (process.argv[1] && path.basename(process.argv[1]) === 'load.ts' && process.argv[2]) {
  runLoad(JSON.parse(fs.readFileSync(process.argv[2], 'utf8')) as LoadSpec).then(
    (result) => console.log(JSON.stringify(result)),
    (error: unknown) => {
      console.error(error);
      process.exit(1);
    },
  );
}
