// The organisation settings file IT writes (JSON): validated with zod, every error naming its field,
// and turned into the `directory/org` message. Holidays are resolved to dates for a window of years
// here, so every reader applies the same days without a holiday library of its own.
import { z } from 'zod';
import { issueLines, LocalDate, OrgInfo } from '../../protocol/index.js';
import { type HolidayType, publicHolidays } from './holidays.js';

// errors name fields as holidays.extra[0]
const FILE_ISSUES = { root: '(file)', indexes: 'brackets' } as const;

export class SettingsError extends Error {}

const HolidaySettings = z.strictObject({
  /** the country whose public holidays apply; without it only `extra` days are off */
  country: z.enum(['SE', 'DK']).optional(),
  /** which of date-holidays' classes count as days off (default public and bank: julafton, midsommarafton) */
  types: z
    .array(z.enum(['public', 'bank', 'school', 'optional', 'observance']))
    .min(1)
    .default(['public', 'bank']),
  /** local extra days off (klämdagar, a municipality's own day) */
  extra: z.array(LocalDate).max(100).default([]),
  /** holidays in the library that this organisation works anyway */
  worked: z.array(LocalDate).max(100).default([]),
});

/** The file: directory/org's fields (no `v`), with holidays given as rules instead of dates. */
export const OrgSettingsFile = z.strictObject({
  ...OrgInfo.omit({ v: true, holidays: true }).shape,
  holidays: HolidaySettings.optional(),
});
export type OrgSettingsFile = z.infer<typeof OrgSettingsFile>;

/** Years of holidays published: last year (for messages taken then), this year and the next two. */
export const HOLIDAY_YEARS = { before: 1, after: 2 } as const;

/** Parses and checks a settings file's text; `now` picks the years holidays are resolved for. */
export function parseOrgSettings(text: string, now: Date): OrgInfo {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new SettingsError(`not JSON: ${(e as Error).message}`);
  }
  const parsed = OrgSettingsFile.safeParse(json);
  if (!parsed.success) throw new SettingsError(issueLines(parsed.error, FILE_ISSUES).join('\n'));
  return toOrgInfo(parsed.data, now);
}

export function toOrgInfo(settings: OrgSettingsFile, now: Date): OrgInfo {
  const { holidays, ...rest } = settings;
  const info: OrgInfo = { v: 1, ...rest };
  if (holidays) info.holidays = resolveHolidays(holidays, now);
  // The message must pass the contract as every reader checks it (lengths, the catalogue's rules).
  const checked = OrgInfo.safeParse(info);
  if (!checked.success) throw new SettingsError(issueLines(checked.error, FILE_ISSUES).join('\n'));
  return checked.data;
}

function resolveHolidays(h: z.infer<typeof HolidaySettings>, now: Date): string[] {
  const year = now.getUTCFullYear();
  const years: number[] = [];
  for (let y = year - HOLIDAY_YEARS.before; y <= year + HOLIDAY_YEARS.after; y++) years.push(y);
  const official = h.country ? publicHolidays(h.country, years, h.types as HolidayType[]) : [];
  const worked = new Set(h.worked);
  return [...new Set([...official.filter((d) => !worked.has(d)), ...h.extra])].sort();
}
