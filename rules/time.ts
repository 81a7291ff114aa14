// Local time in the organisation's zone with Intl only. Instants are Date (UTC); "local" means the
// wall clock in `timeZone`. Quarter hours and working days are wall-clock notions, so they are
// computed on the local clock and mapped back, which keeps them right across midnight and DST.
import type { OrgPolicy } from './policy.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

export interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  /** ISO weekday, 1 = Monday */
  weekday: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

export function localParts(date: Date, timeZone: string): LocalParts {
  const parts: Record<string, number> = {};
  for (const p of formatter(timeZone).formatToParts(date)) {
    if (p.type !== 'literal') parts[p.type] = Number(p.value);
  }
  const year = parts.year ?? 1970;
  const month = parts.month ?? 1;
  const day = parts.day ?? 1;
  const weekday = new Date(Date.UTC(year, month - 1, day)).getUTCDay() || 7;
  return {
    year,
    month,
    day,
    hour: parts.hour ?? 0,
    minute: parts.minute ?? 0,
    second: parts.second ?? 0,
    weekday,
  };
}

/** Minutes the zone is ahead of UTC at `date` (Stockholm: 60 in winter, 120 in summer). */
export function offsetMinutes(date: Date, timeZone: string): number {
  const p = localParts(date, timeZone);
  const asUtc = Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second);
  return Math.round((asUtc - Math.floor(date.getTime() / 1000) * 1000) / MINUTE);
}

/**
 * The instant a local wall-clock time occurs. A time skipped by the spring change (02:30 on the last
 * Sunday of March) maps to the same distance past the gap (03:30); a time that occurs twice in
 * autumn maps to the first occurrence.
 */
export function fromLocal(
  y: number,
  month: number,
  day: number,
  hour: number,
  minute: number,
  timeZone: string,
): Date {
  const wall = Date.UTC(y, month - 1, day, hour, minute);
  const before = offsetMinutes(new Date(wall - DAY), timeZone);
  const after = offsetMinutes(new Date(wall + DAY), timeZone);
  // The larger offset is the earlier instant: trying it first picks the first occurrence in autumn.
  for (const off of before >= after ? [before, after] : [after, before]) {
    const t = new Date(wall - off * MINUTE);
    if (offsetMinutes(t, timeZone) === off) return t;
  }
  // In the gap: neither offset reproduces the wall time; the pre-change offset lands past the gap.
  return new Date(wall - before * MINUTE);
}

export function floorToMinute(date: Date): Date {
  return new Date(Math.floor(date.getTime() / MINUTE) * MINUTE);
}

/** Return times are whole minutes, rounded up so nobody is told to be back before they asked. */
export function ceilToMinute(date: Date): Date {
  return new Date(Math.ceil(date.getTime() / MINUTE) * MINUTE);
}

export function addMinutes(date: Date, minutes: number): Date {
  return new Date(date.getTime() + minutes * MINUTE);
}

/** The first full local quarter hour at or after `date + minutes`: 09:05 + 60 → 10:15, 09:00 + 60 → 10:00. */
export function nextQuarterAfter(date: Date, minutes: number, timeZone: string): Date {
  const target = ceilToMinute(addMinutes(date, minutes));
  const local = target.getTime() + offsetMinutes(target, timeZone) * MINUTE;
  const rounded = Math.ceil(local / (15 * MINUTE)) * 15 * MINUTE;
  return new Date(target.getTime() + (rounded - local));
}

