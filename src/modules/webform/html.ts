/**
 * Server-rendered HTML without a template engine. Every interpolated value goes through the one
 * `escapeHtml` function unless it is already SafeHtml (built by the `html` tag itself), so
 * customer text, names and filenames can never become markup.
 */
const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

export function escapeHtml(value: unknown): string {
  return String(value).replace(/[&<>"']/g, (c) => ESCAPES[c]!);
}

export class SafeHtml {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type Interpolation = SafeHtml | string | number | boolean | null | undefined | Interpolation[];

function render(value: Interpolation): string {
  if (value instanceof SafeHtml) return value.value;
  if (value === null || value === undefined || value === false) return '';
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** Tagged template: `html\`<p>${text}</p>\`` escapes `text`; nested html fragments pass through. */
export function html(strings: TemplateStringsArray, ...values: Interpolation[]): SafeHtml {
  let out = strings[0]!;
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1]!;
  });
  return new SafeHtml(out);
}

/**
 * Text whose whitespace is content (a message body shown with `white-space: pre-wrap`, a
 * textarea's value): built outside the `html` tag so no formatter can add or drop whitespace.
 * A textarea drops one leading newline when parsed, hence the one added in front.
 */
export function preformatted(tag: 'div' | 'textarea', attributes: SafeHtml, text: string): SafeHtml {
  const lead = tag === 'textarea' ? '\n' : '';
  return new SafeHtml(`<${tag}${attributes.value}>${lead}${escapeHtml(text)}</${tag}>`);
}
