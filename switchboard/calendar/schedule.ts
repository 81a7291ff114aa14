// A person's calendar entries → the merged absences the calendar refers with: prefixed entries only,
// each ending when the person is back (returnAt), merged into total absences.
import type { WorkCalendar } from '../../rules/time.js';
import { type Absence, type Block, mergeAbsences, returnAt } from './absence.js';
import type { CalendarEntry } from './calendar-entries.js';
import { matchPrefix, type PrefixRule } from './prefixes.js';

export interface ScheduleOptions {
  rules: readonly PrefixRule[];
  /** entries at most this far apart are one absence (0: only touching or overlapping ones) */
  gapMinutes: number;
  calendar: WorkCalendar;
}

export function scheduleFrom(entries: readonly CalendarEntry[], options: ScheduleOptions): Block[] {
  const absences: Absence[] = [];
  for (const e of entries) {
    const match = matchPrefix(e.summary, options.rules);
    if (!match) continue;
    absences.push({
      start: e.start.getTime(),
      end: returnAt(e.end, options.calendar).getTime(),
      reason: match.reason,
      private: e.private,
    });
  }
  return mergeAbsences(absences, options.gapMinutes * 60_000);
}
