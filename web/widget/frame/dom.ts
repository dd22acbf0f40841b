/** A few DOM helpers: every text goes in as textContent (never HTML). */
type Attrs = Record<string, string | boolean | undefined>;
type Child = Node | string | null | undefined | false;

export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attrs: Attrs = {}, ...children: Child[]): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) {
    if (value === undefined || value === false) continue;
    el.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) if (child) el.append(child);
  return el;
}

let ids = 0;
export const uid = (prefix: string) => `${prefix}-${++ids}`;

/** A labelled field: the label, the control, and a message slot referenced by aria-describedby. */
export function field(label: string, control: HTMLInputElement | HTMLTextAreaElement): { wrap: HTMLElement; error: HTMLElement } {
  const id = control.id || uid('f');
  control.id = id;
  const error = h('p', { class: 'bc-field-error', id: `${id}-error` });
  error.hidden = true;
  const wrap = h('div', { class: 'bc-field' }, h('label', { for: id }, label), control, error);
  return { wrap, error };
}

export function showFieldError(control: HTMLInputElement | HTMLTextAreaElement, error: HTMLElement, text: string | null): void {
  error.textContent = text ?? '';
  error.hidden = !text;
  if (text) {
    control.setAttribute('aria-invalid', 'true');
    control.setAttribute('aria-describedby', error.id);
    control.focus();
  } else {
    control.removeAttribute('aria-invalid');
    control.removeAttribute('aria-describedby');
  }
}

/** Black or white text, whichever reads better on the site colour (WCAG relative luminance). */
export function textOn(hex: string): string {
  const m = /^#([0-9a-f]{2})([0-9a-f]{2})([0-9a-f]{2})$/i.exec(hex);
  if (!m) return '#fff';
  const lin = (v: string) => {
    const c = parseInt(v, 16) / 255;
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  };
  const l = 0.2126 * lin(m[1]!) + 0.7152 * lin(m[2]!) + 0.0722 * lin(m[3]!);
  return (l + 0.05) / 0.05 > 1.05 / (l + 0.05) ? '#000' : '#fff';
}

export const safeUrl = (url: string) => url.startsWith('/') || /^https?:\/\//i.test(url);
