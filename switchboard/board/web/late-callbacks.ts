// The department panel's late callbacks (issue 23): who in the department has a phone message past
// its callback deadline or voicemail waiting past its own, so the operator can chase it (Falkenberg:
// the same day; Högsby: "senast nästkommande arbetsdag"; SAMSA: voicemail "läses av dagligen"), not
// only the person's desk lamp. The rule is rules/messages.ts's lateCallbacks; a viewer's rows carry no
// message contents (wire.ts), so a viewer sees only the late voicemail.
import { lateCallbacks } from '../../../rules/messages.js';
import { policyFromOrg } from '../../../rules/policy.js';
import type { WholeRow } from '../wire-rows.js';
import { clock } from './format.js';
import { state, t } from './state.js';

/** The department's people with something late, the longest-waiting voicemail first, and what is late. */
export function lateInDepartment(
  rows: Iterable<WholeRow>,
  org: string,
  now: number,
  tz: string | undefined,
): { rows: WholeRow[]; text: (row: WholeRow) => string } {
  const policy = policyFromOrg(state.orgs.get(org));
  const late = new Map<WholeRow, ReturnType<typeof lateCallbacks>>();
  for (const row of rows) {
    const found = lateCallbacks(row, new Date(now), policy, row);
    if (found.messages || found.voicemailSince) late.set(row, found);
  }
  const h = t();
  return {
    rows: [...late.keys()].sort(
      (a, b) => (late.get(b)?.messages ?? 0) - (late.get(a)?.messages ?? 0) || a.ext.localeCompare(b.ext),
    ),
    text: (row) => {
      const found = late.get(row);
      if (!found) return '';
      return [
        found.messages ? h.lateMessages.replace('{n}', String(found.messages)) : '',
        found.voicemailSince
          ? h.lateVoicemail.replace('{when}', clock(found.voicemailSince, now, state.lang, tz))
          : '',
      ]
        .filter(Boolean)
        .join(' · ');
    },
  };
}
