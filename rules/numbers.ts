// Who may be given which of a person's numbers (issue 23). Guldborgsund: some direct numbers are
// public, others only for partners; SAMSA §4.2/§8: an extension on mobile extension (OE) is the
// mobile number, and the operator says so. Each number has an audience (public, partners, internal);
// each reader has one too (the board's role, auth/access.ts); a number goes to a reader whose audience
// reaches at least as far in.
import type { NumberAudience, Person } from '../protocol/index.js';

/** Narrowest first: public numbers go to everyone, internal ones only to staff. */
const REACH: Record<NumberAudience, number> = { public: 0, partners: 1, internal: 2 };

/**
 * A number without a visibility of its own: a direct number and an e-mail address are published in
 * the municipality's directory anyway; a mobile number is given by the switchboard, not printed.
 */
export const DEFAULT_VISIBILITY: Record<NumberKind, NumberAudience> = {
  direct: 'public',
  mobile: 'internal',
  email: 'public',
};

export type NumberKind = 'direct' | 'mobile' | 'email';

/** The audience of one of the person's numbers. */
export function numberVisibility(
  visibility: Person['visibility'] | null | undefined,
  kind: NumberKind,
): NumberAudience {
  return visibility?.[kind] ?? DEFAULT_VISIBILITY[kind];
}

/** Whether a reader of `reader` audience may be given a number of `number` audience. */
export function mayGive(reader: NumberAudience, number: NumberAudience): boolean {
  return REACH[number] <= REACH[reader];
}
