import { describe, expect, it } from 'vitest';
import { getCase, mergeCases, updateCase } from '../../cases/service.js';
import { replyAddressFor } from '../reply-address.js';
import { caseRow, casesOfWorkspace, createMailbox, mailWorld, messagesOf, newMessageId, outboundOf, receive } from './support.js';

async function openCase(world: Awaited<ReturnType<typeof mailWorld>>, from = 'Erika <erika@customer.example>') {
  const messageId = newMessageId();
  const row = await receive(world, { from, subject: 'My invoice', text: 'Please check', messageId: `<${messageId}>` });
  const theCase = await caseRow(world.ctx, row.case_id!);
  return { row, theCase, messageId };
}

describe('threading', () => {
  it('(1) a signed reply address leads to its case, whatever subject and sender', async () => {
    const world = await mailWorld();
    const { theCase } = await openCase(world);
    const replyTo = replyAddressFor(world.ctx.secret, theCase.id, world.mailbox.address);
    const row = await receive(
      world,
      { from: 'colleague@customer.example', to: replyTo, subject: 'Something else', text: 'More details' },
      { envelopeTo: [replyTo] },
    );
    expect(row.case_id).toBe(theCase.id);
    const messages = await messagesOf(world.ctx, theCase.id);
    expect(messages).toHaveLength(2);
    expect((messages[1]!.metadata as { email: { threaded_by: string } }).email.threaded_by).toBe('reply_address');
    // The colleague answering joins the case's participants.
    const participants = await world.db
      .selectFrom('email_case_participants')
      .select(['address', 'role'])
      .where('case_id', '=', theCase.id)
      .execute();
    expect(participants).toEqual([{ address: 'colleague@customer.example', role: 'from' }]);
  });

  it('refuses a reply address with a wrong signature or of another workspace', async () => {
    const world = await mailWorld();
    const other = await mailWorld();
    const { theCase } = await openCase(world);
    const forged = replyAddressFor('another-secret', theCase.id, world.mailbox.address);
    const row = await receive(world, { from: 'mallory@attacker.example', to: forged, subject: 'Hi', text: 'x' }, { envelopeTo: [forged] });
    expect(row.case_id).not.toBe(theCase.id);
    // A valid address of workspace A delivered to workspace B's mailbox does not reach A's case.
    const foreign = replyAddressFor(world.ctx.secret, theCase.id, other.mailbox.address);
    const row2 = await receive(other, { from: 'erika@customer.example', to: foreign, subject: 'Hi', text: 'x' }, { envelopeTo: [foreign] });
    expect(row2.status).toBe('processed');
    expect(row2.case_id).not.toBe(theCase.id);
    expect(await messagesOf(world.ctx, theCase.id)).toHaveLength(1);
  });

  it('(2) In-Reply-To our acknowledgement leads to the case', async () => {
    const world = await mailWorld({ category: 'billing' });
    const { theCase } = await openCase(world);
    const [ack] = await outboundOf(world.ctx, world.workspace.id);
    // Another category's mailbox, so continuity alone could not join it.
    const refunds = await createMailbox(world.workspace, { category: 'refund' });
    const row = await receive(
      { workspace: world.workspace, mailbox: refunds },
      {
        from: 'erika@customer.example',
        subject: 'Re: thanks',
        text: 'Answer',
        inReplyTo: `<${ack!.message_id_header}>`,
        references: [`<${ack!.message_id_header}>`],
      },
    );
    expect(row.case_id).toBe(theCase.id);
    const messages = await messagesOf(world.ctx, theCase.id);
    expect((messages[1]!.metadata as { email: { threaded_by: string } }).email.threaded_by).toBe('message_id');
  });

  it('(2) References to an earlier customer message lead to the case', async () => {
    const world = await mailWorld({ category: 'billing' });
    const { theCase, messageId } = await openCase(world);
    const refunds = await createMailbox(world.workspace, { category: 'refund' });
    const row = await receive(
      { workspace: world.workspace, mailbox: refunds },
      {
        from: 'cc-person@customer.example',
        subject: 'Re: My invoice',
        text: 'Reply all',
        references: [`<unknown@x.example>`, `<${messageId}>`],
      },
    );
    expect(row.case_id).toBe(theCase.id);
  });

  it('(3) a subject token threads for the case customer and its participants, not for strangers', async () => {
    const world = await mailWorld({ category: 'billing' });
    const refunds = await createMailbox(world.workspace, { category: 'refund' });
    const other = { workspace: world.workspace, mailbox: refunds };
    const first = await receive(world, { from: 'erika@customer.example', cc: 'max@customer.example', subject: 'Invoice', text: 'Hi' });
    const theCase = await caseRow(world.ctx, first.case_id!);
    const token = `Re: [#${theCase.number}] Invoice`;

    const byCustomer = await receive(other, { from: 'erika@customer.example', subject: token, text: 'From the customer' });
    expect(byCustomer.case_id).toBe(theCase.id);
    const byParticipant = await receive(other, { from: 'max@customer.example', subject: token, text: 'From the CC' });
    expect(byParticipant.case_id).toBe(theCase.id);
    const byStranger = await receive(other, { from: 'stranger@elsewhere.example', subject: token, text: 'Let me in' });
    expect(byStranger.status).toBe('processed');
    expect(byStranger.case_id).not.toBe(theCase.id);
    expect(await messagesOf(world.ctx, theCase.id)).toHaveLength(3);
    expect(await casesOfWorkspace(world.ctx, world.workspace.id)).toHaveLength(2);
  });

  it('a customer reply reopens a solved case; a reply to a closed case opens a follow-up case', async () => {
    const world = await mailWorld();
    const { theCase } = await openCase(world);
    const replyTo = replyAddressFor(world.ctx.secret, theCase.id, world.mailbox.address);
    let view = await getCase(world.db, world.workspace.system, theCase.id);
    await updateCase(world.db, world.workspace.system, theCase.id, { version: view.version, status: 'solved' });
    await receive(
      world,
      { from: 'erika@customer.example', to: replyTo, subject: 'Re: My invoice', text: 'Not fixed' },
      { envelopeTo: [replyTo] },
    );
    expect((await caseRow(world.ctx, theCase.id)).status).toBe('open');

    view = await getCase(world.db, world.workspace.system, theCase.id);
    view = await updateCase(world.db, world.workspace.system, theCase.id, { version: view.version, status: 'solved' });
    await updateCase(world.db, world.workspace.system, theCase.id, { version: view.version, status: 'closed' });
    const row = await receive(
      world,
      { from: 'erika@customer.example', to: replyTo, subject: 'Re: My invoice', text: 'Again' },
      { envelopeTo: [replyTo] },
    );
    expect(row.status).toBe('processed');
    expect(row.case_id).not.toBe(theCase.id);
    const [message] = await messagesOf(world.ctx, row.case_id!);
    expect((message!.metadata as { email: { follow_up_of: number } }).email.follow_up_of).toBe(theCase.number);
    // The follow-up is a new case: it is acknowledged (the 24 h rule aside).
    expect((await caseRow(world.ctx, row.case_id!)).status).toBe('new');
  });

  it('a reply to a merged case lands in the case it was merged into', async () => {
    const world = await mailWorld({ category: 'billing' });
    const { theCase: source } = await openCase(world, 'one@customer.example');
    const { theCase: target } = await openCase(world, 'two@customer.example');
    await mergeCases(world.db, world.workspace.system, { sourceCaseId: source.id, targetCaseId: target.id });
    const replyTo = replyAddressFor(world.ctx.secret, source.id, world.mailbox.address);
    const row = await receive(
      world,
      { from: 'one@customer.example', to: replyTo, subject: 'Re', text: 'Still there?' },
      { envelopeTo: [replyTo] },
    );
    expect(row.case_id).toBe(target.id);
  });
});
