/**
 * Plain text from HTML, built from the events of the sanitizer's own parse (html.ts) so that
 * HTML-only mail is parsed once. Block elements become line breaks, paragraphs blank lines, list
 * items "- " lines, and blockquotes "> " lines, so the quote splitter recognises quoted history in
 * HTML-only replies (Gmail's gmail_quote, Apple Mail's type=cite) the way it does in plain text.
 */

const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'table', 'ul', 'ol', 'dl', 'pre', 'blockquote', 'hr', 'figure']);
const LINE = new Set([
  'div',
  'tr',
  'li',
  'dt',
  'dd',
  'address',
  'section',
  'article',
  'header',
  'footer',
  'center',
  'caption',
  'figcaption',
  'form',
  'fieldset',
  'body',
  'html',
]);
const CELL = new Set(['td', 'th']);
const MAX_QUOTE_DEPTH = 20;

export class HtmlTextBuilder {
  private readonly lines: string[] = [];
  private line = '';
  private linePrefix = '';
  private quote = 0;
  private pre = 0;

  open(tag: string): void {
    if (tag === 'br') {
      this.newline(true);
    } else if (PARAGRAPH.has(tag)) {
      this.blankLine();
      if (tag === 'blockquote') this.quote++;
      if (tag === 'pre') this.pre++;
    } else if (LINE.has(tag)) {
      this.newline(false);
      if (tag === 'li') this.append('- ');
    } else if (CELL.has(tag) && this.line !== '') {
      this.line += ' ';
    }
  }

  close(tag: string): void {
    if (PARAGRAPH.has(tag)) {
      if (tag === 'blockquote' && this.quote > 0) {
        this.newline(false);
        this.quote--;
      }
      if (tag === 'pre' && this.pre > 0) this.pre--;
      this.blankLine();
    } else if (LINE.has(tag)) {
      this.newline(false);
    }
  }

  text(value: string): void {
    if (this.pre > 0) {
      const parts = value.split(/\r?\n/);
      parts.forEach((part, i) => {
        if (i > 0) this.newline(true);
        this.append(part);
      });
      return;
    }
    const collapsed = value.replace(/\s+/g, ' ');
    this.append(this.line === '' ? collapsed.trimStart() : collapsed);
  }

  result(): string {
    this.newline(false);
    return this.lines
      .join('\n')
      .replace(/\n{3,}/g, '\n\n')
      .trim();
  }

  private append(value: string): void {
    if (value === '') return;
    if (this.line === '') this.linePrefix = '> '.repeat(Math.min(this.quote, MAX_QUOTE_DEPTH));
    this.line += value;
  }

  /** Ends the current line; `force` also ends an empty one (a `<br>` on its own is a blank line). */
  private newline(force: boolean): void {
    if (this.line === '' && !force) return;
    const line = this.line.trimEnd();
    this.lines.push(line === '' ? '' : this.linePrefix + line);
    this.line = '';
  }

  private blankLine(): void {
    this.newline(false);
    if (this.lines.length > 0 && this.lines[this.lines.length - 1] !== '') this.lines.push('');
  }
}
