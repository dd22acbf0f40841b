import type { FastifyRequest } from 'fastify';
import type { AgentActor } from '../platform/actor.js';
import { validationError } from '../platform/errors.js';
import { hashRequest, type IdempotencyRequest } from '../platform/idempotency.js';

/**
 * The Idempotency-Key header and a hash of the request it guards. `hashedBody` replaces the body
 * where the body is not JSON (uploads hash their files' digests instead).
 */
export function idempotencyRequestOf(request: FastifyRequest, hashedBody: unknown = request.body): IdempotencyRequest {
  const raw = request.headers['idempotency-key'];
  const key = typeof raw === 'string' ? raw : undefined;
  if (key !== undefined && (key.length === 0 || key.length > 255)) {
    throw validationError('idempotency.invalid_key', 'The Idempotency-Key header must be 1 to 255 characters', {
      field: 'Idempotency-Key',
    });
  }
  return { key, requestHash: hashRequest(request.method, request.url, hashedBody) };
}

/** Everything withIdempotency needs for a create by this agent: keys are scoped per agent and workspace. */
export function idempotencyGuard(request: FastifyRequest, actor: AgentActor, hashedBody?: unknown) {
  return {
    workspaceId: actor.workspaceId,
    principal: `agent:${actor.agentId}`,
    ...idempotencyRequestOf(request, hashedBody ?? request.body),
  };
}
