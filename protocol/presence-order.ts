// Which of two presences of one extension is newer. The agent, the board and any other consumer must
// settle on the same winner whatever order the broker delivered them in, so the rule lives here.
import type { Actor, Presence } from './schemas.js';

/**
 * On equal seq (two authorities racing), the higher rank wins: an operator overrides a desk, and a
 * change by hand (desk, operator) overrides the calendar, which is automatic and must never undo one.
 */
export const ACTOR_RANK: Readonly<Record<Actor['kind'], number>> = {
  calendar: 0,
  desk: 1,
  switchboard: 2,
  operator: 3,
};

/**
 * Orders two presences: higher `seq` is newer; on equal seq the higher ACTOR_RANK of `by.kind`, then
 * the greater `by.id` (UTF-16 code unit order). Negative when `a` is older than `b`, 0 when the two
 * are the same change. Sorting ascending puts the newest last.
 */
export function comparePresence(a: Presence, b: Presence): number {
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  const rank = ACTOR_RANK[a.by.kind] - ACTOR_RANK[b.by.kind];
  if (rank !== 0) return rank < 0 ? -1 : 1;
  return a.by.id < b.by.id ? -1 : a.by.id > b.by.id ? 1 : 0;
}

/** True when `candidate` should replace `current` (a missing current is always replaced). */
export function supersedes(candidate: Presence, current: Presence | null | undefined): boolean {
  return !current || comparePresence(candidate, current) > 0;
}
