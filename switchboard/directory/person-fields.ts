// The directory columns issue 23 adds to a person: mobile extension (SAMSA §4.2/§8, "OE": the
// extension is the mobile number), whom each number may be given to (Guldborgsund: public, or for
// partners only) and what the person handles (Guldborgsund's "vidensdatabase"; Högsby: misdirected
// calls to the right officer). Pure: a cell that cannot be read names its column and why.
import type { NumberAudience, Person } from '../../protocol/index.js';
import type { Column } from './table.js';

export const YES = new Set(['ja', 'j', 'yes', 'y', 'true', '1', 'x']);
export const NO = new Set(['nej', 'n', 'no', 'false', '0', '']);

export const PERSON_RULE_COLUMNS: Column[] = [
  { field: 'oe', aliases: ['mobile_extension', 'mobilanknytning', 'mobil_anknytning'], required: false },
  { field: 'direct_visibility', aliases: ['direkt_synlighet', 'direkte_synlighed'], required: false },
  { field: 'mobile_visibility', aliases: ['mobil_synlighet', 'mobil_synlighed'], required: false },
  { field: 'email_visibility', aliases: ['epost_synlighet', 'e_mail_synlighed'], required: false },
  {
    field: 'keywords',
    aliases: ['nyckelord', 'sökord', 'ansvar', 'handlägger', 'nøgleord', 'ansvarsområder'],
    required: false,
  },
];

/** Swedish, Danish and English words for each audience, as IT writes them in Excel. */
const AUDIENCES: Record<string, NumberAudience> = Object.fromEntries([
  ...['public', 'offentlig', 'offentligt', 'publik', 'alla', 'alle'].map((w) => [w, 'public']),
  ...[
    'partners',
    'partner',
    'samarbetspartner',
    'samarbetspartners',
    'samarbejdspartner',
    'samarbejdspartnere',
  ].map((w) => [w, 'partners']),
  ...['internal', 'intern', 'internt'].map((w) => [w, 'internal']),
]);

export type PersonRuleFields = Pick<Person, 'mobileExtension' | 'visibility' | 'keywords'>;

/** The fields from the row's cells (empty cells: left out), or the column and why it cannot be read. */
export function personRuleFields(
  values: Record<string, string>,
): { ok: true; value: PersonRuleFields } | { ok: false; field: string; reason: string } {
  const out: PersonRuleFields = {};
  const oe = (values.oe ?? '').toLowerCase();
  if (!YES.has(oe) && !NO.has(oe))
    return {
      ok: false,
      field: 'oe',
      reason: `${JSON.stringify(values.oe)}: expected ja/nej, yes/no or true/false`,
    };
  if (YES.has(oe)) out.mobileExtension = true;
  const visibility: NonNullable<Person['visibility']> = {};
  for (const kind of ['direct', 'mobile', 'email'] as const) {
    const cell = (values[`${kind}_visibility`] ?? '').trim().toLowerCase();
    if (!cell) continue;
    const audience = AUDIENCES[cell];
    if (!audience)
      return {
        ok: false,
        field: `${kind}_visibility`,
        reason: `${JSON.stringify(values[`${kind}_visibility`])}: expected public, partners or internal (offentlig, samarbetspartner, intern)`,
      };
    visibility[kind] = audience;
  }
  if (Object.keys(visibility).length) out.visibility = visibility;
  // one cell, the keywords apart by , ; or | (a ; inside a Swedish Excel file's cell comes quoted)
  const keywords = (values.keywords ?? '')
    .split(/[,;|]/)
    .map((k) => k.trim())
    .filter(Boolean);
  if (keywords.length) out.keywords = keywords;
  return { ok: true, value: out };
}
