// A department at a glance, as pure functions of (department, its rows, now, time zone): who is in,
// when the next person is back, whether it is within phone hours, and the alarm the policies ask for
// (SAMSA/Guldborgsund: the whole department away; Högsby: a function that must always answer).

const WEEKDAYS = { Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6, Sun: 7 };
const formats = new Map();

/** ISO weekday (1 = Monday) and "HH:MM" of an instant in a time zone. */
export function localTime(now, timeZone) {
  const key = timeZone ?? '';
  let f = formats.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    });
    formats.set(key, f);
  }
  const parts = {};
  for (const p of f.formatToParts(now)) parts[p.type] = p.value;
  return { day: WEEKDAYS[parts.weekday], hm: `${parts.hour}:${parts.minute}` };
}

/** Within any of the phone-hour windows ("from" inclusive, "to" exclusive). */
export function inPhoneHours(phoneHours, now, timeZone) {
  const { day, hm } = localTime(now, timeZone);
  return phoneHours.some((w) => w.days.includes(day) && w.from <= hm && hm < w.to);
}

/**
 * rows: the department's rows (whole rows as the page keeps them).
 * alarm: 'must-answer' when a must-answer function has nobody available during its hours (always, if
 * it has none); 'all-away' when everyone whose state is known is away during phone hours; else null.
 * Nobody known (no presence yet) raises no alarm: the board cannot tell.
 */
export function summarise(department, rows, now, timeZone) {
  let known = 0;
  let available = 0;
  let nextBack = null;
  for (const row of rows) {
    if (row.status === null) continue;
    known++;
    if (row.status === 'available') available++;
    else if (row.until) {
      const t = Date.parse(row.until);
      if (t > now && (nextBack === null || t < nextBack)) nextBack = t;
    }
  }
  const hours = department.phoneHours ?? [];
  const open = hours.length === 0 ? null : inPhoneHours(hours, now, timeZone);
  let alarm = null;
  if (known > 0 && available === 0) {
    if (department.mustAnswer && open !== false) alarm = 'must-answer';
    else if (open) alarm = 'all-away';
  }
  return { total: rows.length, known, available, nextBack, open, alarm };
}
