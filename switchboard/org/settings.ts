// The organisation settings file IT writes (JSON): validated with zod, every error naming its field,
// and turned into the `directory/org` message. Holidays are resolved to dates for a window of years
// here, so every reader applies the same days without a holiday library of its own.
import { z } from 'zod';
import { checkValue, readJsonFile } from '../../config/json-file.js';
import { LocalDate, OrgInfo } from '../../protocol/index.js';
import { type HolidayType, publicHolidays } from './holidays.js';

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

/** The settings file as directory/org; `now` picks the years holidays are resolved for. */
export function loadOrgSettings(path: string, now: Date): OrgInfo {
  const what = 'organisation settings';
  return toOrgInfo(readJsonFile(path, OrgSettingsFile, what), now, `${what} ${path}`);
}

export function toOrgInfo(settings: OrgSettingsFile, now: Date, where = 'organisation settings'): OrgInfo {
  const { holidays, ...rest } = settings;
  const info: OrgInfo = { v: 1, ...rest };
  if (holidays) info.holidays = resolveHolidays(holidays, now);
  // The message must pass the contract as every reader checks it (lengths, the catalogue's rules).
  return checkValue(info, OrgInfo, where);
}

function resolveHolidays(h: z.infer<typeof HolidaySettings>, now: Date): string[] {
  const year = now.getUTCFullYear();
  const years: number[] = [];
  for (let y = year - HOLIDAY_YEARS.before; y <= year + HOLIDAY_YEARS.after; y++) years.push(y);
  const official = h.country ? publicHolidays(h.country, years, h.types as HolidayType[]) : [];
  const worked = new Set(h.worked);
  return [...new Set([...official.filter((d) => !worked.has(d)), ...h.extra])].sort();
}
