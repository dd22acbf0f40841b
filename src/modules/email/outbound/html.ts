/**
 * The HTML part of outgoing mail, made from the plain text an agent wrote: everything escaped,
 * blank lines become paragraphs, single line breaks <br>, and http(s) links clickable. Nothing
 * of the text is ever interpreted as markup.
 */

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

const LINK = /\bhttps?:\/\/[^\s<>"']+/gi;
// Punctuation that ends a sentence rather than the link ("see https://x.test/a.").
const TRAILING = /[.,;:!?)\]}'"]+$/;

function linkify(line: string): string {
  let html = '';
  let last = 0;
  for (const match of line.matchAll(LINK)) {
    const start = match.index;
    let url = match[0];
    const trailing = TRAILING.exec(url)?.[0] ?? '';
    url = url.slice(0, url.length - trailing.length);
    if (url.length <= 'https://'.length) continue;
    html += escapeHtml(line.slice(last, start));
    html += `<a href="${escapeHtml(url)}">${escapeHtml(url)}</a>`;
    last = start + url.length;
  }
  return html + escapeHtml(line.slice(last));
}

/** Paragraphs and line breaks of plain text as HTML (a fragment, no document around it). */
export function textToHtmlFragment(text: string): string {
  const normalized = text.replace(/\r\n?/g, '\n').trim();
  if (normalized === '') return '';
  return normalized
    .split(/\n[ \t]*\n+/)
    .map((paragraph) => `<p style="margin:0 0 1em 0">${paragraph.split('\n').map(linkify).join('<br>\n')}</p>`)
    .join('\n');
}

/**
 * A complete HTML document for the text/html part. `footer` (plain text, e.g. the case number)
 * goes below a rule, small and grey.
 */
export function textToHtml(text: string, options: { footer?: string | undefined } = {}): string {
  const footer = options.footer?.trim()
    ? `\n<hr style="border:none;border-top:1px solid #d1d5db;margin:1.5em 0 0.75em 0">\n<p style="margin:0;color:#6b7280;font-size:12px">${linkify(options.footer.trim())}</p>`
    : '';
  return [
    '<!doctype html>',
    '<html>',
    '<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"></head>',
    '<body style="font-family:-apple-system,Segoe UI,Helvetica,Arial,sans-serif;font-size:14px;line-height:1.5;color:#111827">',
    `${textToHtmlFragment(text)}${footer}`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
