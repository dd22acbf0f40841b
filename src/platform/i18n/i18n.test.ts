import { describe, expect, it } from 'vitest';
import { de } from './de.js';
import { en } from './en.js';
import { formatBytes, negotiateLocale, t } from './index.js';

describe('i18n', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(t('en', 'confirm.number', { number: '#1042' })).toBe('Your request number is #1042.');
    expect(t('de', 'confirm.number', { number: '#1042' })).toBe('Ihre Anfragenummer lautet #1042.');
    expect(t('en', 'confirm.number')).toBe('Your request number is {number}.');
  });

  it('has a German text for every English key, none empty', () => {
    expect(Object.keys(de).sort()).toEqual(Object.keys(en).sort());
    for (const value of Object.values(de)) expect(value.trim()).not.toBe('');
  });

  it('picks ?lang= first, then the best Accept-Language match, then English', () => {
    expect(negotiateLocale('de', 'en')).toBe('de');
    expect(negotiateLocale('DE-ch', undefined)).toBe('de');
    expect(negotiateLocale('xx', 'de-AT,de;q=0.9')).toBe('de');
    expect(negotiateLocale(undefined, 'fr-FR, de;q=0.8, en;q=0.9')).toBe('en');
    expect(negotiateLocale(undefined, 'fr, de;q=0.5')).toBe('de');
    expect(negotiateLocale(undefined, 'de;q=0, en;q=0.1')).toBe('en');
    expect(negotiateLocale(undefined, 'fr, it')).toBe('en');
    expect(negotiateLocale(['de'], '')).toBe('en');
  });

  it('formats sizes for people', () => {
    expect(formatBytes('en', 512)).toBe('512 bytes');
    expect(formatBytes('en', 2 * 1024 * 1024)).toBe('2 MB');
    expect(formatBytes('de', 1536)).toBe('1,5 KB');
  });
});
