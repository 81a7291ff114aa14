// The bridge as a SIP redirect server (RFC 3261 §8.3.2): the PBX sends each call for a local user here
// first, and the answer is at once a 302 Moved Temporarily whose Contact is where the call rings (the
// desk, the colleague of a forward, or the switchboard), with Diversion (RFC 5806: who was called, and
// why the call left them), Hanvisa-Reason (the referral as text) and Hanvisa-Ring-Limit (how long before
// the PBX asks again with Hanvisa-Outcome). Any PBX or SBC that follows redirects can consult it;
// deploy/kamailio/kamailio.cfg does, and fails open on anything else (docs/phone.md).
import type { CallDecision, CallQuery, PhoneListener } from '../port.js';
import type { Answer, Request } from './endpoint.js';
import { header } from './message.js';

const EXT = /^[0-9]{1,15}$/;

/** The user part of a SIP URI or name-addr ("Anna" <sip:4711@pbx;user=phone>;tag=x → 4711). */
export function uriUser(value: string | undefined): string | undefined {
  return value ? /sips?:([^@;>\s]+)@/i.exec(value)?.[1] : undefined;
}

/** What the INVITE asks; an Error for one that names no extension. */
export function callQuery(invite: Request): CallQuery | Error {
  const called = uriUser(invite.uri) ?? uriUser(header(invite, 'to'));
  if (!called || !EXT.test(called))
    return new Error(`INVITE for ${JSON.stringify(invite.uri)}: not an extension`);
  const call = header(invite, 'call-id');
  if (!call) return new Error('INVITE without Call-ID');
  const from = uriUser(header(invite, 'from'));
  const outcome = header(invite, 'hanvisa-outcome')?.trim().toLowerCase();
  if (outcome !== undefined && outcome !== 'unanswered' && outcome !== 'busy')
    return new Error(`INVITE with Hanvisa-Outcome ${JSON.stringify(outcome)}`);
  return {
    call,
    called,
    referred: invite.headers.has('referred-by'),
    ...(from ? { from } : {}),
    ...(outcome ? { outcome } : {}),
  };
}

/** A header value is one line: no CR/LF may reach the PBX from a referral's text. */
const oneLine = (text: string) => text.replace(/[\r\n]+/g, ' ');

export function redirect(query: CallQuery, decision: CallDecision, domain: string): Answer {
  const headers: [string, string][] = [['Contact', `<sip:${decision.target}@${domain}>`]];
  if (decision.diverted)
    headers.push(['Diversion', `<sip:${query.called}@${domain}>;reason=${decision.diverted};counter=1`]);
  if (decision.note) headers.push(['Hanvisa-Reason', oneLine(decision.note)]);
  if (decision.ringLimitSeconds !== undefined)
    headers.push(['Hanvisa-Ring-Limit', String(decision.ringLimitSeconds)]);
  return { status: 302, reason: 'Moved Temporarily', headers };
}

/** No decision (the bridge has heard no referrals yet): the PBX rings the desk as if there were no hanvisa. */
export const UNDECIDED: Answer = { status: 503, reason: 'Routing Not Ready' };

/**
 * The answer to an INVITE: the listener's decision as a redirect, told to `sent` (where the call now
 * rings); a bad INVITE counted as a fault.
 */
export function answerInvite(
  invite: Request,
  domain: string,
  listener: Pick<PhoneListener, 'route' | 'fault'> | undefined,
  sent?: (query: CallQuery, decision: CallDecision) => void,
): Answer {
  const query = callQuery(invite);
  if (query instanceof Error) {
    listener?.fault(query);
    return { status: 400, reason: 'Bad Request' };
  }
  const decision = listener?.route?.(query);
  if (!decision) return UNDECIDED;
  sent?.(query, decision);
  return redirect(query, decision, domain);
}
