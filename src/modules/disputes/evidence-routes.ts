import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { IdempotencyHeaders } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { attachmentDisposition } from '../files/filename.js';
import { addEvidenceItem, listEvidence, removeEvidenceItem, updateEvidenceItem } from './evidence.js';
import { currentPacket } from './packet.js';
import { prefillEvidence } from './prefill.js';
import { DisputeParams, EvidenceItemParams, NewEvidenceBody, NoContent, UpdateEvidenceBody } from './route-schemas.js';
import { EvidenceItemSchema, type EvidenceItemView } from './views.js';

const tags = ['disputes'];
const EvidenceList = Type.Object({ data: Type.Array(EvidenceItemSchema) });

export function evidenceRoutes(app: ApiApp, ctx: AppContext): void {
  app.get(
    '/disputes/:id/evidence',
    { schema: { tags, summary: 'Evidence items of a dispute, in packet order', params: DisputeParams, response: { 200: EvidenceList } } },
    async (request) => ({ data: await listEvidence(ctx.db, agentOf(request), request.params.id) }),
  );

  app.post(
    '/disputes/:id/evidence',
    {
      schema: {
        tags,
        summary: 'Add an evidence item',
        params: DisputeParams,
        headers: IdempotencyHeaders,
        body: NewEvidenceBody,
        response: { 201: EvidenceItemSchema },
      },
    },
    async (request, reply) => {
      const actor = agentOf(request);
      const result = await withIdempotency<EvidenceItemView>(ctx.db, idempotencyGuard(request, actor), async (tx) => ({
        statusCode: 201,
        body: await addEvidenceItem(tx, actor, request.params.id, request.body),
      }));
      return reply.status(201).send(result.body);
    },
  );

  app.post(
    '/disputes/:id/evidence/prefill',
    {
      schema: {
        tags,
        summary: "Build evidence items from Baton's records (replaces unedited prefilled items, keeps the agent's)",
        params: DisputeParams,
        response: { 200: EvidenceList },
      },
    },
    async (request) => ({ data: await prefillEvidence(ctx.db, agentOf(request), request.params.id) }),
  );

  app.patch(
    '/disputes/:id/evidence/:itemId',
    {
      schema: {
        tags,
        summary: 'Change an evidence item',
        params: EvidenceItemParams,
        body: UpdateEvidenceBody,
        response: { 200: EvidenceItemSchema },
      },
    },
    async (request) => updateEvidenceItem(ctx.db, agentOf(request), request.params.id, request.params.itemId, request.body),
  );

  app.delete(
    '/disputes/:id/evidence/:itemId',
    { schema: { tags, summary: 'Remove an evidence item', params: EvidenceItemParams, response: { 204: NoContent } } },
    async (request, reply) => {
      await removeEvidenceItem(ctx.db, agentOf(request), request.params.id, request.params.itemId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/disputes/:id/packet.pdf',
    {
      schema: {
        tags,
        summary: 'The evidence packet as a PDF download (the submitted one once submitted)',
        params: DisputeParams,
        produces: ['application/pdf'],
        response: { 200: Type.Unsafe<Buffer>({ type: 'string', format: 'binary', description: 'application/pdf' }) },
      },
    },
    async (request, reply) => {
      const packet = await currentPacket(ctx, agentOf(request), request.params.id);
      return reply
        .header('Content-Type', 'application/pdf')
        .header('Content-Disposition', attachmentDisposition(packet.filename))
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'private, no-store')
        .header('X-Packet-Sha256', packet.sha256)
        .send(packet.bytes);
    },
  );
}
