// What each role may see. Operators see everything (they must answer "when is she back?" and hold
// the confidentiality duty of the switchboard, SAMSA §3); a viewer (a wall screen, a colleague) and
// IT see a private reason such as sick leave only as "away", and phone messages only their own.
import type { NumberAudience, ReasonDefinition } from '../../protocol/index.js';
import type { Session } from './sessions.js';
import type { Role } from './users.js';

/** The reason code this role may see: private reasons become 'away' for everyone but operators.
 * A code missing from the catalogue should be passed as private: unknown means not shown. */
export function visibleReason(role: Role, reason: Pick<ReasonDefinition, 'code' | 'privacy'>): string {
  return role === 'operator' || reason.privacy === 'public' ? reason.code : 'away';
}

/** Whether the session may see this organisation's people at all. */
export function canSeeOrg(session: Pick<Session, 'orgs'>, org: string): boolean {
  return session.orgs === '*' || session.orgs.includes(org);
}

/** Message contents are for operators and the recipient only, within the session's organisations
 * (`org` tells which one the extension belongs to when the board serves several). */
export function canSeeMessages(
  role: Role,
  session: Pick<Session, 'orgs' | 'ext'> | undefined,
  ext: string,
  org?: string,
): boolean {
  if (org !== undefined && session && !canSeeOrg(session, org)) return false;
  return role === 'operator' || (session?.ext !== undefined && session.ext === ext);
}

/** Who may act: set a referral on someone's behalf, take a message, mark one handled. */
export const ACTING_ROLES: readonly Role[] = ['operator'];

/**
 * Issue 23: what a writer is told of a forward to a colleague who is away (rules/forward.ts). The
 * operator sees the whole board and may know the colleague forwarded on or is back in time: warned,
 * allowed. Every other writing role (h27's staff and manager) lacks that overview: refused.
 */
export function awayForwardPolicy(role: Role): 'warn' | 'refuse' {
  return role === 'operator' ? 'warn' : 'refuse';
}

/**
 * Issue 23: who may refer a whole department at once (SAMSA §6: "alla telefoner hänvisas och
 * växelpersonalen skall meddelas"): the operator; h27's manager role joins here.
 */
export function canReferDepartment(role: Role): boolean {
  return role === 'operator';
}

/**
 * Issue 23: which numbers a role may be given (rules/numbers.ts). The operator and IT are staff and
 * see every number, each marked with whom it may be given to (a partner's call: the "partners"
 * numbers); a viewer (a wall screen, a lobby) only public ones. A role added later (h27's staff,
 * manager) is public until it is named here.
 */
export function numberAudience(role: Role): NumberAudience {
  return role === 'operator' || role === 'it' ? 'internal' : 'public';
}