/** 'HH:MM' on the local clock. */
export function formatLocal(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${String(p.hour).padStart(2, '0')}:${String(p.minute).padStart(2, '0')}`;
}

export function parseClock(hhmm: string): { hour: number; minute: number } {
  const m = /^(\d{1,2}):(\d{2})$/.exec(hhmm);
  if (!m) throw new Error(`time of day must be HH:MM, got ${JSON.stringify(hhmm)}`);
  return { hour: Number(m[1]), minute: Number(m[2]) };
}

/** What the working-day rules read from the policy; `holidays` absent means none. */
export type WorkCalendar = Pick<OrgPolicy, 'timeZone' | 'workday' | 'workdays'> &
  Partial<Pick<OrgPolicy, 'holidays'>>;

// Long enough for Christmas, a weekend and local extra days in a row, however an org configures them.
const SEARCH_DAYS = 60;

const holidaySets = new WeakMap<readonly string[], ReadonlySet<string>>();
function holidaySet(holidays: readonly string[] | undefined): ReadonlySet<string> {
  if (!holidays || holidays.length === 0) return EMPTY;
  let set = holidaySets.get(holidays);
  if (!set) {
    set = new Set(holidays);
    holidaySets.set(holidays, set);
  }
  return set;
}
const EMPTY: ReadonlySet<string> = new Set();

const pad = (n: number) => String(n).padStart(2, '0');

/** The local date `YYYY-MM-DD` that `date` falls on in `timeZone`. */
export function localDate(date: Date, timeZone: string): string {
  const p = localParts(date, timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

/** One of the listed holidays (local `YYYY-MM-DD`); no list means none. */
export function isHoliday(date: string, holidays: readonly string[] | undefined): boolean {
  return holidaySet(holidays).has(date);
}

/** A working day: one of the org's weekdays and not one of its holidays. */
export function isWorkingDay(date: string, weekday: number, calendar: WorkCalendar): boolean {
  const workdays = calendar.workdays.length > 0 ? calendar.workdays : [1, 2, 3, 4, 5, 6, 7];
  return workdays.includes(weekday) && !isHoliday(date, calendar.holidays);
}

/** The local calendar day `days` after the one `date` falls on, at `hhmm`. */
function atLocalDay(
  date: Date,
  days: number,
  hhmm: string,
  calendar: WorkCalendar,
): { at: Date; working: boolean } {
  const p = localParts(date, calendar.timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  const { hour, minute } = parseClock(hhmm);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth() + 1;
  const day = d.getUTCDate();
  return {
    at: fromLocal(y, m, day, hour, minute, calendar.timeZone),
    working: isWorkingDay(`${y}-${pad(m)}-${pad(day)}`, d.getUTCDay() || 7, calendar),
  };
}

/** The end of the first working day whose end is after `now` (today's, or the next working day's). */
export function endOfWorkday(now: Date, calendar: WorkCalendar): Date {
  return nextWorkdayEnd(now, calendar);
}

/** The end of the working day after the one `endOfWorkday(now)` returns. */
export function endOfNextWorkday(now: Date, calendar: WorkCalendar): Date {
  return nextWorkdayEnd(endOfWorkday(now, calendar), calendar);
}

/**
 * The start of the first working day on a later local calendar day than `from`: sick or gone on Monday
 * (morning, afternoon or evening) → Tuesday 08:00; Friday → Monday 08:00; 23 December → 28 December
 * with Swedish holidays. Whole local days, so a DST weekend in between changes nothing.
 */
export function startOfNextWorkday(from: Date, calendar: WorkCalendar): Date {
  return startOfWorkdayFrom(from, 1, calendar);
}

/** The start of the first working day on the local day of `from` or later (a vacation's return date). */
export function startOfWorkdayOnOrAfter(from: Date, calendar: WorkCalendar): Date {
  return startOfWorkdayFrom(from, 0, calendar);
}

function startOfWorkdayFrom(from: Date, firstDay: number, calendar: WorkCalendar): Date {
  for (let d = firstDay; d <= SEARCH_DAYS; d++) {
    const { at, working } = atLocalDay(from, d, calendar.workday.from, calendar);
    if (working) return at;
  }
  // Only with no working day in two months; the day after keeps the result a valid time anyway.
  return new Date(from.getTime() + DAY);
}

function nextWorkdayEnd(now: Date, calendar: WorkCalendar): Date {
  for (let d = 0; d <= SEARCH_DAYS; d++) {
    const { at, working } = atLocalDay(now, d, calendar.workday.to, calendar);
    if (working && at.getTime() > now.getTime()) return at;
  }
  // Only with no working day in two months; the day after keeps the result a valid time anyway.
  return new Date(now.getTime() + DAY);
}
