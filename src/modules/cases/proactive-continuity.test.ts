import { beforeAll, describe, expect, it } from 'vitest';
import { getTestApp } from '../../test/harness.js';
import { createCase, receiveCustomerContact, updateCase } from './service.js';
import { caseWorld } from './test-support.js';

// Building the test server takes a while: do it outside the tests' time limit.
beforeAll(async () => {
  await getTestApp();
});

/** A customer's own contact about what Baton reached out about joins the proactive case (billing outreach). */
describe('continuity into a proactive case', () => {
  async function proactiveCase(world: Awaited<ReturnType<typeof caseWorld>>, tags = ['proactive', 'billing:failed-payment']) {
    return createCase(world.db, world.workspace.system, {
      customerId: world.customerId,
      subject: 'Your payment of 49.90 EUR failed',
      category: 'payment',
      channel: 'email',
      tags,
      message: { bodyText: 'Payment failed: card_declined', visibility: 'internal' },
    });
  }

  const contact = (
    world: Awaited<ReturnType<typeof caseWorld>>,
    input: { category: 'billing' | 'technical' | 'refund'; channel: 'email' | 'web' | 'chat' },
  ) =>
    receiveCustomerContact(world.db, world.workspace.system, {
      customerId: world.customerId,
      subject: 'About my payment',
      bodyText: 'I updated my card, please try again.',
      ...input,
    });

  it('joins an email or web-form contact in a billing category to the open proactive case', async () => {
    const world = await caseWorld();
    const kase = await proactiveCase(world);

    const byEmail = await contact(world, { category: 'billing', channel: 'email' });
    expect(byEmail).toMatchObject({ caseId: kase.id, number: kase.number, joined: true });
    const byForm = await contact(world, { category: 'refund', channel: 'web' });
    expect(byForm).toMatchObject({ caseId: kase.id, joined: true });

    const events = await world.db
      .selectFrom('case_events')
      .select('type')
      .where('case_id', '=', kase.id)
      .where('type', '=', 'contact_joined')
      .execute();
    expect(events).toHaveLength(2);
  });

  it('prefers an open case of the contact’s own category', async () => {
    const world = await caseWorld();
    await proactiveCase(world);
    const billing = await createCase(world.db, world.workspace.system, {
      customerId: world.customerId,
      subject: 'Invoice question',
      category: 'billing',
      channel: 'email',
      message: { bodyText: 'Why is my invoice higher?' },
    });
    expect(await contact(world, { category: 'billing', channel: 'email' })).toMatchObject({ caseId: billing.id, joined: true });
  });

  it('opens a new case for other categories, other channels, untagged or finished cases', async () => {
    const world = await caseWorld();
    const kase = await proactiveCase(world);
    const technical = await contact(world, { category: 'technical', channel: 'email' });
    expect(technical.joined).toBe(false);
    const chat = await contact(world, { category: 'billing', channel: 'chat' });
    expect(chat.joined).toBe(false);
    expect(chat.caseId).not.toBe(kase.id);

    const other = await caseWorld();
    const untagged = await proactiveCase(other, ['billing:failed-payment']);
    expect((await contact(other, { category: 'billing', channel: 'email' })).caseId).not.toBe(untagged.id);

    const solvedWorld = await caseWorld();
    const solved = await proactiveCase(solvedWorld);
    await updateCase(solvedWorld.db, solvedWorld.workspace.system, solved.id, { version: solved.version, status: 'solved' });
    const after = await contact(solvedWorld, { category: 'billing', channel: 'email' });
    expect(after.joined).toBe(false);
    expect(after.caseId).not.toBe(solved.id);
  });
});
