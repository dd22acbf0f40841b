import { Type } from 'typebox';
import type { AppContext } from '../../context.js';
import { agentOf } from '../../http/authenticate.js';
import { IdempotencyHeaders } from '../../http/schemas.js';
import type { ApiApp } from '../../http/server.js';
import { authorize } from '../../platform/authorization.js';
import { AppError, validationError } from '../../platform/errors.js';
import { idempotencyGuard } from '../../http/idempotency-guard.js';
import { withIdempotency } from '../../platform/idempotency.js';
import { hitRateLimit } from '../../platform/rate-limit.js';
import { readMultipartForm } from './multipart.js';
import { prepareUpload, recordUpload, type PreparedUpload, type StoredAttachment } from './service.js';

const MAX_FILES_PER_REQUEST = 10;
// Agents attach files all day; this only stops a runaway script or a stolen token filling the disk.
const UPLOADS_PER_AGENT = { limit: 120, windowSeconds: 600 };

const StoredAttachmentSchema = Type.Object({
  id: Type.String({ format: 'uuid' }),
  filename: Type.String({ description: 'Cleaned: no path parts, control or bidi characters' }),
  content_type: Type.String({ description: 'Decided from the bytes, never from the client' }),
  size_bytes: Type.Integer(),
});

/**
 * POST /api/v1/attachments: agents upload files before sending a reply, then pass the returned
 * ids as attachment_ids. Every file of the request is read (and checked against the size limit)
 * before anything is stored, so an over-size request stores nothing.
 */
export function attachmentApiRoutes(app: ApiApp, ctx: AppContext): void {
  app.post(
    '/attachments',
    {
      schema: {
        tags: ['attachments'],
        summary: 'Upload files (multipart/form-data, one or more file parts) to attach to a message later',
        description: `Up to ${MAX_FILES_PER_REQUEST} files, each at most the configured upload limit (413 payload_too_large otherwise). Uploads stay unattached until a message names them.`,
        consumes: ['multipart/form-data'],
        headers: IdempotencyHeaders,
        response: {
          201: Type.Array(StoredAttachmentSchema),
          413: { description: 'A file is larger than the upload limit, or too many files', $ref: 'ErrorBody#' },
          415: { description: 'Not multipart/form-data', $ref: 'ErrorBody#' },
        },
      },
    },
    async (request, reply) => {
      const agent = agentOf(request);
      authorize(agent, 'case.reply', { workspaceId: agent.workspaceId, type: 'attachment' });
      await hitRateLimit(ctx.db, { bucket: `upload:agent:${agent.agentId}`, ...UPLOADS_PER_AGENT });
      const form = await readMultipartForm(request, { maxFileBytes: ctx.config.maxUploadBytes, maxFiles: MAX_FILES_PER_REQUEST });
      if (form.problem) {
        throw new AppError(
          'too_large',
          'payload_too_large',
          `Send at most ${MAX_FILES_PER_REQUEST} files of at most ${ctx.config.maxUploadBytes} bytes each`,
          {
            max_file_bytes: ctx.config.maxUploadBytes,
            max_files: MAX_FILES_PER_REQUEST,
          },
        );
      }
      const unexpected = [...form.fields.keys()];
      if (unexpected.length > 0)
        throw validationError('attachment.unexpected_field', 'Send only file parts', { fields: unexpected.slice(0, 10) });
      if (form.files.length === 0) throw validationError('attachment.no_files', 'Send one or more files as multipart/form-data file parts');

      const prepared: PreparedUpload[] = [];
      for (const file of form.files) prepared.push(await prepareUpload(ctx, file));
      const result = await withIdempotency<StoredAttachment[]>(
        ctx.db,
        // Multipart: the files' names and digests stand for the body.
        idempotencyGuard(
          request,
          agent,
          prepared.map((p) => [p.filename, p.sha256]),
        ),
        async (tx) => {
          const stored: StoredAttachment[] = [];
          for (const p of prepared) stored.push(await recordUpload(tx, agent.workspaceId, p));
          return { statusCode: 201, body: stored };
        },
      );
      return reply.status(201).send(result.body);
    },
  );
}
