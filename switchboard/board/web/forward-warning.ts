// The acting panel's warning under "Koppla till ankn.", as the operator types: the colleague is away
// too (a warning: the operator may still send it), or it is the person's own extension or the
// switchboard's number where the org refuses that (said here, refused by the server: rules/forward.ts).
import { forwardWarning, isRefusedSwitchboardForward } from '../../../rules/forward.js';
import type { WholeRow } from '../wire-rows.js';
import { reasonLabel, returnText } from './format.js';
import { catalogueOf, state, t, timeZoneOf } from './state.js';

/** The sentence for a forward from `row`'s person to the extension typed, or '' when there is none. */
export function forwardWarningText(row: WholeRow, typed: string): string {
  const to = typed.trim();
  if (!/^[0-9]{1,15}$/.test(to)) return ''; // not an extension yet: the check before sending says so
  // refused by the server (rules/forward.ts): said here as it is typed
  if (isRefusedSwitchboardForward(to, state.orgs.get(row.org)?.switchboard)) return t().forwardToSwitchboard;
  const colleague = state.rows.get(`${row.org}/${to}`);
  const warning = forwardWarning(row.ext, to, colleague, new Date(state.now));
  if (!warning) return '';
  const h = t();
  if (warning.kind === 'own-extension') return h.forwardToSelf;
  const who = colleague?.name ? `${colleague.name} (${to})` : to;
  const reason = reasonLabel(warning.reason ?? '', state.lang, catalogueOf(row.org));
  const back = colleague ? returnText(colleague, state.now, state.lang, timeZoneOf(row.org)) : '';
  return h.forwardAway.replace('{who}', who).replace('{state}', [reason, back].filter(Boolean).join(', '));
}
