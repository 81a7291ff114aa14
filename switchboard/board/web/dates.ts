// The return date as the page's language writes it, whatever the browser's own locale (a date input
// shows mm/dd/yyyy in an English browser even on a Swedish page): Swedish 2027-01-12, Danish
// 12-01-2027 (also 12.01.2027 or 12/1/2027), English the unambiguous 2027-01-12 (an English page is
// read by British and American operators alike: 07/01 would be July to one and January to the other).
// The year-first ISO form is read in every language; it is also what goes to the server. Pure.
import type { Language } from '../../../protocol/languages.js';

/** How each language writes a date: the order of its parts, and the hint in the empty field. */
export const DATE_FORMATS: Record<Language, { order: 'ymd' | 'dmy'; hint: string; example: string }> = {
  sv: { order: 'ymd', hint: 'ÅÅÅÅ-MM-DD', example: '2027-01-12' },
  da: { order: 'dmy', hint: 'DD-MM-ÅÅÅÅ', example: '12-01-2027' },
  en: { order: 'ymd', hint: 'YYYY-MM-DD', example: '2027-01-12' },
};

const YEAR_FIRST = /^(\d{4})[-./ ](\d{1,2})[-./ ](\d{1,2})$/;
const DAY_FIRST = /^(\d{1,2})[-./ ](\d{1,2})[-./ ](\d{4})$/;

/** The date typed, as YYYY-MM-DD: '' when nothing is typed, null when it is no date in `lang`'s way. */
export function readDate(text: string, lang: Language): string | null {
  const typed = text.trim();
  if (!typed) return '';
  const ymd = YEAR_FIRST.exec(typed);
  const dmy = DATE_FORMATS[lang].order === 'dmy' ? DAY_FIRST.exec(typed) : null;
  const [y, m, d] = ymd ? [ymd[1], ymd[2], ymd[3]] : dmy ? [dmy[3], dmy[2], dmy[1]] : [];
  if (y === undefined || m === undefined || d === undefined) return null;
  const probe = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  if (probe.getUTCMonth() !== Number(m) - 1 || probe.getUTCDate() !== Number(d)) return null;
  return `${y}-${m.padStart(2, '0')}-${d.padStart(2, '0')}`;
}
