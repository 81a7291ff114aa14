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

// --- issue 23: guard rails, enforced wherever a referral is written (desk, board, calendar) ---

/** The switchboard's own numbers and whether the org refuses a forward to them (OrgInfo.switchboard). */
export interface SwitchboardNumbers {
  numbers: readonly string[];
  refuseForward: boolean;
}

/** Digits only: "0514-580 00" and "051458000" are one number. A leading + keeps its place as "00". */
const digits = (n: string) => n.trim().replace(/^\+/, '00').replace(/\D/g, '');

/**
 * Whether a forward to `to` is a forward to the switchboard that the org refuses (Grästorp/Essunga:
 * "Det är inte ett alternativ att hänvisa sin telefon till kommunens växel, utan välj något av
 * alternativen i hänvisningssystemet"): the caller would land back where they started. The phone
 * bridge's call router takes the same check for a forward it is asked to follow.
 */
export function isRefusedSwitchboardForward(
  to: string,
  switchboard: SwitchboardNumbers | undefined,
): boolean {
  if (!switchboard?.refuseForward) return false;
  const target = digits(to);
  return target !== '' && switchboard.numbers.some((n) => digits(n) === target);
}

/** A forward that can never reach anyone: refused from every writer. */
export type ForwardRefusal = 'own-extension' | 'switchboard';

/** Why a forward from `fromExt` to `toExt` is refused outright, or null. */
export function forwardRefusal(
  fromExt: string,
  toExt: string,
  switchboard: SwitchboardNumbers | undefined,
): ForwardRefusal | null {
  if (digits(toExt) === digits(fromExt)) return 'own-extension';
  return isRefusedSwitchboardForward(toExt, switchboard) ? 'switchboard' : null;
}

/**
 * What a writer is told of a forward to a colleague who is away (the role decides, auth/access.ts):
 * 'warn' — allowed, and the answer says why the calls may go nowhere (the operator, who sees the
 * whole board and may know the colleague forwarded on); 'refuse' — not written (a writer without
 * that overview).
 */
export type AwayForwardPolicy = 'warn' | 'refuse';

export type ForwardCheck =
  | { ok: true; warning: ForwardWarning | null }
  | { ok: false; refusal: ForwardRefusal | 'away'; warning: ForwardWarning | null };

/** The whole check of a forward about to be written: refusals first, then the colleague's presence. */
export function checkForward(
  fromExt: string,
  toExt: string,
  target: ForwardTarget | undefined,
  now: Date,
  rules: { switchboard: SwitchboardNumbers | undefined; away: AwayForwardPolicy },
): ForwardCheck {
  const refusal = forwardRefusal(fromExt, toExt, rules.switchboard);
  if (refusal) return { ok: false, refusal, warning: null };
  const warning = forwardWarning(fromExt, toExt, target, now);
  if (warning?.kind === 'away' && rules.away === 'refuse') return { ok: false, refusal: 'away', warning };
  return { ok: true, warning };
}
