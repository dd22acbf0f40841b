import type { FastifyRequest } from 'fastify';

export interface UploadedFile {
  fieldname: string;
  filename: string;
  bytes: Buffer;
}

export interface MultipartForm {
  /** Text fields, first value per name. */
  fields: Map<string, string>;
  files: UploadedFile[];
  /** Set when a limit was passed; the request must then be refused without storing anything. */
  problem?: 'file_too_large' | 'too_many_files' | 'too_many_parts';
}

export interface MultipartLimits {
  maxFileBytes: number;
  maxFiles: number;
}

const LIMIT_PROBLEMS: Record<string, MultipartForm['problem']> = {
  FST_FILES_LIMIT: 'too_many_files',
  FST_PARTS_LIMIT: 'too_many_parts',
  FST_FIELDS_LIMIT: 'too_many_parts',
  FST_REQ_FILE_TOO_LARGE: 'file_too_large',
};

/**
 * Reads a whole multipart/form-data request into memory (files are capped by maxFileBytes each,
 * and by maxFiles). Over-size files do not throw half-way: the form's text fields are still
 * collected, so a page can re-render what the customer typed, and `problem` tells the caller to
 * refuse the request before anything is stored. A request that is not multipart throws the
 * plugin's 415 error.
 */
export async function readMultipartForm(request: FastifyRequest, limits: MultipartLimits): Promise<MultipartForm> {
  const form: MultipartForm = { fields: new Map(), files: [] };
  // throwFileSizeLimit is honoured per call by @fastify/multipart, though its type omits it.
  const options = { limits: { fileSize: limits.maxFileBytes, files: limits.maxFiles }, throwFileSizeLimit: false } as Parameters<
    FastifyRequest['parts']
  >[0];
  try {
    for await (const part of request.parts(options)) {
      if (part.type === 'file') {
        const bytes = await part.toBuffer();
        if (part.file.truncated) {
          form.problem ??= 'file_too_large';
          continue;
        }
        // Browsers send an empty, nameless part for a file input left empty.
        if (part.filename === '' && bytes.length === 0) continue;
        if (!form.problem) form.files.push({ fieldname: part.fieldname, filename: part.filename, bytes });
      } else if (!form.fields.has(part.fieldname)) {
        form.fields.set(part.fieldname, typeof part.value === 'string' ? part.value : JSON.stringify(part.value));
      }
    }
  } catch (error) {
    const problem = LIMIT_PROBLEMS[(error as { code?: string }).code ?? ''];
    if (!problem) throw error;
    form.problem ??= problem;
  }
  if (form.problem) form.files = [];
  return form;
}
