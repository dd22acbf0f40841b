import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { unique } from '../../test/factories.js';
import { RateLimitedError } from '../../platform/errors.js';
import { caseWorld, messagesOf, newCustomer, postCase } from '../cases/test-support.js';
import { VisitorLineWriter } from './visitor-lines.js';
import { visitorActor } from './visitor.js';

beforeAll(async () => {
  await getTestApp();
});

describe('visitor line writer (group commit)', () => {
  it('writes a line at once when idle and the lines that arrive meanwhile together; a line over its limit fails alone', async () => {
    const { db, workspace, agent } = await caseWorld();
    const chats = [];
    for (let i = 0; i < 5; i++) {
      const customerId = await newCustomer(workspace, `Visitor ${i}`);
      const kase = await postCase(agent, { customer_id: customerId, channel: 'chat' });
      chats.push({ customerId, caseId: kase.id });
    }
    const writer = new VisitorLineWriter(db);
    const limit = (bucket: string) => ({ bucket, limit: 1, windowSeconds: 60 });
    const shared = unique('chat:message:visitor');
    const written = await Promise.allSettled(
      chats.map(({ customerId, caseId }, i) =>
        writer.write({
          // The last two lines share a bucket that allows one line: the second of them is refused.
          rateLimit: limit(i >= 3 ? shared : unique('chat:message:visitor')),
          message: { actor: visitorActor(workspace.id, customerId, caseId), caseId, bodyText: `Line ${i}`, channel: 'chat' },
        }),
      ),
    );
    expect(written.map((w) => w.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'fulfilled', 'rejected']);
    expect((written[4] as PromiseRejectedResult).reason).toBeInstanceOf(RateLimitedError);

    const lines = await Promise.all(
      chats.map(async ({ caseId }) => (await messagesOf(agent, caseId)).find((m) => m.body_text.startsWith('Line '))),
    );
    expect(lines.map((m) => m?.id)).toEqual([...written.slice(0, 4).map((w) => (w as PromiseFulfilledResult<string>).value), undefined]);
    // The first two went out at once (two writes under way); the next waited and went together.
    expect(lines[2]!.created_at).toBe(lines[3]!.created_at);
    expect(lines[2]!.created_at > lines[0]!.created_at).toBe(true);
  });
});
