import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, RateLimitedError, STATUS_BY_KIND } from '../platform/errors.js';
import { describeValidationErrors } from './validation.js';

interface ErrorBody {
  error: { code: string; message: string; details?: Record<string, unknown> };
}

function send(reply: FastifyReply, status: number, body: ErrorBody): void {
  void reply.status(status).type('application/json; charset=utf-8').send(body);
}

/** PostgreSQL error codes that mean the client sent something the constraints refuse. */
const PG_CONFLICT = '23505'; // unique_violation
const PG_CHECK = '23514'; // check_violation
const PG_SERIALIZATION = '40001';

/** The one place where errors become HTTP responses. */
export function handleError(error: FastifyError | AppError | Error, request: FastifyRequest, reply: FastifyReply): void {
  if (error instanceof RateLimitedError) {
    void reply.header('Retry-After', String(error.retryAfterSeconds));
  }
  if (error instanceof AppError) {
    send(reply, STATUS_BY_KIND[error.kind], {
      error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) },
    });
    return;
  }
  const fe = error as FastifyError & { validationContext?: string };
  if (fe.validation) {
    const part = fe.validationContext ?? 'body';
    send(reply, 400, {
      error: {
        code: 'validation_failed',
        message: `The request ${part} is not valid`,
        details: { part, fields: describeValidationErrors(fe.validation, part) },
      },
    });
    return;
  }
  switch (fe.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      send(reply, 400, { error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
      return;
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
    case 'FST_REQ_FILE_TOO_LARGE':
    case 'FST_FILES_LIMIT':
    case 'FST_PARTS_LIMIT':
    case 'FST_FIELDS_LIMIT':
      send(reply, 413, { error: { code: 'payload_too_large', message: fe.message } });
      return;
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
    case 'FST_INVALID_MULTIPART_CONTENT_TYPE':
      send(reply, 415, {
        error: { code: 'unsupported_media_type', message: 'Send application/json (or multipart/form-data where uploads are accepted)' },
      });
      return;
  }
  if (error instanceof SyntaxError && fe.statusCode === 400) {
    send(reply, 400, { error: { code: 'invalid_json', message: 'The request body is not valid JSON' } });
    return;
  }
  const pgCode = (error as { code?: string }).code;
  if (pgCode === PG_CONFLICT) {
    send(reply, 409, { error: { code: 'conflict', message: 'This conflicts with an existing record' } });
    return;
  }
  if (pgCode === PG_SERIALIZATION) {
    send(reply, 409, { error: { code: 'conflict', message: 'A concurrent change got there first; try again' } });
    return;
  }
  if (pgCode === PG_CHECK) {
    send(reply, 422, { error: { code: 'constraint_violation', message: 'The change breaks a rule of the data model' } });
    return;
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    send(reply, fe.statusCode, { error: { code: (fe.code ?? 'bad_request').toLowerCase(), message: fe.message } });
    return;
  }
  request.log.error({ err: error }, 'unhandled error');
  send(reply, 500, { error: { code: 'internal', message: 'Something went wrong on our side; it has been logged' } });
}
