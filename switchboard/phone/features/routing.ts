// Calls follow the referral: the phone system asks where a call rings (port.ts `route`), this feature
// answers from the referrals it holds (rules/call-routing.ts) at once, and publishes each step on
// extcall/{ext}: `routed`, and when the phone system asks again, `unanswered` (a plain call rang out)
// or `bounced` (an operator's transfer came back). docs/phone.md, "Calls follow the referral".
import { randomBytes } from 'node:crypto';
import type { Feature } from '../../../events/feature.js';
import { type ExtCallEvent, findReason, type OrgInfo, type Presence } from '../../../protocol/index.js';
import { type CallRoute, type RoutingPolicy, routeCall } from '../../../rules/call-routing.js';
import { setBounded } from '../../bounded-map.js';
import { type BridgeContext, hearing, iso, publish } from '../bridge-context.js';
import { referralFor, referralNote } from '../note.js';
import type { CallDecision, CallQuery } from '../port.js';

export interface RoutingSettings {
  /** the switchboard's extension */
  switchboard: string;
  /** default 20 s: Guldborgsund's 4 rings */
  ringLimitSeconds?: number;
  /**
   * numbers a referral's forward is not followed to (Grästorp: the switchboard's own number), besides
   * the organisation's own `switchboard.numbers` on directory/org when it sets `refuseForward`
   */
  refuseForwardTo?: readonly string[];
}

export interface RoutingFeature extends Feature {
  route(query: CallQuery): CallDecision | undefined;
}

/** Calls remembered (for a retransmitted question, and the ring time of a ring-out): a busy day's. */
const REMEMBERED_CALLS = 20_000;
const DIVERTED = { unanswered: 'no-answer', busy: 'user-busy' } as const;

export function routingFeature(ctx: BridgeContext, settings: RoutingSettings | undefined): RoutingFeature {
  const presences = new Map<string, Presence>();
  let orgInfo: OrgInfo | undefined;
  let heard = false;
  /** the config's refused numbers and the organisation's (the union: either may name the switchboard) */
  const refusing = (org: OrgInfo | undefined): RoutingPolicy['refusedForwards'] => {
    const numbers = [
      ...(settings?.refuseForwardTo ?? []),
      ...(org?.switchboard?.refuseForward ? org.switchboard.numbers : []),
    ];
    return { numbers, refuseForward: numbers.length > 0 };
  };
  let policy: RoutingPolicy | undefined = settings && {
    switchboard: settings.switchboard,
    ringLimitSeconds: settings.ringLimitSeconds ?? 20,
    refusedForwards: refusing(undefined),
  };
  /** per call: when it was first routed, and the answer to each question asked (a retransmission gets it again) */
  const calls = new Map<string, { at: number; answers: Map<string, CallDecision> }>();
  const known = {
    presence: (ext: string) => presences.get(ext),
    isPrivate: (reason: string) => findReason(reason, orgInfo?.reasons)?.privacy === 'private',
  };

  function note(ext: string): string | undefined {
    const presence = presences.get(ext);
    return presence?.status === 'away' ? referralNote(referralFor(ext, presence, orgInfo)) : undefined;
  }

  function tell(query: CallQuery, body: Omit<ExtCallEvent, 'v' | 'id' | 'call' | 'at'>): void {
    const event: ExtCallEvent = {
      v: 1,
      id: randomBytes(9).toString('base64url'),
      call: query.call.slice(0, 128),
      at: iso(ctx.now()),
      ...body,
    };
    publish(ctx, { kind: 'ext-call', org: ctx.org, ext: query.called, body: event });
  }

  function published(query: CallQuery, route: CallRoute, firstAt: number): void {
    const transfer = route.transfer ? { transfer: true } : {};
    const ringSeconds = Math.min(3600, Math.max(0, Math.round((ctx.now() - firstAt) / 100) / 10));
    if (route.came === 'unanswered') tell(query, { event: 'unanswered', ringSeconds });
    if (route.came === 'bounced') tell(query, { event: 'bounced', ringSeconds, ...transfer });
    tell(query, {
      event: 'routed',
      to: route.to,
      cause: route.cause,
      target: route.target,
      ...(route.reason !== undefined ? { reason: route.reason } : {}),
      ...(route.until !== undefined ? { until: route.until } : {}),
      ...transfer,
    });
  }

  function decide(query: CallQuery, p: RoutingPolicy): CallDecision {
    const transfer = query.referred || query.from === p.switchboard;
    const route = routeCall(
      { called: query.called, transfer, ...(query.outcome ? { outcome: query.outcome } : {}) },
      p,
      known,
    );
    const seen = calls.get(query.call);
    if (query.called !== p.switchboard) published(query, route, seen?.at ?? ctx.now());
    const leaves = route.target !== query.called;
    const text = leaves ? note(query.called) : undefined;
    return {
      target: route.target,
      ...(route.ringLimitSeconds !== undefined ? { ringLimitSeconds: route.ringLimitSeconds } : {}),
      ...(leaves ? { diverted: query.outcome ? DIVERTED[query.outcome] : 'away' } : {}),
      ...(text ? { note: text } : {}),
    };
  }

  return {
    ...hearing(ctx, {
      broker: {
        // the retained referrals are in once the burst after subscribing has settled
        settled: () => {
          heard = true;
        },
        'directory-org': ({ message: m }) => {
          if (!m.body) return;
          orgInfo = m.body;
          if (policy) policy = { ...policy, refusedForwards: refusing(orgInfo) };
        },
        presence: ({ message: { ext, body } }) => {
          if (body) presences.set(ext, body);
          else presences.delete(ext);
        },
      },
    }),
    route(query) {
      // no settings: every call rings the desk as if there were no hanvisa, unseen
      if (!policy) return { target: query.called };
      // before the retained referrals are in nothing is known: the phone system fails open, and the
      // figures learn of the call (a desk that rings without hanvisa's ring limit)
      if (!heard) {
        if (!query.outcome && query.called !== policy.switchboard)
          tell(query, { event: 'routed', to: 'desk', cause: 'fail-open', target: query.called });
        return undefined;
      }
      const key = query.outcome ?? 'first';
      const seen = calls.get(query.call);
      const again = seen?.answers.get(key);
      if (again) return again;
      const answer = decide(query, policy);
      if (seen) seen.answers.set(key, answer);
      else {
        setBounded(calls, query.call, { at: ctx.now(), answers: new Map([[key, answer]]) }, REMEMBERED_CALLS);
      }
      return answer;
    },
  };
}
