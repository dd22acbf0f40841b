import { describe, expect, it } from 'vitest';
import { decodeBytes, decodeEncodedWords, decodeQuotedPrintable, decodeRawHeader, decodeTransfer } from './charset.js';

describe('decodeBytes', () => {
  it('decodes windows-1252 and its WHATWG aliases with the real table (not ISO-8859-1)', () => {
    const bytes = Buffer.from([0x80, 0x20, 0x93, 0x61, 0x94, 0x20, 0x96, 0x85, 0xe9]);
    for (const label of ['windows-1252', 'cp1252', 'iso-8859-1', 'latin1', 'us-ascii', 'x-unknown']) {
      expect(decodeBytes(bytes, label), label).toBe('€ “a” –…é');
    }
  });

  it('uses WHATWG labels for other charsets', () => {
    expect(decodeBytes(Buffer.from([0xf0, 0xd2, 0xc9, 0xd7, 0xc5, 0xd4]), 'KOI8-R')).toBe('Привет');
    expect(decodeBytes(Buffer.from([0x93, 0xfa, 0x96, 0x7b]), 'Shift_JIS')).toBe('日本');
    expect(decodeBytes(Buffer.from([0x93, 0xfa, 0x96, 0x7b]), 'cp932')).toBe('日本');
    expect(decodeBytes(Buffer.from([0xc4, 0xe3]), 'gb2312')).toBe('你');
  });

  it('falls back to windows-1252 for unknown labels and invalid UTF-8, never throws', () => {
    expect(decodeBytes(Buffer.from('Stra\xdfe', 'latin1'), 'x-unknown-charset')).toBe('Straße');
    expect(decodeBytes(Buffer.from('Stra\xdfe', 'latin1'), 'utf-8')).toBe('Straße');
    expect(decodeBytes(Buffer.from('Straße'), 'utf-8')).toBe('Straße');
    expect(decodeBytes(Buffer.from('Straße'), null)).toBe('Straße');
    expect(decodeBytes(Buffer.from('Straße'), 'us-ascii')).toBe('Straße');
    // quoted labels and RFC 2231 language suffixes are understood
    expect(decodeBytes(Buffer.from([0x41, 0x00, 0x42, 0x00]), '"utf-16le"*en')).toBe('AB');
  });

  it('refuses UTF-7 (it can hide markup) and reads the bytes as they are', () => {
    expect(decodeBytes(Buffer.from('+ADw-script+AD4-'), 'utf-7')).toBe('+ADw-script+AD4-');
  });
});

describe('decodeEncodedWords', () => {
  it('decodes Q and B words in any charset and joins adjacent words', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?Gr=C3=BC=C3=9Fe?= =?ISO-8859-1?B?IGF1cyBL9mxu?=')).toBe('Grüße aus Köln');
    expect(decodeEncodedWords('Re: =?utf-8?q?caf=C3=A9?= ok')).toBe('Re: café ok');
  });

  it('joins a multi-byte character split across two words', () => {
    expect(decodeEncodedWords('=?UTF-8?Q?=E6=97?= =?UTF-8?Q?=A5?=')).toBe('日');
    expect(decodeEncodedWords('=?UTF-8?B?w6Q=?=\r\n =?UTF-8?B?w7Y=?=')).toBe('äö');
  });

  it('keeps the space between a word and plain text, and tolerates broken words', () => {
    expect(decodeEncodedWords('a =?utf-8?q?b?= c')).toBe('a b c');
    expect(decodeEncodedWords('=?utf-8?q?unterminated')).toBe('=?utf-8?q?unterminated');
    expect(decodeEncodedWords('=?x-unknown?Q?abc=E9?=')).toBe('abcé');
    expect(decodeEncodedWords('=?utf-8*en?Q?hi?=')).toBe('hi');
  });
});

describe('decodeRawHeader', () => {
  it('keeps ASCII, reads valid UTF-8 as UTF-8 and other 8-bit bytes in the fallback charset', () => {
    expect(decodeRawHeader('plain')).toBe('plain');
    expect(decodeRawHeader(Buffer.from('Grüße').toString('latin1'))).toBe('Grüße');
    expect(decodeRawHeader(Buffer.from([0x47, 0x72, 0xfc, 0xdf, 0x65]).toString('latin1'), 'iso-8859-1')).toBe('Grüße');
    expect(decodeRawHeader(Buffer.from([0xf0, 0xd2, 0xc9]).toString('latin1'), 'koi8-r')).toBe('При');
  });
});

describe('transfer decoding', () => {
  it('decodes quoted-printable with soft line breaks and keeps malformed escapes', () => {
    expect(decodeQuotedPrintable(Buffer.from('a=3Db=\r\nc =\nd=ZZ=4')).toString('latin1')).toBe('a=bc d=ZZ=4');
    expect(decodeTransfer(Buffer.from('aGVsbG8=\r\nIHdvcmxk'), 'Base64').toString()).toBe('hello world');
    expect(decodeTransfer(Buffer.from('raw'), '8bit').toString()).toBe('raw');
  });
});
