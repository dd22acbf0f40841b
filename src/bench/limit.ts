/**
 * The floor `create` is compared with: the same rows POST /api/v1/cases writes (customer,
 * identity, customer.created event, case number, case, first message, the created and
 * message_added case events with their domain events), written with the plain pg client in one
 * transaction each, no HTTP, no validation, no authorization. Baton's overhead is the gap.
 */
import crypto from 'node:crypto';
import pg from 'pg';
import { caseNumberSequence } from '../modules/cases/case-numbers.js';
import { percentile, type LoadResult } from './load.js';

async function createOne(client: pg.PoolClient, workspaceId: string, agentId: string, i: number, run: string): Promise<void> {
  await client.query('begin');
  try {
    const customer = await client.query<{ id: string }>('insert into customers (workspace_id, name) values ($1, $2) returning id', [
      workspaceId,
      `Limit Customer ${i}`,
    ]);
    const customerId = customer.rows[0]!.id;
    await client.query(
      "insert into customer_identities (workspace_id, customer_id, kind, value, is_primary) values ($1, $2, 'email', $3, true)",
      [workspaceId, customerId, `limit-${run}-${i}@load.example`],
    );
    const domainEvent =
      "insert into domain_events (workspace_id, type, aggregate_type, aggregate_id, payload, actor_type, actor_id) values ($1, $2, $3, $4, $5, 'agent', $6)";
    await client.query(domainEvent, [
      workspaceId,
      'customer.created',
      'customer',
      customerId,
      JSON.stringify({ customer_id: customerId, source: 'email' }),
      agentId,
    ]);
    const number = await client.query<{ number: number }>(
      // The workspace's case-number sequence, as Baton takes it (src/modules/cases/case-numbers.ts).
      'select nextval($1::regclass)::int as number',
      [caseNumberSequence(workspaceId)],
    );
    const created = await client.query<{ id: string }>(
      `insert into cases (workspace_id, number, subject, status, priority, category, channel, customer_id, tags, last_customer_message_at)
       values ($1, $2, $3, 'new', 'normal', 'billing', 'email', $4, '{}', now()) returning *`,
      [workspaceId, number.rows[0]!.number, `Charged twice for invoice INV-${run}-${i}`, customerId],
    );
    const caseId = created.rows[0]!.id;
    const message = await client.query<{ id: string }>(
      `insert into messages (workspace_id, case_id, visibility, author_type, author_customer_id, channel, body_text)
       values ($1, $2, 'public', 'customer', $3, 'email', $4) returning *`,
      [
        workspaceId,
        caseId,
        customerId,
        'Hello, my card statement shows two charges of 49.00 EUR for the same invoice. Could you refund the duplicate payment?',
      ],
    );
    for (const [type, data] of [
      ['created', { number: number.rows[0]!.number, status: 'new', category: 'billing', channel: 'email', customer_id: customerId }],
      ['message_added', { message_id: message.rows[0]!.id, visibility: 'public', author_type: 'customer', channel: 'email' }],
    ] as const) {
      await client.query(
        "insert into case_events (workspace_id, case_id, type, actor_type, actor_id, data) values ($1, $2, $3, 'agent', $4, $5)",
        [workspaceId, caseId, type, agentId, JSON.stringify(data)],
      );
      await client.query(domainEvent, [workspaceId, `case.${type}`, 'case', caseId, JSON.stringify(data), agentId]);
    }
    await client.query('commit');
  } catch (error) {
    await client.query('rollback');
    throw error;
  }
}

export async function runLimit(
  databaseUrl: string,
  workspaceId: string,
  agentId: string,
  connections: number,
  seconds: number,
): Promise<LoadResult> {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: connections });
  const run = crypto.randomBytes(4).toString('hex');
  const latencies: number[] = [];
  let errors = 0;
  let n = 0;
  const deadline = performance.now() + seconds * 1000;
  try {
    await Promise.all(
      Array.from({ length: connections }, async () => {
        const client = await pool.connect();
        try {
          while (performance.now() < deadline) {
            const start = performance.now();
            try {
              await createOne(client, workspaceId, agentId, ++n, run);
              latencies.push(performance.now() - start);
            } catch {
              errors++;
            }
          }
        } finally {
          client.release();
        }
      }),
    );
  } finally {
    await pool.end();
  }
  latencies.sort((a, b) => a - b);
  return {
    requests: latencies.length,
    throughput: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies[latencies.length - 1] ?? NaN,
    errors,
    non2xx: 0,
    statusCodes: {},
  };
}
