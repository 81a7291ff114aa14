// A person's number as the detail panel shows it (issue 23): the number, and whom it may be given to
// when that is not everyone (Guldborgsund: some direct numbers are for partners only). The server has
// already left out what this session may not have (wire.ts); this only says the rule for the rest.
import { numberVisibility } from '../../../rules/numbers.js';
import type { WholeRow } from '../wire-rows.js';
import { t } from './state.js';

export function numberText(row: WholeRow, kind: 'direct' | 'mobile' | 'email'): string {
  const value = row[kind];
  if (!value) return '';
  const audience = numberVisibility(row.visibility, kind);
  const h = t();
  if (audience === 'public') return value;
  return `${value} · ${audience === 'partners' ? h.audiencePartners : h.audienceInternal}`;
}
