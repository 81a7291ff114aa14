// What each role may see and do. Operators see everything (they must answer "when is she back?" and
// hold the confidentiality duty of the switchboard, SAMSA §3); everyone else sees a private reason such
// as sick leave only as "away", and phone messages only their own. Staff and managers act on their own
// extension only (SAMSA §4.4: everyone refers their own phone, from the web too); managers also answer
// for their departments' coverage (Högsby, SAMSA §4.3/§6; Grästorp: "sektorchef bestämmer servicenivå").
import type { NumberAudience, ReasonDefinition } from '../../protocol/index.js';
import type { Session } from './sessions.js';
import type { Role } from './users.js';

type Who = Pick<Session, 'role' | 'orgs' | 'ext' | 'departments'>;

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

/** Who may act on anyone's behalf: set a referral, take a message, mark one handled, read the audit trail. */
export const ACTING_ROLES: readonly Role[] = ['operator'];
/** Who may act on their own extension: their referral, their messages' "handled". */
export const SELF_ACTING_ROLES: readonly Role[] = ['staff', 'manager'];

/**
 * Whether this is the session's own extension, for a role that acts on its own: the one extension of
 * its one organisation (the users file and the OIDC mapping insist on exactly one; a session with
 * more is refused here too, since the same number in another municipality is someone else).
 */
export function isOwnExtension(session: Who, org: string, ext: string): boolean {
  return (
    SELF_ACTING_ROLES.includes(session.role) &&
    session.ext !== undefined &&
    session.ext === ext &&
    session.orgs !== '*' &&
    session.orgs.length === 1 &&
    session.orgs[0] === org
  );
}

/** Whether the session may set or clear this person's referral: an operator of the org, or the person. */
export function canSetReferral(session: Who, org: string, ext: string): boolean {
  if (ACTING_ROLES.includes(session.role)) return canSeeOrg(session, org);
  return isOwnExtension(session, org, ext);
}

/** Whether the session may mark this person's phone message handled: an operator of the org, or the
 * recipient (any role with their `ext`, as before staff existed: a viewer who is also staff). */
export function canHandleMessage(session: Who, org: string, ext: string): boolean {
  if (ACTING_ROLES.includes(session.role)) return canSeeOrg(session, org);
  if (SELF_ACTING_ROLES.includes(session.role)) return isOwnExtension(session, org, ext);
  return canSeeMessages(session.role, session, ext, org);
}

/** Whether the session manages this department: the manager named for it, in its organisation. */
export function managesDepartment(session: Who, org: string, department: string): boolean {
  return (
    session.role === 'manager' &&
    session.orgs !== '*' &&
    session.orgs.length === 1 &&
    session.orgs[0] === org &&
    (session.departments?.includes(department) ?? false)
  );
}

/**
 * Whether the session may refer a whole department at once (issue 23's department referral calls
 * this): an operator of the org, or the department's manager (SAMSA §4.3: the manager organises the
 * department's phone coverage).
 */
export function canReferDepartment(session: Who, org: string, department: string): boolean {
  if (ACTING_ROLES.includes(session.role)) return canSeeOrg(session, org);
  return managesDepartment(session, org, department);
}

/**
 * Issue 23: what a writer is told of a forward to a colleague who is away (rules/forward.ts). The
 * operator sees the whole board and may know the colleague forwarded on or is back in time: warned,
 * allowed. Every other writing role (staff, managers) lacks that overview: refused.
 */
export function awayForwardPolicy(role: Role): 'warn' | 'refuse' {
  return role === 'operator' ? 'warn' : 'refuse';
}

/**
 * Issue 23: which numbers a role may be given (rules/numbers.ts). The operator and IT are staff and
 * see every number, each marked with whom it may be given to (a partner's call: the "partners"
 * numbers); so are staff and managers, who work for the municipality; a viewer (a wall screen, a
 * lobby) only public ones.
 */
export function numberAudience(role: Role): NumberAudience {
  return role === 'viewer' ? 'public' : 'internal';
}
