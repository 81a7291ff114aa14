// A whole department referred in one action (SAMSA §6: "Om hela avdelningen lämnas obemannad skall
// alla telefoner hänvisas och växelpersonalen skall meddelas. Lämna gärna ett nummer till växeln som
// kan nås vid nödläge"), and undone again: each person gets back the referral they had before, unless
// they changed it since (their own change wins). Pure: writes.ts's department route does the I/O.
import { z } from 'zod';
import { type Actor, nextSeq, type Presence, ReasonCode } from '../../protocol/index.js';
import type { OrgPolicy } from '../../rules/policy.js';
import { initialPresence } from '../../rules/referral.js';
import { type Outcome, presenceOnBehalf } from './actions.js';

/** POST /api/department/{org}/{dept}/referral */
export const DepartmentReferralRequest = z
  .strictObject({
    reason: ReasonCode,
    until: z.string().max(40).optional(),
    untilFurtherNotice: z.literal(true).optional(),
    note: z.string().trim().max(80).optional(),
    /** the number the switchboard may call in an emergency: each person's alternative answering point (info) */
    emergency: z.string().trim().max(32).optional(),
  })
  .refine((r) => !(r.until && r.untilFurtherNotice), 'give until or untilFurtherNotice, not both');
export type DepartmentReferralRequest = z.infer<typeof DepartmentReferralRequest>;

/** POST /api/department/{org}/{dept}/referral/undo */
export const DepartmentUndoRequest = z.strictObject({ id: z.string().min(1).max(64) });

/** One person's step: what they had and what the department referral wrote. */
export interface DepartmentStep {
  ext: string;
  previous: Presence | null;
  written: Presence;
}

/** What the board keeps to undo a department referral (in memory: docs/board.md says why). */
export interface DepartmentRecord {
  id: string;
  org: string;
  department: string;
  by: string;
  at: string;
  note: string | null;
  emergency: string | null;
  steps: DepartmentStep[];
}

/** Whether `current` already covers the department's absence: away as long, or until further notice. */
const awayLonger = (current: Presence | null, written: Presence) =>
  current?.status === 'away' &&
  (current.until === null ||
    (written.until !== null && Date.parse(current.until) >= Date.parse(written.until)));

/**
 * Every member's referral, all or none: one member's refusal (a time passed) refuses the whole. A
 * member already away as long or longer (sick until further notice, on vacation) keeps their own
 * referral, which says more than the department's: `kept` names them.
 */
export function planDepartmentReferral(
  members: readonly { ext: string; presence: Presence | null }[],
  request: DepartmentReferralRequest,
  ctx: { now: Date; policy: OrgPolicy; actor: Actor },
): Outcome<{ steps: DepartmentStep[]; kept: string[] }> {
  const { emergency, ...referral } = request;
  const steps: DepartmentStep[] = [];
  const kept: string[] = [];
  for (const { ext, presence } of members) {
    // with an emergency number it is everyone's alternative; without one each keeps their own
    const made = presenceOnBehalf(
      presence,
      { ...referral, ...(emergency ? { alt: { kind: 'info', text: emergency } } : {}) },
      ctx,
    );
    if (!made.ok) return made;
    if (awayLonger(presence, made.value)) kept.push(ext);
    else steps.push({ ext, previous: presence, written: made.value });
  }
  return { ok: true, value: { steps, kept } };
}

/** The presence to publish to undo one step, or why not: the person changed it since (their change stays). */
export function undoStep(
  step: DepartmentStep,
  current: Presence | null,
  ctx: { now: Date; actor: Actor },
): Presence | 'changed-since' {
  if (!current || current.seq !== step.written.seq || current.at !== step.written.at) return 'changed-since';
  const at = ctx.now.toISOString();
  const before = step.previous ?? initialPresence(ctx.now, ctx.actor);
  // what they had, one step newer than the department's referral; someone available is available from now
  return {
    ...before,
    ...(before.status === 'available' ? { since: at } : {}),
    seq: nextSeq(current.seq),
    by: ctx.actor,
    at,
  };
}
