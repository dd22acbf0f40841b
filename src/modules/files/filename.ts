/**
 * Cleans a client-supplied filename before it is stored or shown (CONVENTIONS.md, attachments):
 * no path parts, no control characters, no bidi overrides or invisible characters that could
 * disguise `invoice‮fdp.exe` as `invoice.pdf`, at most 255 characters, never empty.
 */
const FALLBACK = 'attachment';
const MAX_CHARS = 255;
// Bidi embeddings/overrides/isolates, marks, zero-width characters and the BOM.
const BIDI_AND_INVISIBLE = /[\u061C\u115F\u1160\u180E\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFEFF\uFFA0]/g;
const CONTROL = /[\p{Cc}\p{Zl}\p{Zp}]/gu;

export function cleanFilename(raw: string | null | undefined): string {
  let name = (raw ?? '').normalize('NFC');
  name = name.split(/[\\/]/).pop() ?? '';
  name = name.replace(CONTROL, '').replace(BIDI_AND_INVISIBLE, '');
  // Leading dots would make a hidden file (or `..`); surrounding spaces confuse people.
  name = name.replace(/\s+/g, ' ').trim().replace(/^\.+/, '').trim();
  if (name === '') return FALLBACK;
  const chars = Array.from(name);
  if (chars.length <= MAX_CHARS) return name;
  const dot = name.lastIndexOf('.');
  const extension = dot > 0 ? Array.from(name.slice(dot)) : [];
  // Keep a short extension so the download still opens with the right program.
  const keep = extension.length > 0 && extension.length <= 20 ? extension : [];
  return (
    chars
      .slice(0, MAX_CHARS - keep.length)
      .join('')
      .trimEnd() + keep.join('')
  );
}

/**
 * `Content-Disposition: attachment` with an ASCII fallback and the exact name as RFC 8187
 * `filename*` (UTF-8, percent-encoded), so no header injection is possible whatever the name.
 */
export function attachmentDisposition(filename: string): string {
  const ascii = filename.replace(/[^A-Za-z0-9._ ()-]/g, '_').slice(0, 150) || FALLBACK;
  const encoded = encodeURIComponent(filename).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
