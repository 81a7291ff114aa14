// Key debouncing, pure: a key's new level counts once it has held for debounceMs without changing back.
// A contact that bounces shorter than that produces nothing; every reported change alternates.

export interface DebounceState {
  /** the level last reported (true = pressed) */
  stable: boolean;
  /** the level last sampled, and since when */
  sampled: boolean;
  since: number;
}

export function settled(pressed: boolean, nowMs: number): DebounceState {
  return { stable: pressed, sampled: pressed, since: nowMs };
}

/** The state after one sample, and the change to report, if any. */
export function debounce(
  state: DebounceState,
  pressed: boolean,
  nowMs: number,
  debounceMs: number,
): { state: DebounceState; change?: 'press' | 'release' } {
  const next = pressed === state.sampled ? state : { ...state, sampled: pressed, since: nowMs };
  if (next.sampled === next.stable || nowMs - next.since < debounceMs) return { state: next };
  return { state: { ...next, stable: next.sampled }, change: next.sampled ? 'press' : 'release' };
}
