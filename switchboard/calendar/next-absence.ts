// Issue 27, "upcoming absences for the operator": the person's next calendar absence within the
// working day, so the operator can say "she is in until two" (Guldborgsund: "omstillingen kan via
// kalendersystemet se, hvornår pågældende er tilgængelig"). Pure: the merged blocks the referrals are
// decided from (schedule.ts), the time, and the organisation's working hours and reasons.
import { findReason, type ReasonDefinition } from '../../protocol/index.js';
import { ceilToMinute, endOfWorkday, type WorkCalendar } from '../../rules/time.js';
import type { Block } from './absence.js';

export interface NextAbsence {
  from: string;
  /** when the person is back: the end of the whole block, a whole minute (as a referral's until) */
  to: string;
  reason: string;
}

export interface NextAbsenceContext {
  calendar: WorkCalendar;
  reasons: readonly ReasonDefinition[];
  /** the reason a private entry shows */
  privateReason: string;
}

export interface UpcomingAbsence {
  next?: NextAbsence;
  /** when the answer changes by time alone (ms): the absence starts, or the working day ends */
  changesAt: number;
}

/**
 * The first block starting after `now` and before the end of the working day (today's, or the next
 * working day's after hours) whose first entry is a reason the organisation has; none if there is
 * none. Its reason is the block's first entry's: what the person will be doing when a caller finds
 * them gone. Blocks are sorted by start (mergeAbsences).
 */
export function nextAbsence(blocks: readonly Block[], now: number, ctx: NextAbsenceContext): UpcomingAbsence {
  const dayEnd = endOfWorkday(new Date(now), ctx.calendar).getTime();
  for (const block of blocks) {
    if (block.start <= now) continue;
    if (block.start >= dayEnd) break;
    const first = block.members[0];
    const reason = first?.private ? ctx.privateReason : first?.reason;
    if (reason === undefined || !findReason(reason, ctx.reasons)) continue;
    return {
      next: {
        from: new Date(block.start).toISOString(),
        to: ceilToMinute(new Date(block.end)).toISOString(),
        reason,
      },
      changesAt: block.start,
    };
  }
  return { changesAt: dayEnd };
}
