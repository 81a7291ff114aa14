// What the staff page shows a person about themselves (GET /api/me): their own referral in full (the
// reason too, private or not: it is theirs), their waiting phone messages, their next calendar absence,
// and what they choose from:
// the organisation's reasons with their default return rules and its step for ±. Pure.
import { policyFromOrg } from '../../rules/policy.js';
import type { Session } from '../auth/index.js';
import type { BoardModel } from '../board/model.js';
import type { MyView } from './my-view.js';

/** The person's own view, or undefined when their extension is not on this board. */
export function myView(model: BoardModel, session: Pick<Session, 'orgs' | 'ext'>): MyView | undefined {
  const org = session.orgs === '*' ? undefined : session.orgs[0];
  if (org === undefined || session.ext === undefined) return undefined;
  const row = model.row(org, session.ext);
  if (!row) return undefined;
  const info = model.orgs.get(org);
  const policy = policyFromOrg(info);
  return {
    org,
    orgName: info?.name ?? null,
    timeZone: policy.timeZone,
    ext: row.ext,
    name: row.name,
    status: row.status,
    reason: row.reason,
    since: row.since,
    until: row.until,
    alt: row.alt,
    note: row.note,
    messages: row.phoneMessages ?? [],
    nextAbsence: row.nextAbsence,
    reasons: [...policy.reasons],
    stepMinutes: policy.stepMinutes,
  };
}
