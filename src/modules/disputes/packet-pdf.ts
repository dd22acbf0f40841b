import { createHash } from 'node:crypto';
import { createRequire } from 'node:module';
import { formatMoney } from '../billing/money.js';
import { KIND_LABELS, reasonLabel } from './requirements.js';
import type { DisputeReason, DisputeStatus, EvidenceKind } from './schema.js';

/**
 * The evidence packet as a PDF: a cover page with the dispute's facts, a table of contents, then
 * each included item on its own pages. DejaVu Sans is embedded (the standard PDF fonts cannot
 * print Greek, Cyrillic or most accents right), and the creation date is the packet's own
 * timestamp, so the same evidence renders to the same bytes (the submission stores its hash).
 */

const require = createRequire(import.meta.url);
const FONT_REGULAR = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const FONT_BOLD = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans-Bold.ttf');

export interface PacketInput {
  dispute: {
    id: string;
    amountMinor: number;
    currency: string;
    reason: DisputeReason;
    networkReasonCode: string | null;
    status: DisputeStatus;
    evidenceDueAt: Date | null;
    externalId: string | null;
    chargeExternalId: string | null;
    createdAt: Date;
  };
  customer: { name: string; email: string | null };
  caseNumber: number | null;
  methodSummary: string | null;
  items: { kind: EvidenceKind; title: string; body: string }[];
  /** The packet's date: the newest change to the dispute or its evidence (keeps the bytes stable). */
  generatedAt: Date;
}

const MARGIN = 56;
const TOC_LINES_PER_PAGE = 32;

const stamp = (at: Date | null) => (at ? `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC` : 'not set');
/** PDF text drawing knows newlines, not tabs or other control characters. */
const printable = (text: string) => text.replace(/\t/g, '    ').replace(/(?!\n)\p{Cc}/gu, '');

export function packetFacts(input: PacketInput): [string, string][] {
  const d = input.dispute;
  const facts: [string, string][] = [
    ['Customer', input.customer.email ? `${input.customer.name} <${input.customer.email}>` : input.customer.name],
    ['Disputed amount', formatMoney(d.amountMinor, d.currency)],
    ['Reason', `${reasonLabel(d.reason)}${d.networkReasonCode ? ` (network reason code ${d.networkReasonCode})` : ''}`],
    ['Status', d.status.replace(/_/g, ' ')],
    ['Evidence due', stamp(d.evidenceDueAt)],
    ['Dispute opened', stamp(d.createdAt)],
  ];
  if (input.methodSummary) facts.push(['Payment method', input.methodSummary]);
  if (d.chargeExternalId) facts.push(['Charge', d.chargeExternalId]);
  if (d.externalId) facts.push(['Processor dispute', d.externalId]);
  if (input.caseNumber !== null) facts.push(['Support case', `#${input.caseNumber}`]);
  return facts;
}

export async function renderPacketPdf(input: PacketInput): Promise<Buffer> {
  // Loaded on first use: pdfkit and its fonts cost ~0.3 s, on every start otherwise.
  const { default: PDFDocument } = await import('pdfkit');
  const doc = new PDFDocument({
    size: 'A4',
    margin: MARGIN,
    bufferPages: true,
    info: {
      Title: `Dispute evidence ${input.dispute.externalId ?? input.dispute.id}`,
      Author: 'Baton',
      Creator: 'Baton',
      Producer: 'Baton',
      CreationDate: input.generatedAt,
    },
  });
  const chunks: Buffer[] = [];
  doc.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<void>((resolve, reject) => {
    doc.on('end', () => resolve());
    doc.on('error', reject);
  });
  doc.registerFont('regular', FONT_REGULAR);
  doc.registerFont('bold', FONT_BOLD);

  // Cover page.
  doc.font('bold').fontSize(22).text('Dispute evidence', { align: 'left' });
  doc.moveDown(0.3);
  doc
    .font('regular')
    .fontSize(11)
    .fillColor('#555555')
    .text(`Prepared ${stamp(input.generatedAt)}`);
  doc.fillColor('#000000').moveDown(1.5);
  for (const [label, value] of packetFacts(input)) {
    const y = doc.y;
    doc.font('bold').fontSize(11).text(label, MARGIN, y, { width: 140 });
    const labelBottom = doc.y;
    doc
      .font('regular')
      .fontSize(11)
      .text(printable(value), MARGIN + 150, y, { width: doc.page.width - MARGIN * 2 - 150 });
    doc.y = Math.max(doc.y, labelBottom) + 6;
  }

  // Table of contents: its pages are reserved now and written once the items' pages are known.
  const tocPages = Math.max(1, Math.ceil(input.items.length / TOC_LINES_PER_PAGE));
  const tocStart = doc.bufferedPageRange().count;
  for (let i = 0; i < tocPages; i++) doc.addPage();

  const starts: number[] = [];
  input.items.forEach((item, index) => {
    doc.addPage();
    starts.push(doc.bufferedPageRange().count);
    doc
      .font('bold')
      .fontSize(16)
      .text(printable(`${index + 1}. ${item.title}`));
    doc.font('regular').fontSize(10).fillColor('#555555').text(KIND_LABELS[item.kind]);
    doc.fillColor('#000000').moveDown(0.8);
    doc
      .font('regular')
      .fontSize(10.5)
      .text(printable(item.body) || '(empty)', { align: 'left', lineGap: 2 });
  });

  const total = doc.bufferedPageRange().count;
  for (let page = 0; page < tocPages; page++) {
    doc.switchToPage(tocStart + page);
    doc.x = MARGIN;
    doc.y = MARGIN;
    if (page === 0) doc.font('bold').fontSize(16).text('Contents').moveDown(0.8);
    const slice = input.items.slice(page * TOC_LINES_PER_PAGE, (page + 1) * TOC_LINES_PER_PAGE);
    slice.forEach((item, offset) => {
      const index = page * TOC_LINES_PER_PAGE + offset;
      const y = doc.y;
      doc
        .font('regular')
        .fontSize(11)
        .text(printable(`${index + 1}. ${item.title}`), MARGIN, y, {
          width: doc.page.width - MARGIN * 2 - 60,
          lineBreak: false,
          ellipsis: true,
        });
      doc.text(`page ${starts[index]}`, doc.page.width - MARGIN - 60, y, { width: 60, align: 'right', lineBreak: false });
      doc.y = y + 18;
    });
    if (input.items.length === 0) doc.font('regular').fontSize(11).text('No evidence items are included.', MARGIN, doc.y);
  }

  // Page numbers in the bottom margin (margin lifted so the footer does not open a new page).
  for (let page = 0; page < total; page++) {
    doc.switchToPage(page);
    const bottom = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    doc.font('regular').fontSize(8).fillColor('#777777');
    doc.text(`Page ${page + 1} of ${total}`, MARGIN, doc.page.height - MARGIN / 2 - 4, {
      width: doc.page.width - MARGIN * 2,
      align: 'center',
      lineBreak: false,
    });
    doc.fillColor('#000000');
    doc.page.margins.bottom = bottom;
  }
  doc.end();
  await done;
  return Buffer.concat(chunks);
}

export const sha256Hex = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
