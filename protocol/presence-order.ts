// Which of two presences of one extension is newer. The agent, the board and any other consumer must
// settle on the same winner whatever order the broker delivered them in, so the rule lives here.
import type { Actor, Presence } from './schemas.js';

/** On equal seq (two authorities racing), the higher rank wins: an operator overrides a desk. */
export const ACTOR_RANK: Readonly<Record<Actor['kind'], number>> = {
  desk: 0,
  calendar: 1,
  switchboard: 2,
  operator: 3,
};

/** The largest `seq` the contract allows (JSON numbers are exact up to here). */
export const MAX_SEQ = Number.MAX_SAFE_INTEGER;

/**
 * The `seq` of the change after one at `seq`: one more, but it stays at MAX_SEQ, where the later `at`
 * orders changes instead (comparePresence), so a presence at the top never blocks every later one.
 */
export function nextSeq(seq: number): number {
  return seq < MAX_SEQ ? seq + 1 : MAX_SEQ;
}

/**
 * Orders two presences: higher `seq` is newer; both at MAX_SEQ, the later `at`; then the higher
 * ACTOR_RANK of `by.kind`, then the greater `by.id` (UTF-16 code unit order). Negative when `a` is older
 * than `b`, 0 when the two are the same change. Sorting ascending puts the newest last.
 */
export function comparePresence(a: Presence, b: Presence): number {
  if (a.seq !== b.seq) return a.seq < b.seq ? -1 : 1;
  // Contract times have one fixed format, so string order is time order.
  if (a.seq === MAX_SEQ && a.at !== b.at) return a.at < b.at ? -1 : 1;
  const rank = ACTOR_RANK[a.by.kind] - ACTOR_RANK[b.by.kind];
  if (rank !== 0) return rank < 0 ? -1 : 1;
  return a.by.id < b.by.id ? -1 : a.by.id > b.by.id ? 1 : 0;
}

/** True when `candidate` should replace `current` (a missing current is always replaced). */
export function supersedes(candidate: Presence, current: Presence | null | undefined): boolean {
  return !current || comparePresence(candidate, current) > 0;
}
