// A department at a glance, as pure functions of (department, its rows, now, the org's zone and
// holidays): who is in, when the next person is back, whether it is within phone hours, and the alarm
// the policies ask for (SAMSA/Guldborgsund: the whole department away; Högsby: a function that must
// always answer). The tallies that keep these counts as rows change are tallies.ts.

import type { Department, PhoneHours } from '../../../protocol/index.js';
import { type DepartmentAlarm, departmentAlarm } from '../../../rules/departments.js';
import { localDayAndClock, personalHoursAllow, windowsOnDay } from '../../../rules/phone-hours.js';
import { isHoliday } from '../../../rules/time.js';
import { type RowLike, zoneOr } from './format.js';

export interface DepartmentSummary {
  total: number;
  known: number;
  available: number;
  /** available and within their own phone hours, if they have any (SAMSA §7): who staffs it now */
  staffed: number;
  nextBack: number | null;
  open: boolean | null;
  alarm: DepartmentAlarm;
}

export interface DepartmentTally {
  total: number;
  known: number;
  available: number;
  nextBack: number | null;
  /** the available with phone hours of their own: whether they staff it depends on the time */
  timed?: Iterable<HoursRow>;
}

/** A row's own phone hours (directory/person), if it has any. */
export interface HoursRow {
  phoneHours?: readonly PhoneHours[] | null;
}

/** What the tallies read of a row: its state, whose department, its desk and its own hours. */
export interface TallyRow extends RowLike, HoursRow {
  org: string;
  department: string | null;
  online: boolean | null;
}

export const hasOwnHours = (row: HoursRow) => (row.phoneHours?.length ?? 0) > 0;

/** What the department panel lists of a row: its state and who it is. */
export interface RosterRow extends RowLike {
  name?: string | null;
  ext?: string;
}

type Rules = Pick<Department, 'phoneHours' | 'mustAnswer'>;

/** The organisation's zone (the browser's until directory/org is in) and its holidays. */
export interface OrgClock {
  timeZone?: string | undefined;
  holidays?: readonly string[] | undefined;
}

const calendarOf = (org: OrgClock | undefined) => ({
  timeZone: zoneOr(org?.timeZone),
  holidays: org?.holidays,
});

/** Who is in among rows, as the strip counts them: total, known (a presence), available, next return. */
export function tallyRows(rows: readonly (RowLike & HoursRow)[], now: number): DepartmentTally {
  let known = 0;
  let available = 0;
  let nextBack: number | null = null;
  const timed: HoursRow[] = [];
  for (const row of rows) {
    if (row.status === null) continue;
    known++;
    if (row.status === 'available') {
      available++;
      if (hasOwnHours(row)) timed.push(row);
    } else if (row.until) {
      const t = Date.parse(row.until);
      if (t > now && (nextBack === null || t < nextBack)) nextBack = t;
    }
  }
  return { total: rows.length, known, available, nextBack, timed };
}

/** rows: the department's rows (whole rows as the page keeps them); the alarm is rules/departments.ts'. */
export function summarise(
  department: Rules,
  rows: readonly (RowLike & HoursRow)[],
  now: number,
  org?: OrgClock,
): DepartmentSummary {
  return summariseTally(department, tallyRows(rows, now), now, org);
}

/** The same from a department's tally (Tallies.department), without its rows. */
export function summariseTally(
  department: Rules,
  tally: DepartmentTally,
  now: number,
  org?: OrgClock,
): DepartmentSummary {
  const { total, known, available, nextBack } = tally;
  const calendar = calendarOf(org);
  // SAMSA §7: someone available outside their own phone hours does not staff the department
  let staffed = available;
  for (const row of tally.timed ?? [])
    if (!personalHoursAllow(row.phoneHours ?? undefined, now, calendar)) staffed--;
  // a holiday closes the phone hours (rules/phone-hours.ts): no false alarm on Christmas Eve
  const { open, alarm } = departmentAlarm(department, { known, staffed }, now, calendar);
  return { total, known, available, staffed, nextBack, open, alarm };
}

/**
 * A department's people for its panel: `in` the available, by name; `away` by return, so the next
 * person back is first (future return times, earliest first), then the overdue (least late first),
 * then those away until further notice; `unknown` those with no presence yet. `compare` orders names.
 */
export function roster<R extends RosterRow>(
  rows: Iterable<R>,
  now: number,
  compare: (a: R, b: R) => number = byName,
): { in: R[]; away: R[]; unknown: R[] } {
  const inn: R[] = [];
  const away: R[] = [];
  const unknown: R[] = [];
  for (const row of rows) {
    if (row.status === null) unknown.push(row);
    else if (row.status === 'available') inn.push(row);
    else away.push(row);
  }
  const rank = (row: R): [number, number] => {
    const t = row.until ? Date.parse(row.until) : Number.NaN;
    if (t > now) return [0, t];
    if (t <= now) return [1, -t];
    return [2, 0];
  };
  const ranked = away.map((row) => ({ row, r: rank(row) }));
  ranked.sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || compare(a.row, b.row));
  return { in: inn.sort(compare), away: ranked.map((e) => e.row), unknown: unknown.sort(compare) };
}

function byName(a: RosterRow, b: RosterRow): number {
  const x = a.name ?? a.ext ?? '';
  const y = b.name ?? b.ext ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Today's phone-hour windows in the org's zone ("from"/"to", in order); none on a holiday. */
export function hoursToday(
  phoneHours: readonly PhoneHours[],
  now: number,
  org?: OrgClock,
): { from: string; to: string }[] {
  const calendar = calendarOf(org);
  return windowsOnDay(phoneHours, localDayAndClock(now, calendar.timeZone), calendar);
}

/** Today is one of the org's listed holidays. */
export function holidayToday(now: number, org?: OrgClock): boolean {
  const calendar = calendarOf(org);
  return isHoliday(localDayAndClock(now, calendar.timeZone).date, calendar.holidays);
}

/** The week's phone hours: "mån–fre 08:00–16:00"; days with gaps listed: [1,3] → "mån, ons". */
export function weekHours(phoneHours: readonly PhoneHours[], dayNames: readonly string[]): string {
  return phoneHours.map((p) => `${dayRange(p.days, dayNames)} ${p.from}–${p.to}`).join(', ');
}

function dayRange(days: readonly number[], names: readonly string[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const runs: [number, number][] = [];
  for (const d of sorted) {
    const last = runs.at(-1);
    if (last && d === last[1] + 1) last[1] = d;
    else runs.push([d, d]);
  }
  return runs
    .map(([a, b]) =>
      a === b
        ? names[a - 1]
        : b === a + 1
          ? `${names[a - 1]}, ${names[b - 1]}`
          : `${names[a - 1]}–${names[b - 1]}`,
    )
    .join(', ');
}
