// SAMSA "ange den totala frånvarotiden": back-to-back and overlapping referral entries, and lunch right
// after a meeting, make one absence with one end time. Pure: instants in, blocks out.
import {
  isWorkingDay,
  localDate,
  localParts,
  parseClock,
  startOfNextWorkday,
  startOfWorkdayOnOrAfter,
  type WorkCalendar,
} from '../../rules/time.js';

export interface Absence {
  /** ms since the epoch */
  start: number;
  end: number;
  reason: string;
  private: boolean;
}

export interface Block {
  start: number;
  end: number;
  /** the absences merged into this block, by start */
  members: Absence[];
}

/**
 * Merges absences whose gap is at most `gapMs` (0: only touching or overlapping ones) into blocks,
 * sorted and disjoint. The same absences in any order give the same blocks.
 */
export function mergeAbsences(absences: readonly Absence[], gapMs: number): Block[] {
  const sorted = [...absences].sort(
    (a, b) =>
      a.start - b.start ||
      a.end - b.end ||
      (a.reason < b.reason ? -1 : a.reason > b.reason ? 1 : 0) ||
      Number(a.private) - Number(b.private),
  );
  const blocks: Block[] = [];
  for (const a of sorted) {
    const last = blocks.at(-1);
    if (last && a.start <= last.end + gapMs) {
      last.end = Math.max(last.end, a.end);
      last.members.push(a);
    } else blocks.push({ start: a.start, end: a.end, members: [a] });
  }
  return blocks;
}

/** The block in force at `now`: start <= now < end. */
export function blockAt(blocks: readonly Block[], now: number): Block | undefined {
  return blocks.find((b) => b.start <= now && now < b.end);
}

/** What the referral says during a block at `now`: the entry in progress, else the last one begun. */
export function memberAt(block: Block, now: number): Absence {
  let current = block.members[0] as Absence;
  for (const m of block.members) {
    if (m.start > now) break;
    if (now < m.end || current.end <= now) current = m;
  }
  return current;
}

/**
 * When someone is back after an entry ending at `end`: the end itself within working hours; otherwise
 * the start of the next working time (a vacation's all-day entries ending at midnight, a trip ending
 * at 19:00, a week ending on Friday → Monday 08:00, after Christmas with the org's holidays).
 */
export function returnAt(end: Date, calendar: WorkCalendar): Date {
  const p = localParts(end, calendar.timeZone);
  const minutes = p.hour * 60 + p.minute + (p.second > 0 ? 1 : 0);
  const from = parseClock(calendar.workday.from);
  const to = parseClock(calendar.workday.to);
  if (isWorkingDay(localDate(end, calendar.timeZone), p.weekday, calendar)) {
    if (minutes < from.hour * 60 + from.minute) return startOfWorkdayOnOrAfter(end, calendar);
    if (minutes <= to.hour * 60 + to.minute) return end;
  }
  return startOfNextWorkday(end, calendar);
}
