import { parseStructured } from './mime-params.js';
import type { MailLimits, QuarantineCode } from './parsed-mail.js';

/**
 * The pre-scan that runs before the MIME parser (CONVENTIONS.md, parser limits): one linear pass
 * over the raw bytes that follows the MIME structure just far enough to measure it (header block
 * size and field count, nesting depth, part count, parameters per structured header) and stops at
 * the first limit crossed, with a reason a person can act on. It also hands back what it saw on the
 * way (the top-level header fields, and per part its type, charset, encoding and byte range),
 * which the parser uses for headers, bounces and charset recovery.
 */

export interface HeaderField {
  /** Lower-cased field name. */
  name: string;
  /** The value as read off the wire (one latin1 character per byte), unfolded, untrimmed. */
  value: string;
}

export interface MimeEntity {
  /** Index of the enclosing multipart or message entity, -1 for the message itself. */
  parent: number;
  /** Containers (multiparts, embedded messages) around this entity; 0 for the message itself. */
  depth: number;
  /** Lower-cased `type/subtype`; '' when the entity declares none (text/plain by default). */
  contentType: string;
  charset: string | null;
  reportType: string | null;
  /** Lower-cased Content-Transfer-Encoding, '' when absent. */
  transferEncoding: string;
  /** Lower-cased Content-Disposition value, '' when absent. */
  disposition: string;
  /** Byte range of the body in the raw message (an embedded message's body is the whole message). */
  bodyStart: number;
  bodyEnd: number;
}

export interface MimeScan {
  /** Top-level header fields in order. */
  headers: HeaderField[];
  entities: MimeEntity[];
}

export type MimeScanResult = { ok: true; scan: MimeScan } | { ok: false; code: QuarantineCode; reason: string };

const TRACKED = new Set(['content-type', 'content-transfer-encoding', 'content-disposition']);
// A field name: printable ASCII without space and colon (RFC 5322 ftext).
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
const EMBEDDED_ENCODINGS = new Set(['', '7bit', '8bit', 'binary']);

interface Container {
  /** `--boundary` without the dashes, as bytes; null for an embedded message. */
  boundary: Buffer | null;
  entity: number;
}

/** A limit crossed; thrown inside the scan to leave it at once, caught and returned by scanMime. */
class Violation extends Error {
  constructor(
    readonly code: QuarantineCode,
    readonly reason: string,
  ) {
    super(reason);
  }
}

function partName(index: number): string {
  return index === 0 ? 'the message' : `MIME part ${index}`;
}

class Scanner {
  private readonly entities: MimeEntity[] = [];
  private readonly containers: Container[] = [];
  private readonly topHeaders: HeaderField[] = [];
  /** The entity whose header block is being read, or -1 while reading a body. */
  private head = -1;
  private headFields: HeaderField[] = [];
  private headBytes = 0;
  private headCount = 0;
  /** The leaf entity whose body is being read, or -1. */
  private body = -1;

  constructor(
    private readonly raw: Buffer,
    private readonly limits: MailLimits,
  ) {}

  run(): MimeScan {
    const { raw } = this;
    this.open(-1, 0);
    let pos = 0;
    let prevEol = 0;
    while (pos < raw.length) {
      const nl = raw.indexOf(0x0a, pos);
      const lineEnd = nl < 0 ? raw.length : nl;
      const next = nl < 0 ? raw.length : nl + 1;
      const contentEnd = lineEnd > pos && raw[lineEnd - 1] === 0x0d ? lineEnd - 1 : lineEnd;
      if (raw[pos] === 0x2d && raw[pos + 1] === 0x2d && this.containers.length > 0) {
        const hit = this.matchBoundary(pos + 2, contentEnd);
        if (hit) {
          this.onBoundary(hit.level, hit.close, Math.max(pos - prevEol, 0));
          prevEol = next - contentEnd;
          pos = next;
          continue;
        }
      }
      if (this.head >= 0) {
        if (contentEnd === pos) this.finishHead(next);
        else this.headerLine(pos, contentEnd, next - pos);
      }
      prevEol = next - contentEnd;
      pos = next;
    }
    while (this.head >= 0) this.finishHead(raw.length);
    for (const entity of this.entities) {
      if (entity.bodyEnd < 0) entity.bodyEnd = raw.length;
      // a delimiter right after the header block leaves an empty body, not a negative one
      if (entity.bodyEnd < entity.bodyStart) entity.bodyEnd = entity.bodyStart;
    }
    return { headers: this.topHeaders, entities: this.entities };
  }

