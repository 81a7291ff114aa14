// Phone hours as people write them in a spreadsheet cell: `mon-fri 08:00-16:00; tue,thu 13:00-15:00`,
// in English, Swedish (`mån-fre 8.00–16.00`) or Danish day names. Pure; the result is the contract's
// PhoneHours (ISO weekdays, 1 = Monday).
import type { PhoneHours } from '../../protocol/index.js';

const DAY_NAMES: Record<string, number> = {};
const NAMES: [number, string[]][] = [
  [1, ['mon', 'monday', 'mån', 'måndag', 'man', 'mandag']],
  [2, ['tue', 'tues', 'tuesday', 'tis', 'tisdag', 'tir', 'tirsdag']],
  [3, ['wed', 'wednesday', 'ons', 'onsdag']],
  [4, ['thu', 'thur', 'thurs', 'thursday', 'tor', 'tors', 'torsdag']],
  [5, ['fri', 'friday', 'fre', 'fredag']],
  [6, ['sat', 'saturday', 'lör', 'lördag', 'lor', 'lør', 'lørdag']],
  [7, ['sun', 'sunday', 'sön', 'söndag', 'son', 'søn', 'søndag']],
];
for (const [day, names] of NAMES) for (const name of names) DAY_NAMES[name] = day;

const DASH = /\s*[-–—]\s*/;
const TIME = /^([01]?[0-9]|2[0-3])[:.]([0-5][0-9])$/;

function day(name: string): number {
  const n = DAY_NAMES[name.trim().toLowerCase()];
  if (n === undefined) throw new Error(`unknown day ${JSON.stringify(name.trim())} (mon-sun or mån-sön)`);
  return n;
}

function days(text: string): number[] {
  const out = new Set<number>();
  for (const item of text.split(',')) {
    const [first, last, extra] = item.split(DASH);
    if (first === undefined || extra !== undefined || !first.trim())
      throw new Error(`bad days ${JSON.stringify(item.trim())}`);
    const from = day(first);
    const to = last === undefined ? from : day(last);
    if (to < from) throw new Error(`day range ${JSON.stringify(item.trim())} runs backwards`);
    for (let d = from; d <= to; d++) out.add(d);
  }
  return [...out].sort((a, b) => a - b);
}

function time(text: string): string {
  const m = TIME.exec(text.trim());
  if (!m) throw new Error(`bad time ${JSON.stringify(text.trim())} (HH:MM)`);
  return `${(m[1] as string).padStart(2, '0')}:${m[2]}`;
}

/**
 * Parses `days from-to` entries separated by `;` or line breaks. An empty cell is no phone hours.
 * Returns the entries or the first problem found.
 */
export function parsePhoneHours(
  text: string,
): { ok: true; value: PhoneHours[] } | { ok: false; reason: string } {
  const value: PhoneHours[] = [];
  try {
    for (const raw of text.split(/[;\r\n]/)) {
      const entry = raw.trim();
      if (!entry) continue;
      // the days, then the time range: the last whitespace-separated part that starts with a digit
      const m = /^(.*?)\s+(\d.*)$/.exec(entry);
      if (!m)
        throw new Error(`${JSON.stringify(entry)}: expected days and a time range, e.g. mon-fri 08:00-16:00`);
      const [from, to, extra] = (m[2] as string).split(DASH);
      if (from === undefined || to === undefined || extra !== undefined)
        throw new Error(`bad time range ${JSON.stringify(m[2])} (e.g. 08:00-16:00)`);
      const hours = { days: days(m[1] as string), from: time(from), to: time(to) };
      if (hours.to <= hours.from) throw new Error(`${entry}: ends at or before it starts`);
      value.push(hours);
    }
  } catch (e) {
    return { ok: false, reason: (e as Error).message };
  }
  return { ok: true, value };
}

/** Writes phone hours back in the form parsePhoneHours reads (English day names). */
export function formatPhoneHours(hours: readonly PhoneHours[]): string {
  const short = ['', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];
  return hours.map((h) => `${h.days.map((d) => short[d]).join(',')} ${h.from}-${h.to}`).join('; ');
}
