/**
 * Test support: a real multipart/form-data body (bytes and content-type with boundary) built by
 * the platform's FormData encoder, for app.inject.
 */
export interface TestFile {
  name: string;
  content: Buffer | string;
  /** The type the client claims; Baton must ignore it. */
  type?: string;
  field?: string;
}

export async function multipartBody(
  fields: Record<string, string>,
  files: TestFile[] = [],
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  for (const file of files) {
    const bytes = typeof file.content === 'string' ? Buffer.from(file.content) : file.content;
    form.append(
      file.field ?? 'attachments',
      new Blob([new Uint8Array(bytes)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
  }
  const encoded = new Response(form);
  return { payload: Buffer.from(await encoded.arrayBuffer()), headers: { 'content-type': encoded.headers.get('content-type')! } };
}

/** The smallest valid PNG (1x1, transparent). */
export const TINY_PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6300010000000500010d0a2db40000000049454e44ae426082',
  'hex',
);
