// Where a call to a person's extension rings, by their referral (docs/phone.md, "Calls follow the
// referral"). Pure: the phone bridge feeds it the presences it holds and the organisation's routing
// settings, and tells the phone system the answer.
//
// The policy lines it serves:
// - SAMSA: the alternative answering point either takes the calls directly ("kopplas över direkt till
//   vald anknytning") or is "information till växeln": a forward rings the colleague, info goes to
//   the switchboard, which tells the caller when the person is back (Grästorp/Essunga, Högsby: "Den som
//   ringer ska få ett besked om när du är tillgänglig").
// - Guldborgsund: "maks. 4 ring" (the ring limit, then the switchboard); "Er din telefon optaget, går
//   samtalen … til hovedomstillingen" (busy goes back to the switchboard); a transfer that "kommer
//   tilbage til hovedomstillingen" is bounced.
// - Grästorp/Essunga: "Det är inte ett alternativ att hänvisa sin telefon till kommunens växel": a
//   forward to a number the organisation refuses is not followed (`refusedForwards`, compared by
//   rules/forward.ts's one rule: "0514-580 00" is 58000).
import type { Presence } from '../protocol/index.js';
import { isRefusedSwitchboardForward, type SwitchboardNumbers } from './forward.js';

export interface RoutingPolicy {
  /** the switchboard's extension, where referred and rung-out calls go */
  switchboard: string;
  /** how long a desk or a colleague rings before the call goes on to the switchboard (s) */
  ringLimitSeconds: number;
  /** numbers a referral may not forward to (Grästorp: the switchboard's own), when `refuseForward` */
  refusedForwards: SwitchboardNumbers;
}

export interface CallToRoute {
  /** the extension called */
  called: string;
  /** an operator's transfer: from the switchboard's extension, or an INVITE with Referred-By */
  transfer: boolean;
  /** set when the phone system asks again: the desk or colleague rang out, or was busy */
  outcome?: 'unanswered' | 'busy';
}

export interface CallRoute {
  to: 'desk' | 'forward' | 'switchboard';
  /** the extension that rings */
  target: string;
  cause: 'available' | 'referred' | 'unanswered' | 'busy' | 'refused-forward';
  /** the referral acted on, a private reason only as `away` */
  reason?: string;
  until?: string | null;
  /** how long it may ring before the phone system asks again; absent: until the caller gives up */
  ringLimitSeconds?: number;
  transfer: boolean;
  /** what the earlier step came to: a ring-out of a plain call, or an operator's transfer coming back */
  came?: 'unanswered' | 'bounced';
}

/** What the rule needs to know of a person: their referral, and whether its reason is private. */
export interface Known {
  presence(ext: string): Presence | undefined;
  isPrivate(reason: string): boolean;
}

const away = (p: Presence | undefined): p is Presence & { status: 'away' } => p?.status === 'away';

function referral(p: Presence, known: Known): Pick<CallRoute, 'reason' | 'until'> {
  const reason = p.reason === null || known.isPrivate(p.reason) ? 'away' : p.reason;
  return { reason, until: p.until };
}

export function routeCall(call: CallToRoute, policy: RoutingPolicy, known: Known): CallRoute {
  const { called, transfer } = call;
  const p = known.presence(called);
  const acted = away(p) ? referral(p, known) : {};
  const ring = { ringLimitSeconds: policy.ringLimitSeconds };

  if (call.outcome) {
    // the desk or the colleague did not take it: the switchboard does, and never rings out
    return {
      to: 'switchboard',
      target: policy.switchboard,
      cause: call.outcome,
      transfer,
      ...acted,
      ...(transfer ? { came: 'bounced' } : call.outcome === 'unanswered' ? { came: 'unanswered' } : {}),
    };
  }
  const desk: CallRoute = { to: 'desk', target: called, cause: 'available', transfer, ...ring };
  // the switchboard's own calls, and a person with no referral known: the desk
  if (called === policy.switchboard || !away(p)) return desk;

  const toSwitchboard = (cause: CallRoute['cause']): CallRoute =>
    // an operator's transfer never lands back on the switchboard it came from: the operator chose the
    // desk knowing the referral (the board shows it), so it rings there and comes back if unanswered
    transfer
      ? { ...desk, cause, ...acted }
      : { to: 'switchboard', target: policy.switchboard, cause, transfer, ...acted };

  const alt = p.alt;
  if (alt?.kind !== 'forward') return toSwitchboard('referred');
  if (isRefusedSwitchboardForward(alt.to, policy.refusedForwards)) return toSwitchboard('refused-forward');
  // a forward to oneself, or to a colleague who is away too, would reach nobody
  if (alt.to === called || away(known.presence(alt.to))) return toSwitchboard('referred');
  return { to: 'forward', target: alt.to, cause: 'referred', transfer, ...acted, ...ring };
}
