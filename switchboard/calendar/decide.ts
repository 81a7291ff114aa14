// What the calendar writes for one person at `now`, as a pure function of the presence out there and
// the merged schedule. The calendar never overrides a change made by hand (desk key, operator) after it
// last wrote: such a change holds until the end of the calendar absence it was made in (reopening early
// by the key wins until the entry's end) and, if it set an absence itself, until that absence's end.
import { type Actor, findReason, type Presence, type ReasonDefinition } from '../../protocol/index.js';
import { ceilToMinute } from '../../rules/time.js';
import { type Block, blockAt, memberAt } from './absence.js';

export interface DecideContext {
  now: Date;
  actor: Actor;
  reasons: readonly ReasonDefinition[];
  /** the reason a private entry shows (its subject and real reason stay in the calendar) */
  privateReason: string;
}

export interface Decision {
  /** the presence to publish, if any */
  publish?: Presence;
  /** the next instant the answer can change by time alone */
  wake?: Date;
}

/** Until when a presence someone set by hand keeps the calendar away (0: not at all). */
export function manualHoldUntil(current: Presence | null, blocks: readonly Block[]): number {
  if (!current || current.by.kind === 'calendar') return 0;
  const at = Date.parse(current.at);
  let hold = blockAt(blocks, at)?.end ?? at;
  if (current.status === 'away')
    hold = Math.max(hold, current.until === null ? Number.POSITIVE_INFINITY : Date.parse(current.until));
  return hold;
}

function nextBoundary(blocks: readonly Block[], now: number, after: number): number | undefined {
  let next: number | undefined;
  const consider = (t: number) => {
    if (t > now && t > after && (next === undefined || t < next)) next = t;
  };
  for (const b of blocks) {
    consider(b.end);
    for (const m of b.members) {
      consider(m.start);
      consider(m.end);
    }
  }
  return next;
}

export function decide(current: Presence | null, blocks: readonly Block[], ctx: DecideContext): Decision {
  const now = ctx.now.getTime();
  const hold = manualHoldUntil(current, blocks);
  if (hold > now) {
    const wake = Number.isFinite(hold) ? hold : undefined;
    return wake === undefined ? {} : { wake: new Date(wake) };
  }
  const wakeAt = nextBoundary(blocks, now, hold);
  const wake = wakeAt === undefined ? {} : { wake: new Date(wakeAt) };
  const block = blockAt(blocks, now);
  const base = {
    v: 1 as const,
    seq: (current?.seq ?? -1) + 1,
    by: ctx.actor,
    at: ctx.now.toISOString(),
  };
  if (!block) {
    // Only the calendar's own absence ends with the calendar (the entry is over, moved or cancelled).
    if (current?.by.kind !== 'calendar' || current.status !== 'away') return wake;
    return {
      ...wake,
      publish: { ...base, status: 'available', reason: null, since: base.at, until: null, alt: null },
    };
  }
  const member = memberAt(block, now);
  const code = member.private ? ctx.privateReason : member.reason;
  // a reason the organisation does not have: the entry is not a referral it can show
  if (!findReason(code, ctx.reasons)) return wake;
  const until = ceilToMinute(new Date(block.end)).toISOString();
  if (current?.status === 'away' && current.reason === code && current.until === until) return wake;
  const away: Presence = {
    ...base,
    status: 'away',
    reason: code,
    since: current?.status === 'away' ? current.since : new Date(Math.min(block.start, now)).toISOString(),
    until,
    // the alternative answering point belongs to the absence: one the person added stays
    alt: current?.status === 'away' ? current.alt : null,
  };
  return { ...wake, publish: away };
}
