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

/** The local calendar day `days` after the one `date` falls on, at `hhmm`. */
function atLocalDay(date: Date, days: number, hhmm: string, timeZone: string): { at: Date; weekday: number } {
  const p = localParts(date, timeZone);
  const d = new Date(Date.UTC(p.year, p.month - 1, p.day + days));
  const { hour, minute } = parseClock(hhmm);
  return {
    at: fromLocal(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), hour, minute, timeZone),
    weekday: d.getUTCDay() || 7,
  };
}

/** The end of the first working day whose end is after `now` (today's, or the next working day's). */
export function endOfWorkday(now: Date, policy: Pick<OrgPolicy, 'timeZone' | 'workday' | 'workdays'>): Date {
  return nextWorkdayEnd(now, policy);
}

/** The end of the working day after the one `endOfWorkday(now)` returns. */
export function endOfNextWorkday(
  now: Date,
  policy: Pick<OrgPolicy, 'timeZone' | 'workday' | 'workdays'>,
): Date {
  return nextWorkdayEnd(endOfWorkday(now, policy), policy);
}

/**
 * The start of the first working day on a later local calendar day than `from`: sick or gone on Monday
 * (morning, afternoon or evening) → Tuesday 08:00; Friday → Monday 08:00. Whole local days, so a DST
 * weekend in between changes nothing.
 */
export function startOfNextWorkday(
  from: Date,
  policy: Pick<OrgPolicy, 'timeZone' | 'workday' | 'workdays'>,
): Date {
  const workdays = policy.workdays.length > 0 ? policy.workdays : [1, 2, 3, 4, 5, 6, 7];
  for (let d = 1; d <= 7; d++) {
    const { at, weekday } = atLocalDay(from, d, policy.workday.from, policy.timeZone);
    if (workdays.includes(weekday)) return at;
  }
  // Unreachable with at least one working day; a week on keeps the result a valid time anyway.
  return new Date(from.getTime() + 7 * DAY);
}

function nextWorkdayEnd(now: Date, policy: Pick<OrgPolicy, 'timeZone' | 'workday' | 'workdays'>): Date {
  const workdays = policy.workdays.length > 0 ? policy.workdays : [1, 2, 3, 4, 5, 6, 7];
  for (let d = 0; d < 8; d++) {
    const { at, weekday } = atLocalDay(now, d, policy.workday.to, policy.timeZone);
    if (workdays.includes(weekday) && at.getTime() > now.getTime()) return at;
  }
  // Unreachable with at least one working day; a week on keeps the result a valid time anyway.
  return new Date(now.getTime() + 7 * DAY);
}
