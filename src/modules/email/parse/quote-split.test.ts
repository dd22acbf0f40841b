import { describe, expect, it } from 'vitest';
import { quoteStart, visibleTextOf } from './quote-split.js';

describe('visibleTextOf', () => {
  it('cuts Gmail quoted history, also with the header wrapped over two lines', () => {
    const text = 'Thanks!\n\nOn Tue, Mar 5, 2024 at 10:00 AM Support <support@example.com> wrote:\n\n> Hello\n> there\n';
    expect(visibleTextOf(text, false)).toBe('Thanks!');
    const wrapped = 'Thanks!\n\nOn Tue, Mar 5, 2024 at 10:00 AM Support Team <\nsupport@example.com> wrote:\n> Hello\n';
    expect(visibleTextOf(wrapped, false)).toBe('Thanks!');
  });

  it('cuts Outlook header blocks without "> " quoting', () => {
    const text =
      'New answer.\n\n________________________________\nFrom: Support\nSent: Tuesday, March 5, 2024 10:00\nTo: Peter\nSubject: Re: x\n\nOld text\n';
    expect(visibleTextOf(text, false)).toBe('New answer.');
    const original = 'New answer.\n-----Original Message-----\nFrom: Support [mailto:s@example.com]\nSent: Monday\n\nOld text\n';
    expect(visibleTextOf(original, false)).toBe('New answer.');
    const german =
      'Neue Antwort.\n\nVon: Support <s@example.com>\nGesendet: Montag, 4. März 2024 10:00\nAn: Peter\nBetreff: AW: x\n\nAlter Text\n';
    expect(visibleTextOf(german, false)).toBe('Neue Antwort.');
  });

  it('does not take ordinary sentences for reply headers', () => {
    const text = 'On Monday I wrote: the invoice is wrong.\nFrom: Berlin to Paris\nThat is all.';
    expect(visibleTextOf(text, false)).toBe(text);
    expect(quoteStart('On Monday somebody wrote:\nno quote follows\n')).toBe(-1);
  });

  it('strips a signature and keeps inline text that the library keeps', () => {
    expect(visibleTextOf('Please cancel.\n\n-- \nJohn\nACME', false)).toBe('Please cancel.');
  });

  it('shows the whole text for forwards and for replies that are all quote', () => {
    const forward = 'FYI\n\n---------- Forwarded message ---------\nFrom: A <a@example.com>\n\nold';
    expect(visibleTextOf(forward, true)).toBe(forward);
    const allQuote = 'On Tue, Mar 5, 2024 at 10:00 AM Support <s@example.com> wrote:\n> only a quote\n';
    expect(visibleTextOf(allQuote, false)).toBe(allQuote.trim());
    expect(visibleTextOf('   ', false)).toBe('');
  });

  it('keeps long lines whole', () => {
    const long = 'word '.repeat(200).trim();
    expect(visibleTextOf(`${long}\n\n-- \nsig`, false)).toBe(long);
  });

  it('stays fast on text built to make the quote patterns backtrack', () => {
    const inputs = [
      '\n'.repeat(64_000),
      ' \n'.repeat(32_000),
      'abc. skrev x\n'.repeat(5_000),
      'Op x\n'.repeat(13_000),
      '在 x\n'.repeat(16_000),
      `x${'>'.repeat(60_000)}`,
      `In data ${'a '.repeat(30_000)}`,
      'On a b\n'.repeat(9_000),
      `${'2020 from <'.repeat(5_000)}\n`,
      `Am ${' schrieb <x>'.repeat(5_000)}`,
      `Hi\n\n${'> quoted line\n'.repeat(20_000)}`,
    ];
    for (const input of inputs) {
      const started = performance.now();
      visibleTextOf(input, false);
      expect(performance.now() - started, JSON.stringify(input.slice(0, 20))).toBeLessThan(1500);
    }
  });
});
