import { createRequire } from 'node:module';

/**
 * email-reply-parser (the maintained quote/signature splitter), made safe for untrusted text.
 *
 * Its quote-header patterns use `[\s\S]+` and `^\s*` with the multiline flag and run over the whole
 * text: a few kilobytes of blank lines took seconds, 32 KB of "abc. skrev x" lines took a minute
 * (catastrophic backtracking; the library only avoids it with the optional native re2). Its public
 * `setQuoteHeadersRegex` replaces them here with line-bounded equivalents: one line each, bounded
 * repetitions, alternatives checked by lookahead instead of nested `.*` groups. Every pattern keeps
 * a capture group 1 (the library's fixBrokenSignatures reads it). Its signature patterns and the
 * quote-line pattern only ever see one line; splitReply (quote-split.ts) keeps lines short.
 */

interface Fragment {
  isHidden(): boolean;
  isQuoted(): boolean;
  isSignature(): boolean;
  getContent(): string;
}

export interface ReplyEmail {
  getFragments(): Fragment[];
  getVisibleText(): string;
}

interface EmailParser {
  parse(text: string): ReplyEmail;
  setQuoteHeadersRegex(list: RegExp[]): EmailParser;
}

const requireCjs = createRequire(import.meta.url);
const EmailParserClass = requireCjs('email-reply-parser/lib/parser/emailparser') as new () => EmailParser;

const VERB_AT_END =
  '(?:wrote|écrit|escribió|scritto|escreveu|kirjoitti|pisze|napisał(?:\\(a\\))?|napsal(?:\\(a\\))?|schrieb|skrev|schreef)';

const SAFE_QUOTE_HEADERS: RegExp[] = [
  // On DATE, NAME <EMAIL> wrote:  (en, fr, es, it, pt, fi, pl, and "... schrieb:" forms)
  new RegExp(
    `^([ \\t]{0,20}-{0,20}[ \\t]{0,20}(?:On|Le|El|Il|Em|Am|Op|Den|pe|W dniu|Dnia)[ \\t][^\\n]{0,400}${VERB_AT_END}[ \\t]?:?)[ \\t]?-{0,20}$`,
    'm',
  ),
  // Am DATE schrieb NAME <EMAIL>:  /  Op DATE schreef NAME:  /  Den DATE skrev NAME:
  /^([ \t]{0,20}(?:Am|Op|Den)[ \t](?=[^\n]{0,400}[ \t](?:schrieb|schreef|skrev)[ \t])[^\n]{0,800}:)$/m,
  // NAME <EMAIL> schrieb:
  /^((?=[^\n]{0,400}<[^<>\n]{1,300}>[ \t]schrieb:$)[^\n]{1,720})$/m,
  // NAME on DATE at TIME wrote:
  /^((?=[^\n]{0,400}[ \t]on[ \t])[^\n]{1,400}wrote:)$/m,
  // DATE skrev NAME <EMAIL>:
  /^([ \t]{0,20}[a-z]{3,4}\.[ \t](?=[^\n]{0,400}[ \t]skrev[ \t])[^\n]{0,800}:)$/m,
  // 在 DATE, TIME, NAME 写道：  /  DATE TIME NAME 작성:  /  DATE TIME、NAME のメッセージ:
  /^(在[^\n]{0,400}写道：)$/m,
  /^(20[0-9]{2}\.[^\n]{0,400}[ \t]작성:)$/m,
  /^(20[0-9]{2}\/[^\n]{0,400}のメッセージ:)$/m,
  // From: NAME <EMAIL>  (and Von / De / Van / Da)
  /^([ \t]{0,20}(?:From|Von|De|Van|Da)[ \t]?:[^\n]{0,400}[[<][^\n]{0,400}[\]>])/m,
  // 20YY-MM-DD HH:II GMT+01:00 NAME <EMAIL>:
  /^(20[0-9]{2}-[0-9]{2}.[0-9]{2}.[0-9]{2}:[0-9]{2}[^\n]{0,400}>:)$/m,
  // DD.MM.20YY HH:II NAME <EMAIL>:
  /^([0-9]{2}.[0-9]{2}.20[0-9]{2}(?=[^\n]{0,400}[0-9]{2}.[0-9]{2})[^\n]{0,400}" *<[^<>\n]{1,300}> *:)$/m,
  // HH:II, DATE, NAME <EMAIL>:
  /^([0-9]{2}:[0-9]{2}(?=[^\n]{0,400}[0-9]{4})[^\n]{0,400}" *<[^<>\n]{1,300}> *:)$/,
  // DATE from NAME <EMAIL>:
  /^((?=[^\n]{0,400}[0-9]{4})(?=[^\n]{0,400}from)[^\n]{0,400}<[^<>\n]{1,300}>:)$/,
  // -----Original Message----- and its translations
  /^(-{1,12} ?(?:Original Message|Oprindelig besked|Message d'origine|Ursprüngliche Nachricht|Mensaje original|Messaggio originale|Oorspronkelijk bericht) ?-{1,12})$/im,
];

new EmailParserClass().setQuoteHeadersRegex(SAFE_QUOTE_HEADERS);

/** The library's fragments for a text (safe patterns installed above). */
export function readReply(text: string): ReplyEmail {
  return new EmailParserClass().parse(text);
}
