// The acting panel's warning under "Koppla till ankn.", as the operator types: the colleague is away
// too, or it is the person's own extension (the rule: rules/forward.ts). A warning, not a refusal:
// the operator may still send it.
import { forwardWarning } from '../../../rules/forward.js';
import type { WholeRow } from '../wire-rows.js';
import { reasonLabel, returnText } from './format.js';
import { catalogueOf, state, t, timeZoneOf } from './state.js';

/** The sentence for a forward from `row`'s person to the extension typed, or '' when there is none. */
export function forwardWarningText(row: WholeRow, typed: string): string {
  const to = typed.trim();
  if (!/^[0-9]{1,15}$/.test(to)) return ''; // not an extension yet: the check before sending says so
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
