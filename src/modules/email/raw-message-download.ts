import type { FastifyReply } from 'fastify';
import { Type } from 'typebox';

/**
 * A stored RFC 5322 message (received or sent) as a download: never rendered by the browser
 * (attachment, nosniff, a CSP that lets nothing run). One place for both viewers' raw links.
 */
export const RawMessageResponse = {
  description: 'The RFC 5322 message, byte for byte',
  content: { 'message/rfc822': { schema: Type.Unsafe<Buffer>({ type: 'string', format: 'binary' }) } },
};

export function sendRawMessage(reply: FastifyReply, raw: Buffer, filename: string): FastifyReply {
  return reply
    .status(200)
    .header('Content-Type', 'message/rfc822')
    .header('Content-Disposition', `attachment; filename="${filename}"`)
    .header('X-Content-Type-Options', 'nosniff')
    .header('Content-Security-Policy', "default-src 'none'; sandbox")
    .send(raw);
}