  private open(parent: number, start: number): void {
    const index = this.entities.length;
    if (index + 1 > this.limits.maxParts) {
      throw new Violation('mail.too_many_parts', `MIME part count ${index + 1} exceeds the limit of ${this.limits.maxParts}`);
    }
    this.entities.push({
      parent,
      depth: this.containers.length,
      contentType: '',
      charset: null,
      reportType: null,
      transferEncoding: '',
      disposition: '',
      bodyStart: start,
      bodyEnd: -1,
    });
    this.head = index;
    this.headFields = [];
    this.headBytes = 0;
    this.headCount = 0;
    this.body = -1;
  }

  private headerLine(start: number, end: number, bytes: number): void {
    const top = this.head === 0;
    this.headBytes += bytes;
    if (!top && this.headBytes > this.limits.maxHeaderBytes) {
      throw new Violation(
        'mail.header_too_large',
        `Header block of ${partName(this.head)} is larger than the limit of ${this.limits.maxHeaderBytes} bytes`,
      );
    }
    const first = this.raw[start];
    const fields = top ? this.topHeaders : this.headFields;
    if (first === 0x20 || first === 0x09) {
      // folded continuation of the previous field (ignored once the block is over its limits)
      const last = fields[fields.length - 1];
      if (last && this.headBytes <= this.limits.maxHeaderBytes) last.value += this.raw.toString('latin1', start, end);
      return;
    }
    this.headCount++;
    if (top && (this.headBytes > this.limits.maxHeaderBytes || this.headCount > this.limits.maxHeaderCount)) {
      // keep measuring to the end of the block for an exact reason, but stop keeping fields
      return;
    }
    const colon = this.raw.indexOf(0x3a, start);
    if (colon < 0 || colon >= end) return;
    const name = this.raw.toString('latin1', start, colon).trimEnd().toLowerCase();
    if (!FIELD_NAME.test(name)) return;
    if (!top && !TRACKED.has(name)) {
      fields.push({ name: '', value: '' }); // a continuation of an untracked field must not extend a tracked one
      return;
    }
    fields.push({ name, value: this.raw.toString('latin1', colon + 1, end) });
  }

  private finishHead(bodyStart: number): void {
    const index = this.head;
    const entity = this.entities[index]!;
    this.head = -1;
    entity.bodyStart = bodyStart;
    if (index === 0) {
      if (this.headBytes > this.limits.maxHeaderBytes) {
        throw new Violation(
          'mail.header_too_large',
          `Header block of ${this.headBytes} bytes exceeds the limit of ${this.limits.maxHeaderBytes} bytes`,
        );
      }
      if (this.headCount > this.limits.maxHeaderCount) {
        throw new Violation(
          'mail.too_many_headers',
          `Header field count ${this.headCount} exceeds the limit of ${this.limits.maxHeaderCount}`,
        );
      }
    }
    const fields = index === 0 ? this.topHeaders : this.headFields;
    let boundary: string | null = null;
    for (const field of fields) {
      if (field.name === 'content-type' && entity.contentType === '') {
        const parsed = this.structured(field, index);
        entity.contentType = parsed.value;
        entity.charset = parsed.params.get('charset')?.trim() || null;
        entity.reportType = parsed.params.get('report-type')?.trim().toLowerCase() || null;
        boundary = parsed.params.get('boundary') ?? null;
      } else if (field.name === 'content-disposition' && entity.disposition === '') {
        entity.disposition = this.structured(field, index).value;
      } else if (field.name === 'content-transfer-encoding' && entity.transferEncoding === '') {
        entity.transferEncoding = field.value.trim().toLowerCase();
      }
    }
    this.headFields = [];
    if (entity.contentType.startsWith('multipart/') && boundary) {
      // the preamble belongs to no part; the multipart's body ends with its closing delimiter
      this.push({ boundary: Buffer.from(boundary, 'latin1'), entity: index });
    } else if (
      (entity.contentType === 'message/rfc822' || entity.contentType === 'message/global') &&
      EMBEDDED_ENCODINGS.has(entity.transferEncoding)
    ) {
      // the body is a message of its own: its header block starts right here
      this.push({ boundary: null, entity: index });
      this.open(index, bodyStart);
    } else {
      this.body = index;
    }
  }

