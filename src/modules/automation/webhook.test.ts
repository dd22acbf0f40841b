import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Webhook } from 'standardwebhooks';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JobWorker } from '../../platform/jobs.js';
import { getTestApp, getTestContext } from '../../test/harness.js';
import { isBlockedAddress } from './webhook-egress.js';
import { automationWebhookJob, WEBHOOK_QUEUE } from './webhook-job.js';
import { automationWorld, openCase, postTrigger } from './test-support.js';

interface Received {
  headers: http.IncomingHttpHeaders;
  body: string;
}

let server: http.Server;
let url = '';
const received: Received[] = [];
const answers: number[] = [];

beforeAll(async () => {
  await getTestApp();
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString('utf8')));
    req.on('end', () => {
      received.push({ headers: req.headers, body });
      res.statusCode = answers.shift() ?? 200;
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

afterEach(async () => {
  (await getTestContext()).config.webhookAllowPrivate = undefined;
  received.length = 0;
  answers.length = 0;
});

async function webhookWorker() {
  const ctx = await getTestContext();
  const worker = new JobWorker(ctx.db, ctx.logger);
  worker.register(automationWebhookJob(ctx));
  return worker;
}

/** Verified with the Standard Webhooks reference library, as a receiver would. */
function verify(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  try {
    new Webhook(secret).verify(body, {
      'webhook-id': String(headers['webhook-id']),
      'webhook-timestamp': String(headers['webhook-timestamp']),
      'webhook-signature': String(headers['webhook-signature']),
    });
    return true;
  } catch {
    return false;
  }
}

describe('webhook action', () => {
  it('POSTs {event, rule, case} signed with the rule secret, and retries after a 500', async () => {
    const world = await automationWorld();
    world.ctx.config.webhookAllowPrivate = true;
    const trigger = await postTrigger(world, {
      name: 'Tell the CRM',
      events: ['case.created'],
      conditions: { all: [], any: [] },
      actions: [{ type: 'webhook', url }],
    });
    const kase = await openCase(world);
    answers.push(500);
    const worker = await webhookWorker();
    expect(await worker.runDue()).toBe(1);
    expect(received).toHaveLength(1);
    const job = await world.db
      .selectFrom('jobs')
      .selectAll()
      .where('queue', '=', WEBHOOK_QUEUE)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    expect(job).toMatchObject({ status: 'queued', attempts: 1 });
    expect(job.last_error).toContain('500');

    expect(await worker.runDue(new Date(Date.now() + 3_600_000))).toBe(1);
    expect(received).toHaveLength(2);
    const done = await world.db.selectFrom('jobs').select(['status']).where('id', '=', job.id).executeTakeFirstOrThrow();
    expect(done.status).toBe('done');

    const delivery = received[1]!;
    expect(delivery.headers['content-type']).toBe('application/json');
    expect(verify(trigger.webhook_secret!, delivery.headers, delivery.body)).toBe(true);
    expect(verify(`whsec_${Buffer.from('another secret of 24 by').toString('base64')}`, delivery.headers, delivery.body)).toBe(false);
    expect(verify(trigger.webhook_secret!, delivery.headers, delivery.body.replace('Tell the CRM', 'Tell the CRN'))).toBe(false);
    // The same delivery id on the retry: the receiver de-duplicates by it.
    expect(received[0]!.headers['webhook-id']).toBe(delivery.headers['webhook-id']);
    const log = await world.app.inject({ method: 'GET', url: `/api/v1/triggers/${trigger.id}/deliveries`, headers: world.agent.headers });
    expect(log.statusCode, log.body).toBe(200);
    expect(log.json<{ data: { attempt: number; outcome: string; status_code: number | null; case_id: string }[] }>().data).toMatchObject([
      { attempt: 2, outcome: 'delivered', status_code: 200, case_id: kase.id },
      { attempt: 1, outcome: 'failed', status_code: 500, case_id: kase.id },
    ]);

    const body = JSON.parse(delivery.body);
    expect(body).toMatchObject({
      event: { type: 'case.created' },
      rule: { kind: 'trigger', id: trigger.id, name: 'Tell the CRM' },
      case: { id: kase.id, number: kase.number },
    });
  });

  it('refuses loopback and private addresses unless the installation allows them', async () => {
    const world = await automationWorld();
    await postTrigger(world, { events: ['case.created'], conditions: { all: [], any: [] }, actions: [{ type: 'webhook', url }] });
    await openCase(world);
    const worker = await webhookWorker();
    expect(await worker.runDue()).toBe(1);
    expect(received).toHaveLength(0);
    const job = await world.db
      .selectFrom('jobs')
      .selectAll()
      .where('queue', '=', WEBHOOK_QUEUE)
      .orderBy('id', 'desc')
      .executeTakeFirstOrThrow();
    // Given up at once (not a transient failure): done without a call, and logged.
    expect(job.status).toBe('done');
    const [attempt] = await world.db
      .selectFrom('automation_webhook_deliveries')
      .selectAll()
      .where('workspace_id', '=', world.workspace.id)
      .execute();
    expect(attempt).toMatchObject({ attempt: 1, outcome: 'given_up', status_code: null });
    expect(attempt!.error).toContain('not allowed');
  });

  it('knows which addresses are private', () => {
    for (const address of [
      '127.0.0.1',
      '10.1.2.3',
      '172.16.0.1',
      '192.168.1.1',
      '169.254.169.254',
      '100.64.0.1',
      '0.0.0.0',
      '::1',
      '::ffff:127.0.0.1',
      'fe80::1',
      'fd00::1',
      '::',
    ]) {
      expect(isBlockedAddress(address), address).toBe(true);
    }
    for (const address of ['93.184.216.34', '8.8.8.8', '2606:4700:4700::1111', '::ffff:8.8.8.8']) {
      expect(isBlockedAddress(address), address).toBe(false);
    }
  });
});
