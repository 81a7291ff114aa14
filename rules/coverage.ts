// The coverage forecast: for the rest of a department's day, when nobody is expected to answer
// ("Socialjouren: nobody in from 12:00"), from what the board knows now: who is available, who is
// away until when, their own phone hours (SAMSA §7) and, where a calendar says it, their next absence.
// Pure; time is cut into spans at every instant where anything changes, each judged at its start.
import type { PhoneHours } from '../protocol/index.js';
import {
  type HoursCalendar,
  inPhoneHours,
  instantWindowsOn,
  localDayAndClock,
  personalHoursAllow,
} from './phone-hours.js';
import { fromLocal } from './time.js';

/** One person as the forecast reads them. Times are epoch ms. */
export interface CoveragePerson {
  status: 'available' | 'away' | null;
  /** the return time while away; null: until further notice */
  until: number | null;
  phoneHours?: readonly PhoneHours[] | null | undefined;
  /** the next absence a calendar knows of (CalendarStatus `next`, where the calendar bridge sends it) */
  next?: { from: number; to: number } | null | undefined;
}

export interface CoverageForecast {
  /** the spans left today, inside the department's hours, when nobody is expected in, in order */
  gaps: { from: number; to: number }[];
  /** where the forecast ends: the end of the local day */
  until: number;
}

/** Expected in at `t`: available then (back by then, not yet gone again) and within their own hours. */
function expectedIn(p: CoveragePerson, t: number, now: number, calendar: HoursCalendar): boolean {
  if (p.status === null) return false;
  // away: back at the return time if it is still ahead (an overdue one is not counted on)
  const back = p.status === 'available' ? now : p.until !== null && p.until > now ? p.until : null;
  if (back === null || t < back) return false;
  if (p.next && p.next.from <= t && t < p.next.to) return false;
  return personalHoursAllow(p.phoneHours ?? undefined, t, calendar);
}

/**
 * The forecast for the rest of the local day from `now`; null when there is nothing to forecast: a
 * department without phone hours that need not always answer, or nobody whose state is known.
 */
export function forecastCoverage(
  department: { phoneHours: readonly PhoneHours[]; mustAnswer: boolean },
  people: readonly CoveragePerson[],
  now: number,
  calendar: HoursCalendar,
): CoverageForecast | null {
  const always = department.phoneHours.length === 0;
  if (always && !department.mustAnswer) return null;
  if (!people.some((p) => p.status !== null)) return null;
  const today = localDayAndClock(now, calendar.timeZone).date;
  const [y, m, d] = today.split('-').map(Number) as [number, number, number];
  const end = fromLocal(y, m, d + 1, 0, 0, calendar.timeZone).getTime();
  const edges = new Set<number>([now, end]);
  const add = (t: number | null | undefined) => {
    if (t !== null && t !== undefined && t > now && t < end) edges.add(t);
  };
  for (const w of instantWindowsOn(today, department.phoneHours, calendar)) for (const t of w) add(t);
  for (const p of people) {
    add(p.until);
    add(p.next?.from);
    add(p.next?.to);
    for (const w of instantWindowsOn(today, p.phoneHours ?? [], calendar)) for (const t of w) add(t);
  }
  const sorted = [...edges].sort((a, b) => a - b);
  const gaps: { from: number; to: number }[] = [];
  for (let i = 0; i + 1 < sorted.length; i++) {
    const a = sorted[i] as number;
    const b = sorted[i + 1] as number;
    const open = always || inPhoneHours(department.phoneHours, a, calendar);
    if (!open || people.some((p) => expectedIn(p, a, now, calendar))) continue;
    const last = gaps.at(-1);
    if (last && last.to === a) last.to = b;
    else gaps.push({ from: a, to: b });
  }
  return { gaps, until: end };
}