  private structured(field: HeaderField, index: number): ReturnType<typeof parseStructured> {
    const parsed = parseStructured(field.value);
    if (parsed.count > this.limits.maxParameters) {
      const name = field.name === 'content-type' ? 'Content-Type' : 'Content-Disposition';
      throw new Violation(
        'mail.too_many_parameters',
        `${name} header of ${partName(index)} has ${parsed.count} parameters, over the limit of ${this.limits.maxParameters}`,
      );
    }
    return parsed;
  }

  private push(container: Container): void {
    this.containers.push(container);
    if (this.containers.length > this.limits.maxMimeDepth) {
      throw new Violation(
        'mail.mime_too_deep',
        `MIME nesting depth ${this.containers.length} exceeds the limit of ${this.limits.maxMimeDepth}`,
      );
    }
  }

  /** `--boundary` or `--boundary--` (trailing whitespace allowed) of any open multipart, innermost first. */
  private matchBoundary(start: number, end: number): { level: number; close: boolean } | null {
    const { raw } = this;
    for (let level = this.containers.length - 1; level >= 0; level--) {
      const boundary = this.containers[level]!.boundary;
      if (!boundary || end - start < boundary.length) continue;
      if (raw.compare(boundary, 0, boundary.length, start, start + boundary.length) !== 0) continue;
      let rest = start + boundary.length;
      let close = false;
      if (rest + 2 <= end && raw[rest] === 0x2d && raw[rest + 1] === 0x2d) {
        close = true;
        rest += 2;
      }
      let onlySpace = true;
      for (let i = rest; i < end; i++) {
        if (raw[i] !== 0x20 && raw[i] !== 0x09) {
          onlySpace = false;
          break;
        }
      }
      if (onlySpace) return { level, close };
    }
    return null;
  }

  private onBoundary(level: number, close: boolean, end: number): void {
    // a part that ended inside its header block has headers and an empty body (an embedded
    // message declared there opens one more, equally empty, entity)
    while (this.head >= 0) {
      const open = this.head;
      this.finishHead(end);
      this.entities[open]!.bodyEnd = end;
    }
    if (this.body >= 0 && this.entities[this.body]!.bodyEnd < 0) this.entities[this.body]!.bodyEnd = end;
    // close every container inside the one this delimiter belongs to
    while (this.containers.length > level + 1) {
      const inner = this.entities[this.containers.pop()!.entity]!;
      if (inner.bodyEnd < 0) inner.bodyEnd = end;
    }
    const owner = this.containers[level]!;
    this.body = -1;
    if (close) {
      this.containers.pop();
      const entity = this.entities[owner.entity]!;
      if (entity.bodyEnd < 0) entity.bodyEnd = end;
      // epilogue: belongs to no part we keep
      return;
    }
    this.open(owner.entity, end);
  }
}

/**
 * Measures the raw message against the limits; on success returns its outline. Linear in the size
 * of the message (boundaries are only compared on lines that start with `--`).
 */
export function scanMime(raw: Buffer, limits: MailLimits): MimeScanResult {
  if (raw.length > limits.maxBytes) {
    return { ok: false, code: 'mail.too_large', reason: `Message size ${raw.length} bytes exceeds the limit of ${limits.maxBytes} bytes` };
  }
  try {
    return { ok: true, scan: new Scanner(raw, limits).run() };
  } catch (error) {
    if (error instanceof Violation) return { ok: false, code: error.code, reason: error.reason };
    throw error;
  }
}
