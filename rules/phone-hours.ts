// Phone hours: the one judge of "is this department (or person) answering now", used by the board's
// alarm and panel, the recorder's unstaffed minutes, the coverage forecast and the switchboard's
// service state. A listed holiday closes every phone-hour window (Grästorp/Essunga, Högsby: phone
// hours are on working days; the org's holiday list says which days are not), whatever its weekday.
// Everything is on the org's wall clock (rules/time.ts), so the process's own zone never matters.
import type { PhoneHours } from '../protocol/index.js';
import { fromLocal, isHoliday, localParts } from './time.js';

/** The org's zone and its holidays (directory/org), as phone hours need them. */
export interface HoursCalendar {
  timeZone: string;
  holidays?: readonly string[] | undefined;
}

/** A local day: `YYYY-MM-DD` and its ISO weekday (1 = Monday). */
export interface LocalDay {
  date: string;
  weekday: number;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** The local day and 'HH:MM' of an instant in the org's zone. */
export function localDayAndClock(at: number, timeZone: string): LocalDay & { hm: string } {
  const p = localParts(new Date(at), timeZone);
  return {
    date: `${p.year}-${pad(p.month)}-${pad(p.day)}`,
    weekday: p.weekday,
    hm: `${pad(p.hour)}:${pad(p.minute)}`,
  };
}

/** The windows that apply on a local day, in order: none on a holiday. */
export function windowsOnDay(
  hours: readonly PhoneHours[],
  day: LocalDay,
  calendar: HoursCalendar,
): { from: string; to: string }[] {
  if (isHoliday(day.date, calendar.holidays)) return [];
  return hours
    .filter((w) => w.days.includes(day.weekday))
    .map(({ from, to }) => ({ from, to }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** Within any window at `at` ("from" inclusive, "to" exclusive), never on a holiday. */
export function inPhoneHours(hours: readonly PhoneHours[], at: number, calendar: HoursCalendar): boolean {
  if (hours.length === 0) return false;
  const d = localDayAndClock(at, calendar.timeZone);
  return windowsOnDay(hours, d, calendar).some((w) => w.from <= d.hm && d.hm < w.to);
}

/**
 * Whether a person answers for their department at `at` by their own phone hours (SAMSA §7: staggered
 * phone hours inside a department): without hours of their own, whenever the department does.
 */
export function personalHoursAllow(
  personal: readonly PhoneHours[] | undefined,
  at: number,
  calendar: HoursCalendar,
): boolean {
  return !personal || personal.length === 0 || inPhoneHours(personal, at, calendar);
}

/** A local day's windows as UTC instants [from, to), for counting time inside phone hours. */
export function instantWindowsOn(
  date: string,
  hours: readonly PhoneHours[],
  calendar: HoursCalendar,
): [number, number][] {
  const [y, m, d] = date.split('-').map(Number) as [number, number, number];
  const weekday = new Date(Date.UTC(y, m - 1, d)).getUTCDay() || 7;
  const at = (hm: string) => {
    const [hh, mm] = hm.split(':').map(Number) as [number, number];
    return fromLocal(y, m, d, hh, mm, calendar.timeZone).getTime();
  };
  return windowsOnDay(hours, { date, weekday }, calendar).map((w) => [at(w.from), at(w.to)]);
}
