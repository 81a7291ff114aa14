// Which on-call numbers are in force at an instant (Guldborgsund: "nogle skal altid være tilgængelige,
// andre kun periodisk", the snow watch in winter only; a Kalmar Lex Sarah case sent callers to the
// wrong social on-call on New Year's Eve). An entry narrows by a date range, weekdays and working or
// after hours; working hours are the org's working days (its holidays excluded) within its workday.
import type { OrgInfo } from '../protocol/index.js';
import { inPhoneHours, localDayAndClock } from './phone-hours.js';
import type { WorkCalendar } from './time.js';

export type OnCallEntry = NonNullable<OrgInfo['onCall']>[number];

/** Within the org's working hours: a working day (not a listed holiday) between workday from and to. */
export function inWorkingHours(at: number, calendar: WorkCalendar): boolean {
  const days = calendar.workdays.length > 0 ? [...calendar.workdays] : [1, 2, 3, 4, 5, 6, 7];
  return inPhoneHours([{ days, ...calendar.workday }], at, calendar);
}

/** The entry is in force at `at`: inside its dates, on one of its weekdays, in its part of the day. */
export function onCallInForce(entry: OnCallEntry, at: number, calendar: WorkCalendar): boolean {
  const { date, weekday } = localDayAndClock(at, calendar.timeZone);
  if (entry.from !== undefined && date < entry.from) return false;
  if (entry.to !== undefined && date > entry.to) return false;
  if (entry.days && !entry.days.includes(weekday)) return false;
  if (entry.hours === undefined) return true;
  return inWorkingHours(at, calendar) === (entry.hours === 'working-hours');
}

/** The numbers for a department (its own and those for every department) in force at `at`. */
export function onCallNow(
  entries: readonly OnCallEntry[] | undefined,
  department: string,
  at: number,
  calendar: WorkCalendar,
): OnCallEntry[] {
  return (entries ?? []).filter(
    (e) => (!e.department || e.department === department) && onCallInForce(e, at, calendar),
  );
}
