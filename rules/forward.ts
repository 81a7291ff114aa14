// Forwarding to a colleague, the alternative answering point (SAMSA: "a colleague who can take your
// calls while you are away"; Guldborgsund: the colleague you forward to must offer to help the
// caller): the calls go nowhere when that colleague is away too, or when the forward points back at
// the person's own extension. Whoever sets the forward is warned; the choice stays theirs (the
// colleague may be back in time, or have forwarded on to someone who is in).

/** What is known of the colleague forwarded to: their presence, as the board's row has it. */
export interface ForwardTarget {
  /** null: no presence known yet */
  status: 'available' | 'away' | null;
  reason: string | null;
  /** return time (ISO); null while away: until further notice */
  until: string | null;
}

export type ForwardWarning =
  | { kind: 'own-extension' }
  | { kind: 'away'; reason: string | null; until: string | null; overdue: boolean };

/**
 * Why a forward from `fromExt` to `toExt` may not reach anyone at `now`, or null. `target` is the
 * colleague's presence (undefined: not on the board, e.g. an outside number: nothing to say).
 */
export function forwardWarning(
  fromExt: string,
  toExt: string,
  target: ForwardTarget | undefined,
  now: Date,
): ForwardWarning | null {
  if (toExt === fromExt) return { kind: 'own-extension' };
  if (target?.status !== 'away') return null;
  const overdue = target.until !== null && Date.parse(target.until) <= now.getTime();
  return { kind: 'away', reason: target.reason, until: target.until, overdue };
}
