// A department's phone cover, the rule the board's department panel and the notifier share
// (SAMSA §4.3/§6, Guldborgsund: the whole department away in phone hours; Högsby: a function that must
// always answer). Pure functions of the department, who of it is known and available, and the time.
import type { Department, PhoneHours } from '../protocol/index.js';
import { formatLocal, localParts } from './time.js';

export type DepartmentAlarm = 'must-answer' | 'all-away' | null;

/** Within any of the phone-hour windows ("from" inclusive, "to" exclusive), in the organisation's zone. */
export function inPhoneHours(phoneHours: readonly PhoneHours[], now: number, timeZone: string): boolean {
  const at = new Date(now);
  const day = localParts(at, timeZone).weekday;
  const hm = formatLocal(at, timeZone);
  return phoneHours.some((w) => w.days.includes(day) && w.from <= hm && hm < w.to);
}

/**
 * open: within phone hours (null: the department has none). alarm: 'must-answer' when a must-answer
 * function has nobody available during its hours (always, if it has none); 'all-away' when everyone
 * whose state is known is away during phone hours; else null. Nobody known raises no alarm: nobody
 * can tell.
 */
export function departmentAlarm(
  department: Pick<Department, 'phoneHours' | 'mustAnswer'>,
  tally: { known: number; available: number },
  now: number,
  timeZone: string,
): { open: boolean | null; alarm: DepartmentAlarm } {
  const hours = department.phoneHours ?? [];
  const open = hours.length === 0 ? null : inPhoneHours(hours, now, timeZone);
  let alarm: DepartmentAlarm = null;
  if (tally.known > 0 && tally.available === 0) {
    if (department.mustAnswer && open !== false) alarm = 'must-answer';
    else if (open) alarm = 'all-away';
  }
  return { open, alarm };
}
