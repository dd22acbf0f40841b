import sanitizeHtml from 'sanitize-html';
import { HtmlTextBuilder } from './html-text.js';
import { cleanText } from './text-clean.js';

/**
 * Email HTML through an allowlist sanitizer (sanitize-html; CONVENTIONS.md: never regexes):
 * basic formatting, tables, links (http, https, mailto; opened in a new tab without referrer)
 * and images (http, https, data:image, cid:) survive; scripts, styles sheets, frames, forms,
 * event handlers and other URL schemes do not. Inline `style` attributes are kept only for a
 * short list of layout and typography properties with plain values (no url(), no expression()).
 * The result is rendered in a sandboxed iframe with a strict CSP; this is the first line of defence.
 */

// prettier-ignore
const ALLOWED_TAGS = [
  'a', 'abbr', 'address', 'article', 'b', 'bdi', 'big', 'blockquote', 'br', 'caption', 'center', 'cite', 'code', 'col',
  'colgroup', 'dd', 'del', 'dfn', 'div', 'dl', 'dt', 'em', 'figcaption', 'figure', 'font', 'footer', 'h1', 'h2', 'h3',
  'h4', 'h5', 'h6', 'header', 'hr', 'i', 'img', 'ins', 'kbd', 'li', 'mark', 'ol', 'p', 'pre', 'q', 's', 'samp',
  'section', 'small', 'span', 'strike', 'strong', 'sub', 'sup', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr',
  'tt', 'u', 'ul', 'var', 'wbr',
];

const CELL_ATTRIBUTES = ['colspan', 'rowspan', 'align', 'valign', 'width', 'height', 'bgcolor'];
const ALLOWED_ATTRIBUTES: Record<string, string[]> = {
  '*': ['style', 'dir', 'lang', 'title', 'align'],
  a: ['href', 'target', 'rel'],
  img: ['src', 'alt', 'width', 'height'],
  table: ['border', 'cellpadding', 'cellspacing', 'width', 'height', 'bgcolor'],
  td: CELL_ATTRIBUTES,
  th: CELL_ATTRIBUTES,
  tr: ['valign', 'bgcolor'],
  col: ['span', 'width'],
  colgroup: ['span', 'width'],
  font: ['color', 'face', 'size'],
  ol: ['start', 'type'],
  ul: ['type'],
  li: ['value'],
};
// Kept so the agent UI can fold quoted history; class names carry no behaviour in the sandbox.
const ALLOWED_CLASSES: Record<string, string[]> = {
  div: ['gmail_quote', 'gmail_attr', 'gmail_signature', 'moz-cite-prefix'],
  blockquote: ['gmail_quote'],
};

