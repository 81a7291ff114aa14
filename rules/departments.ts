// A department's phone cover, the rule the board's department panel and the notifier share
// (SAMSA §4.3/§6, Guldborgsund: the whole department away in phone hours; Högsby: a function that must
// always answer). Pure functions of the department, who of it is known and staffs it, and the time; the
// phone hours are rules/phone-hours.ts's, so a holiday closes them here too.
import type { Department } from '../protocol/index.js';
import { type HoursCalendar, inPhoneHours } from './phone-hours.js';

export type DepartmentAlarm = 'must-answer' | 'all-away' | null;

/**
 * open: within phone hours (null: the department has none). alarm: 'must-answer' when a must-answer
 * function has nobody staffing it during its hours (always, if it has none); 'all-away' when nobody
 * whose state is known staffs it during phone hours; else null. `staffed`: the available people whose
 * own phone hours, if they have any, include now (SAMSA §7). Nobody known raises no alarm: nobody can tell.
 */
export function departmentAlarm(
  department: Pick<Department, 'phoneHours' | 'mustAnswer'>,
  tally: { known: number; staffed: number },
  now: number,
  calendar: HoursCalendar,
): { open: boolean | null; alarm: DepartmentAlarm } {
  const hours = department.phoneHours ?? [];
  const open = hours.length === 0 ? null : inPhoneHours(hours, now, calendar);
  let alarm: DepartmentAlarm = null;
  if (tally.known > 0 && tally.staffed === 0) {
    if (department.mustAnswer && open !== false) alarm = 'must-answer';
    else if (open) alarm = 'all-away';
  }
  return { open, alarm };
}
