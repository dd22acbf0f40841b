import { readReply } from './reply-parser.js';

/**
 * What the agent sees first: the text without quoted history and signature (CONVENTIONS.md: strip
 * for display with a maintained library, never destructively — `text` keeps everything).
 *
 * Two steps. A cheap line scan finds where the quoted history starts for the common reply headers
 * (Gmail/Apple/Thunderbird "On ... wrote:" followed by "> " lines, in several languages; Outlook's
 * "-----Original Message-----" and its "From: / Sent: / To: / Subject:" block, which the library
 * only knows with an address in brackets) and cuts there. email-reply-parser then splits the rest
 * (remaining "> " quotes, signatures, headers in other languages). Its work grows with lines times
 * patterns, so it gets at most the first 1,000 lines / 64 KB, with lines over 400 characters
 * stood in for by a short placeholder (and put back afterwards).
 */

const SCAN_CHARS = 256 * 1024;
const SPLIT_CHARS = 64 * 1024;
const SPLIT_LINES = 1000;
const LONG_LINE = 400;
const PLACEHOLDER_PREFIX = 100;

const REPLY_START = /^[ \t]*(?:On|Am|Le|El|Il|Em|Op|Den|W dniu|Dnia|Dne)[ \t]/;
const REPLY_END = /(?:wrote|schrieb|écrit|escribió|scritto|escreveu|schreef|skrev|napisał|pisze|napsal)(?:[ \t][^\n]{0,300})?:[ \t]*$/;
const ORIGINAL_MESSAGE =
  /^[ \t]*-{2,20}[ \t]*(?:Original Message|Ursprüngliche Nachricht|Message d'origine|Mensaje original|Messaggio originale|Oorspronkelijk bericht|Originalmeddelande|Oprindelig meddelelse|Opprinnelig melding|Alkuperäinen viesti|Wiadomość oryginalna|Původní zpráva)[ \t]*-{2,20}[ \t]*$/i;
const OUTLOOK_FROM = /^[ \t]*\*?(?:From|Von|De|Van|Da|Från|Fra|Od|Lähettäjä)\*?[ \t]*:/i;
const OUTLOOK_SENT =
  /^[ \t]*\*?(?:Sent|Date|Gesendet|Datum|Envoyé|Enviado|Inviato|Verzonden|Skickat|Sendt|Wysłano|Odesláno|Lähetetty|Data)\*?[ \t]*:/i;
const OUTLOOK_FIELD =
  /^[ \t]*\*?(?:To|Cc|Subject|An|Betreff|À|Objet|Para|Asunto|A|Oggetto|Aan|Onderwerp|Till|Ämne|Til|Emne|Do|Temat|Komu|Předmět|Vastaanottaja|Aihe)\*?[ \t]*:/i;
const SEPARATOR = /^[ \t]*(?:_{10,}|-{10,})[ \t]*$/;
const QUOTED = /^[ \t]*>/;

function nextNonEmpty(lines: string[], from: number): string | null {
  for (let i = from; i < lines.length && i < from + 3; i++) if (lines[i]!.trim() !== '') return lines[i]!;
  return null;
}

/** Index of the line where quoted history starts (a reply header), or -1. */
function quoteStartLine(lines: string[]): number {
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.length > 1000) continue;
    if (ORIGINAL_MESSAGE.test(line)) return i;
    if (OUTLOOK_FROM.test(line)) {
      let sent = false;
      let fields = 0;
      for (let j = i + 1; j < lines.length && j <= i + 5; j++) {
        if (OUTLOOK_SENT.test(lines[j]!)) sent = true;
        else if (OUTLOOK_FIELD.test(lines[j]!)) fields++;
      }
      if (sent && fields >= 1) return i;
    }
    if (REPLY_START.test(line)) {
      if (REPLY_END.test(line) && QUOTED.test(nextNonEmpty(lines, i + 1) ?? '')) return i;
      // Gmail wraps a long header line: "On ... John Doe <" / "john@example.com> wrote:"
      const second = lines[i + 1];
      if (
        second !== undefined &&
        !QUOTED.test(second) &&
        second.length < 400 &&
        REPLY_END.test(second) &&
        QUOTED.test(nextNonEmpty(lines, i + 2) ?? '')
      ) {
        return i;
      }
    }
  }
  return -1;
}

/** Character offset where quoted history starts in the text, or -1 when no reply header is found. */
export function quoteStart(text: string): number {
  const lines = text.slice(0, SCAN_CHARS).split('\n');
  let index = quoteStartLine(lines);
  if (index < 0) return -1;
  // Outlook draws a line above its header block
  let above = index - 1;
  while (above >= 0 && lines[above]!.trim() === '') above--;
  if (above >= 0 && SEPARATOR.test(lines[above]!)) index = above;
  let offset = 0;
  for (let i = 0; i < index; i++) offset += lines[i]!.length + 1;
  return offset;
}

/** The reply part of a text as email-reply-parser splits it; the text itself when it hides nothing. */
function splitReply(head: string): string {
  let lines = head.split('\n');
  if (lines.length > SPLIT_LINES) lines = lines.slice(0, SPLIT_LINES);
  const long = new Map<number, string>();
  const shadow: string[] = [];
  let chars = 0;
  let blank = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.replace(/[\uE000\uE001]/g, '').trimEnd();
    chars += line.length + 1;
    if (chars > SPLIT_CHARS) break;
    // long runs of blank lines cost the library's patterns dearly and show nothing
    blank = line === '' ? blank + 1 : 0;
    if (blank > 2) continue;
    if (line.length > LONG_LINE) {
      long.set(i, line);
      shadow.push(`${line.slice(0, PLACEHOLDER_PREFIX)}\uE000${i}\uE001`);
    } else shadow.push(line);
  }
  const email = readReply(shadow.join('\n'));
  const hid = email.getFragments().some((f) => f.isQuoted() || f.isSignature());
  if (!hid) return head;
  return restore(email.getVisibleText(), long);
}

function restore(text: string, long: Map<number, string>): string {
  if (long.size === 0) return text;
  return text
    .split('\n')
    .map((line) => {
      const match = /\uE000(\d+)\uE001$/.exec(line);
      return match ? (long.get(Number(match[1])) ?? line) : line;
    })
    .join('\n');
}

/**
 * The visible part of a message text. A forward shows whole (the forwarded message is the point);
 * when stripping leaves nothing (a reply that is all quote), the whole text shows.
 */
export function visibleTextOf(text: string, forwarded: boolean, start = quoteStart(text)): string {
  const full = text.trim();
  if (full === '' || forwarded) return full;
  const head = start >= 0 ? text.slice(0, start) : text;
  if (head.trim() === '') return full;
  const visible = splitReply(head).trim();
  return visible === '' ? full : visible;
}
