// The return date read as the page's language writes it, whatever the browser's locale. Pure.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../../protocol/languages.js';
import { DATE_FORMATS, readDate } from './dates.js';

describe('the return date in the page language', () => {
  it('reads Swedish year first, Danish day first, English year first', () => {
    expect(readDate('2027-01-12', 'sv')).toBe('2027-01-12');
    expect(readDate('2027-1-7', 'sv')).toBe('2027-01-07');
    expect(readDate('12-01-2027', 'da')).toBe('2027-01-12');
    expect(readDate('12.1.2027', 'da')).toBe('2027-01-12');
    expect(readDate('2027-01-12', 'da')).toBe('2027-01-12');
    expect(readDate(' 2027-01-12 ', 'en')).toBe('2027-01-12');
    for (const lang of LANGUAGES) expect(readDate('', lang)).toBe('');
  });

  it('refuses what is no date, or is one only in another country (07/01 is not read as July or January)', () => {
    expect(readDate('12-01-2027', 'sv')).toBeNull();
    expect(readDate('01/12/2027', 'en')).toBeNull();
    expect(readDate('2027-02-30', 'sv')).toBeNull();
    expect(readDate('31-04-2027', 'da')).toBeNull();
    expect(readDate('måndag', 'sv')).toBeNull();
  });

  it('reads back every date as its language writes it, and as ISO', () => {
    fc.assert(
      fc.property(
        fc.date({ min: new Date('2000-01-01'), max: new Date('2099-12-31'), noInvalidDate: true }),
        fc.constantFrom(...LANGUAGES),
        (date, lang) => {
          const iso = date.toISOString().slice(0, 10);
          const [y, m, d] = iso.split('-');
          const written = DATE_FORMATS[lang].order === 'dmy' ? `${d}-${m}-${y}` : iso;
          expect(readDate(written, lang)).toBe(iso);
          expect(readDate(iso, lang)).toBe(iso);
        },
      ),
    );
  });
});
