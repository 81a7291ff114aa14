// The nudge before a return time runs out (Grästorp/Essunga: "om frånvarotiden inte går att hålla,
// gör en förlängning omedelbart"): `nudgeMinutes` (the organisation's, default 5) before the return
// time the desk's reason lamp blinks and staff without a panel are told, so the person extends while
// it can still be kept. Nothing is nudged for "until further notice" (no time to keep), for an absence
// that ends on another day than it began (vacation, sick: a multi-day absence is not "running late"),
// nor for one no longer than the lead itself (set knowing the time: a nudge at once is noise).
import type { Presence } from '../protocol/index.js';
import type { OrgPolicy } from './policy.js';
import { localDate } from './time.js';

export type NudgePolicy = Pick<OrgPolicy, 'nudgeMinutes' | 'timeZone'>;

/** When the referral's nudge starts, or undefined when it has none. */
export function nudgeAt(p: Presence, policy: NudgePolicy): Date | undefined {
  if (p.status !== 'away' || p.until === null || policy.nudgeMinutes <= 0) return undefined;
  const since = Date.parse(p.since);
  const until = Date.parse(p.until);
  const at = until - policy.nudgeMinutes * 60_000;
  if (at <= since) return undefined;
  if (localDate(new Date(since), policy.timeZone) !== localDate(new Date(until), policy.timeZone))
    return undefined;
  return new Date(at);
}

/** Whether the referral is in its nudge at `now`: from nudgeAt until the return time (then it is overdue). */
export function isNudging(p: Presence, now: Date, policy: NudgePolicy): boolean {
  const at = nudgeAt(p, policy);
  return (
    at !== undefined &&
    p.until !== null &&
    now.getTime() >= at.getTime() &&
    now.getTime() < Date.parse(p.until)
  );
}

/** What a nudge is about, to tell it from the next one: the same referral extended is a new one. */
export const nudgeKey = (p: Presence) => `${p.since}|${p.until}`;
