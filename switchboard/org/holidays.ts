// Public holidays from date-holidays (maintained per country, Easter and midsummer computed), resolved
// to plain local dates here, so desks and the board only compare strings and carry no holiday library.
import Holidays from 'date-holidays';

export type HolidayCountry = 'SE' | 'DK';
/** date-holidays' classes: `public` (law), `bank` (offices closed: julafton, midsommarafton, nyårsafton) */
export type HolidayType = 'public' | 'bank' | 'school' | 'optional' | 'observance';

/** The `YYYY-MM-DD` dates of `country`'s holidays of the given types in each of `years`, sorted. */
export function publicHolidays(
  country: HolidayCountry,
  years: readonly number[],
  types: readonly HolidayType[],
): string[] {
  const calendar = new Holidays(country);
  const dates = new Set<string>();
  for (const year of years) {
    for (const h of calendar.getHolidays(year)) {
      // `date` is the local date and time the holiday starts ("2026-12-24 00:00:00")
      if (types.includes(h.type as HolidayType)) dates.add(h.date.slice(0, 10));
    }
  }
  return [...dates].sort();
}