// prettier-ignore
const STYLE_PROPERTIES = new Set([
  'color', 'background-color', 'font-family', 'font-size', 'font-weight', 'font-style', 'font-variant', 'text-align',
  'text-decoration', 'text-indent', 'text-transform', 'line-height', 'letter-spacing', 'word-spacing', 'white-space',
  'vertical-align', 'direction', 'width', 'height', 'max-width', 'min-width', 'max-height', 'min-height', 'margin',
  'margin-top', 'margin-right', 'margin-bottom', 'margin-left', 'padding', 'padding-top', 'padding-right',
  'padding-bottom', 'padding-left', 'border', 'border-top', 'border-right', 'border-bottom', 'border-left',
  'border-color', 'border-style', 'border-width', 'border-collapse', 'border-spacing', 'border-radius',
  'list-style-type', 'table-layout',
]);
// Plain CSS values: words, numbers, units, colours, quoted font names; functions only rgb()/hsl().
const STYLE_VALUE = /^(?:[-#\w\s.,%'"!+/]|(?:rgba?|hsla?)\([\d\s.,%/]*\))*$/i;
const DATA_IMAGE = /^data:image\/(?:png|gif|jpeg|jpg|webp|bmp);base64,/i;
// What browsers ignore before a URL scheme (naughtyHref in sanitize-html strips the same).
// eslint-disable-next-line no-control-regex
const URL_NOISE = /[\u0000-\u0020]+/g;
// Intake keeps at most 2,000,000 characters of HTML: sanitizing more than that is wasted time.
const MAX_HTML_CHARS = 2_000_000;

/** The declarations of a style attribute that are on the allowlist, or '' when none is. */
function filterStyle(style: string): string {
  if (style.length > 4000) return '';
  const kept: string[] = [];
  for (const declaration of style.split(';')) {
    const colon = declaration.indexOf(':');
    if (colon < 0) continue;
    const property = declaration.slice(0, colon).trim().toLowerCase();
    const value = declaration.slice(colon + 1).trim();
    if (!STYLE_PROPERTIES.has(property) || value === '' || value.length > 200 || !STYLE_VALUE.test(value)) continue;
    kept.push(`${property}: ${value}`);
  }
  return kept.join('; ');
}

function urlOf(value: string | undefined): string {
  return (value ?? '').replace(URL_NOISE, '');
}

type Attributes = Record<string, string>;

interface PassState {
  cids: Set<string>;
  remoteImages: boolean;
  resolve: ((cid: string) => string | null) | null;
}

function options(state: PassState, text: HtmlTextBuilder | null): sanitizeHtml.IOptions {
  return {
    allowedTags: ALLOWED_TAGS,
    allowedAttributes: ALLOWED_ATTRIBUTES,
    allowedClasses: ALLOWED_CLASSES,
    allowedSchemes: ['http', 'https', 'mailto'],
    allowedSchemesByTag: { img: ['http', 'https', 'data', 'cid'] },
    allowProtocolRelative: false,
    // postcss is slow and allowlisting needs no CSS parser: filterStyle does it per declaration
    parseStyleAttributes: false,
    disallowedTagsMode: 'discard',
    // an image left without a source (refused URL, unresolved cid:) goes altogether
    exclusiveFilter: (frame) => frame.tag === 'img' && !frame.attribs.src,
    nonTextTags: ['script', 'style', 'textarea', 'option', 'title', 'noscript', 'template', 'iframe', 'object', 'svg', 'math'],
    transformTags: {
      a: (tagName: string, attribs: Attributes) => {
        const href = urlOf(attribs.href);
        const out: Attributes = { ...attribs };
        delete out.href;
        delete out.target;
        delete out.rel;
        if (/^(?:https?:|mailto:)/i.test(href)) {
          out.href = attribs.href!.trim();
          out.target = '_blank';
          out.rel = 'noopener noreferrer';
        }
        return { tagName, attribs: out };
      },
      img: (tagName: string, attribs: Attributes) => {
        const src = urlOf(attribs.src);
        let out = attribs.src?.trim() ?? '';
        if (/^cid:/i.test(src)) {
          const cid = safeDecode(src.slice(4)).replace(/^<|>$/g, '');
          if (state.resolve) {
            const url = state.resolve(cid);
            if (url === null) return { tagName, attribs: {} };
            out = url;
            if (/^https?:/i.test(urlOf(url))) state.remoteImages = true;
          } else {
            state.cids.add(cid);
          }
        } else if (/^https?:/i.test(src)) {
          state.remoteImages = true;
        } else if (!DATA_IMAGE.test(src)) {
          return { tagName, attribs: {} };
        }
        return { tagName, attribs: { ...attribs, src: out } };
      },
      '*': (tagName: string, attribs: Attributes) => {
        if (attribs.style === undefined) return { tagName, attribs };
        const style = filterStyle(attribs.style);
        const out: Attributes = { ...attribs };
        if (style === '') delete out.style;
        else out.style = style;
        return { tagName, attribs: out };
      },
    },
    ...(text
      ? {
          onOpenTag: (name: string) => text.open(name),
          onCloseTag: (name: string) => text.close(name),
          textFilter: (escaped: string) => {
            text.text(unescapeText(escaped));
            return escaped;
          },
        }
      : {}),
  };
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

/** The sanitizer hands text to textFilter HTML-escaped (only &, < and > are). */
function unescapeText(escaped: string): string {
  return escaped.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

// hasRemoteImages is asked about HTML this module just produced (processing right after parsing,
// display right after rewriting cid: sources): remember the answer for the last few strings.
const REMOTE_MEMO_SIZE = 16;
const REMOTE_MEMO_MAX_CHARS = 256 * 1024;
const remoteMemo = new Map<string, boolean>();

function remember(html: string, remote: boolean): void {
  if (html.length > REMOTE_MEMO_MAX_CHARS) return;
  if (remoteMemo.size >= REMOTE_MEMO_SIZE) remoteMemo.delete(remoteMemo.keys().next().value!);
  remoteMemo.set(html, remote);
}

export interface SanitizedMailHtml {
  html: string;
  /** The text of the HTML (only when asked for). */
  text: string | null;
  /** Content-IDs the HTML shows as `cid:` images. */
  cids: Set<string>;
  remoteImages: boolean;
}

/** One sanitizer pass that also yields the text (for HTML-only mail) and the `cid:` references. */
export function sanitizeMailHtml(html: string, withText: boolean): SanitizedMailHtml {
  const state: PassState = { cids: new Set(), remoteImages: false, resolve: null };
  const builder = withText ? new HtmlTextBuilder() : null;
  const input = cleanText(html.length > MAX_HTML_CHARS ? html.slice(0, MAX_HTML_CHARS) : html);
  const clean = sanitizeHtml(input, options(state, builder));
  remember(clean, state.remoteImages);
  return { html: clean, text: builder ? cleanText(builder.result()) : null, cids: state.cids, remoteImages: state.remoteImages };
}

export function sanitizeEmailHtml(html: string): string {
  return sanitizeMailHtml(html, false).html;
}

/**
 * Points `cid:` images at the URLs `resolve` gives for their Content-ID (without angle brackets);
 * an image whose Content-ID resolves to null is dropped. The HTML goes through the same allowlist.
 */
export function rewriteCidSources(html: string, resolve: (cid: string) => string | null): string {
  const state: PassState = { cids: new Set(), remoteImages: false, resolve };
  const out = sanitizeHtml(cleanText(html), options(state, null));
  remember(out, state.remoteImages);
  return out;
}

/** Whether the HTML loads images from the network (http/https), which the UI blocks until allowed. */
export function hasRemoteImages(html: string): boolean {
  const known = remoteMemo.get(html);
  if (known !== undefined) return known;
  let remote = false;
  sanitizeHtml(html, {
    allowedTags: [],
    allowedAttributes: {},
    onOpenTag: (name: string, attribs: Attributes) => {
      if (name === 'img' && /^(?:https?:|\/\/)/i.test(urlOf(attribs.src))) remote = true;
    },
  });
  return remote;
}

/** Plain text of an HTML body (block elements as lines, blockquotes as "> " lines). */
export function htmlToText(html: string): string {
  return sanitizeMailHtml(html, true).text ?? '';
}

/**
 * Whether the HTML nests elements deeper than `max`, in one linear pass of indexOf calls (no
 * parser), following what the HTML parser builds: a start tag opens an element, an end tag closes
 * down to the nearest open element of its name and is ignored otherwise. Void elements and those
 * closed implicitly by a sibling (p, li, td...) do not open a level. Deeply nested markup costs the
 * sanitizer far more than its size suggests.
 */
export function htmlNestingExceeds(html: string, max: number): boolean {
  const stack: string[] = [];
  const open = new Map<string, number>();
  let i = html.indexOf('<');
  while (i >= 0) {
    if (html.startsWith('<!--', i)) {
      const end = html.indexOf('-->', i + 4);
      if (end < 0) return false;
      i = html.indexOf('<', end + 3);
      continue;
    }
    const closing = html.charCodeAt(i + 1) === 0x2f;
    let j = closing ? i + 2 : i + 1;
    const start = j;
    while (j < html.length && isTagNameChar(html.charCodeAt(j))) j++;
    if (j > start) {
      const name = html.slice(start, j).toLowerCase();
      if (!VOID_OR_IMPLIED.has(name)) {
        if (!closing) {
          stack.push(name);
          open.set(name, (open.get(name) ?? 0) + 1);
          if (stack.length > max) return true;
        } else if (open.get(name)) {
          let popped: string | undefined;
          do {
            popped = stack.pop()!;
            open.set(popped, open.get(popped)! - 1);
          } while (popped !== name);
        }
      }
    }
    i = html.indexOf('<', j);
  }
  return false;
}

function isTagNameChar(code: number): boolean {
  return (
    (code >= 0x61 && code <= 0x7a) || (code >= 0x41 && code <= 0x5a) || (code >= 0x30 && code <= 0x39) || code === 0x2d || code === 0x3a
  );
}

// prettier-ignore
const VOID_OR_IMPLIED = new Set([
  'area', 'base', 'br', 'col', 'embed', 'hr', 'img', 'input', 'link', 'meta', 'param', 'source', 'track', 'wbr',
  'p', 'li', 'dt', 'dd', 'option', 'optgroup', 'tr', 'td', 'th', 'thead', 'tbody', 'tfoot', 'rt', 'rp',
]);
