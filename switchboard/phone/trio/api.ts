// The referral as Trio Enterprise's REST API takes it, per subscriber (extension):
// `PUT|GET|DELETE {url}/subscribers/{ext}/referral`, Bearer token. ASSUMED SHAPE: no public description
// of Trio's API exists (searched for docs/phone.md); this is hanvisa's design from what SAMSA's policy
// says Trio keeps (a reason, a return time, an alternative answering point that either takes the call
// or is information for the operator), to be checked against the customer's Trio API documentation
// before use. Pure: the mapping from a hanvisa referral, and the check of what Trio answers.
import { z } from 'zod';
import { referralNote, shownLabel } from '../note.js';
import type { Referral } from '../port.js';

export const TrioReferral = z.object({
  /** Trio's code for the reason (the organisation's mapping, else hanvisa's code; `away` when private) */
  reasonCode: z.string().min(1),
  /** what the operator and Trio Assistant show: "Lunch, tillbaka 13:00" */
  text: z.string(),
  /** ISO 8601; null: until further notice */
  returnTime: z.string().nullable(),
  /** the alternative answering point: `transfer` true takes the call, false is information only */
  alternative: z
    .object({ number: z.string().nullable(), transfer: z.boolean(), text: z.string().optional() })
    .nullable(),
});
export type TrioReferral = z.infer<typeof TrioReferral>;

/** The Trio referral for an away person; null for one who is available (the referral is deleted). */
export function trioReferral(r: Referral, reasons: Readonly<Record<string, string>>): TrioReferral | null {
  const p = r.presence;
  if (p.status !== 'away') return null;
  const code = r.private ? 'away' : (p.reason ?? 'away');
  const alt = p.alt;
  return {
    reasonCode: reasons[code] ?? code,
    text: referralNote(r) ?? shownLabel(r) ?? code,
    returnTime: p.until,
    // SAMSA: the alternative either takes the call directly or is information for the operator
    alternative:
      alt?.kind === 'forward'
        ? { number: alt.to, transfer: true, ...(alt.name ? { text: alt.name } : {}) }
        : alt?.kind === 'info'
          ? { number: null, transfer: false, ...(alt.text ? { text: alt.text } : {}) }
          : null,
  };
}

/** Whether Trio kept what was written: the same instant for the return, everything else as sent. */
export function sameReferral(stored: TrioReferral | null, written: TrioReferral | null): boolean {
  if (stored === null || written === null) return stored === written;
  const instant = (t: string | null) => (t === null ? null : Date.parse(t));
  return (
    stored.reasonCode === written.reasonCode &&
    stored.text === written.text &&
    instant(stored.returnTime) === instant(written.returnTime) &&
    JSON.stringify(stored.alternative) === JSON.stringify(written.alternative)
  );
}
