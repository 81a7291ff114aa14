// What an operator does on someone's behalf, as pure functions: set or clear a referral (Grästorp,
// Essunga: the switchboard registers a colleague who phoned in sick), take a phone message
// (Guldborgsund: electronic messages; Högsby/Falkenberg: call back next working day / same day), and
// mark one handled. The rules are the desk's own (rules/), so a referral set from the board
// means exactly what the same keys on the desk would.
import { z } from 'zod';
import {
  type Actor,
  AltAnswer,
  findReason,
  issueLines,
  type Mwi,
  Mwi as MwiSchema,
  nextSeq,
  type PhoneMessage,
  type Presence,
  Presence as PresenceSchema,
  ReasonCode,
} from '../../protocol/index.js';
import {
  type AwayForwardPolicy,
  checkForward,
  type ForwardTarget,
  type ForwardWarning,
} from '../../rules/forward.js';
import { type Recipient, recipientDeadline } from '../../rules/messages.js';
import type { OrgPolicy } from '../../rules/policy.js';
import { applyAction, initialPresence } from '../../rules/referral.js';
import { ceilToMinute, fromLocal, localParts, startOfWorkdayOnOrAfter } from '../../rules/time.js';

/** POST /api/presence/{org}/{ext}: a referral, or {open: true} to make the person available again. */
export const PresenceRequest = z.union([
  z.strictObject({ open: z.literal(true) }),
  z
    .strictObject({
      reason: ReasonCode,
      /**
       * 'HH:MM' in the organisation's time zone (the next such time), 'YYYY-MM-DD HH:MM', a return date
       * 'YYYY-MM-DD' (the start of the working day then, or of the next one), or an ISO instant
       */
      until: z.string().max(40).optional(),
      untilFurtherNotice: z.literal(true).optional(),
      alt: AltAnswer.nullable().optional(),
      note: z.string().max(80).optional(),
    })
    .refine((r) => !(r.until && r.untilFurtherNotice), 'give until or untilFurtherNotice, not both'),
]);
export type PresenceRequest = z.infer<typeof PresenceRequest>;

/** POST /api/messages/{org}/{ext}: a phone message taken for the person. */
export const MessageRequest = z.strictObject({
  from: z.string().trim().min(1, 'from: who called').max(120),
  number: z.string().trim().max(32).optional(),
  text: z.string().trim().min(1, 'text: the message').max(1000),
});
export type MessageRequest = z.infer<typeof MessageRequest>;

/** A refusal says which field it is about and a code the page maps to its own sentence. */
export type Outcome<T> = { ok: true; value: T } | { ok: false; error: string; field: string; code: string };
const refuse = (field: string, code: string, error: string) => ({ ok: false, field, code, error }) as const;

export interface ActContext {
  now: Date;
  policy: OrgPolicy;
  actor: Actor;
}

/** A zod failure as one line: "until: ...; note: ...". */
export function issues(error: z.ZodError): string {
  return issueLines(error, { max: 5 }).join('; ');
}

/** The code of a zod issue for the page: 'required', 'too-long', 'unknown-field' or 'invalid'. */
export function issueCode(issue: z.core.$ZodIssue | undefined): string {
  if (issue?.code === 'too_small') return 'required';
  if (issue?.code === 'too_big') return 'too-long';
  if (issue?.code === 'unrecognized_keys') return 'unknown-field';
  return 'invalid';
}

const future = (value: Date, now: Date): Outcome<Date> =>
  value.getTime() <= now.getTime()
    ? refuse('until', 'passed', 'until: the return time has passed')
    : { ok: true, value };

/**
 * The return time asked for: 'HH:MM' is the next such wall-clock time in the org's zone; a date
 * ("vacation until 7 January", "sick until Monday") is the day the person is back, at the start of
 * that working day, or of the first working day after it (a weekend, a holiday).
 */
export function parseUntil(text: string, now: Date, policy: OrgPolicy): Outcome<Date> {
  const { timeZone } = policy;
  const dated = /^(\d{4})-(\d{2})-(\d{2})(?:[ T]([01][0-9]|2[0-3]):([0-5][0-9]))?$/.exec(text);
  if (dated) {
    const [y, m, d] = [Number(dated[1]), Number(dated[2]), Number(dated[3])];
    const probe = new Date(Date.UTC(y, m - 1, d));
    if (probe.getUTCMonth() !== m - 1 || probe.getUTCDate() !== d)
      return refuse('until', 'format', 'until: no such date');
    if (dated[4] !== undefined)
      return future(fromLocal(y, m, d, Number(dated[4]), Number(dated[5]), timeZone), now);
    return future(ceilToMinute(startOfWorkdayOnOrAfter(fromLocal(y, m, d, 0, 0, timeZone), policy)), now);
  }
  const clock = /^([01][0-9]|2[0-3]):([0-5][0-9])$/.exec(text);
  if (clock) {
    const today = localParts(now, timeZone);
    const at = (day: number) =>
      fromLocal(today.year, today.month, day, Number(clock[1]), Number(clock[2]), timeZone);
    const candidate = at(today.day);
    // Date.UTC rolls day 32 over into the next month, so day + 1 is always tomorrow.
    return { ok: true, value: candidate.getTime() > now.getTime() ? candidate : at(today.day + 1) };
  }
  const instant = z.iso.datetime({ offset: true }).safeParse(text);
  if (!instant.success)
    return refuse('until', 'format', 'until: HH:MM, YYYY-MM-DD [HH:MM] or an ISO 8601 time');
  return future(ceilToMinute(new Date(instant.data)), now);
}

/**
 * The presence the operator's request makes, one step newer than `current` (nextSeq, by the operator,
 * who wins a tie with the desk). `{open}` is the desk's Open key; a reason gets the return time asked
 * for, else the reason's own default from now (sick: the next working day), as on the desk.
 */
export function presenceOnBehalf(
  current: Presence | null,
  request: PresenceRequest,
  ctx: ActContext,
): Outcome<Presence> {
  const base = current ?? initialPresence(ctx.now, ctx.actor);
  const desk = { now: ctx.now, policy: ctx.policy, actor: ctx.actor };
  if ('open' in request) {
    const next = applyAction(base, { type: 'open' }, desk);
    return {
      ok: true,
      value: next === base ? { ...base, seq: nextSeq(base.seq), by: ctx.actor, at: iso(ctx.now) } : next,
    };
  }
  const def = findReason(request.reason, ctx.policy.reasons);
  if (!def)
    return refuse('reason', 'unknown', `reason: ${request.reason} is not in the organisation's catalogue`);
  let until: Date | null;
  if (request.untilFurtherNotice) {
    // The caller must always learn when the person is back (SAMSA, Högsby): such a reason needs a time.
    if (def.returnRequired)
      return refuse('untilFurtherNotice', 'return-required', `reason: ${def.code} needs a return time`);
    until = null;
  } else if (request.until) {
    const parsed = parseUntil(request.until, ctx.now, ctx.policy);
    if (!parsed.ok) return parsed;
    until = parsed.value;
  } else {
    // No time given: what the reason key does on the desk, chaining included (SAMSA: a reason set
    // while away starts at the current end; the same reason again extends by a step).
    const pressed = applyAction(base, { type: 'reason', reason: def.code }, desk);
    until = pressed.until === null ? null : new Date(pressed.until);
  }
  const presence: Presence = {
    v: 1,
    status: 'away',
    reason: def.code,
    // a changed reason or time within one absence keeps when it began, as on the desk
    since: base.status === 'away' ? base.since : iso(ctx.now),
    until: until === null ? null : iso(until),
    alt: request.alt === undefined ? (base.status === 'away' ? base.alt : null) : request.alt,
    seq: nextSeq(base.seq),
    by: ctx.actor,
    at: iso(ctx.now),
  };
  if (request.note) presence.note = request.note;
  const checked = PresenceSchema.safeParse(presence);
  return checked.success
    ? { ok: true, value: checked.data }
    : refuse(String(checked.error.issues[0]?.path[0] ?? ''), 'invalid', issues(checked.error));
}

/**
 * Issue 23's guard rails on a forward the writer chose (request.alt): the own extension and, where the
 * org says so, the switchboard's number are refused; a colleague who is away warns or is refused by
 * the writer's role (auth/access.ts). A forward kept from before is not judged again here.
 */
export function guardForward(
  request: PresenceRequest,
  ext: string,
  target: (to: string) => ForwardTarget | undefined,
  ctx: { now: Date; policy: OrgPolicy; away: AwayForwardPolicy },
): Outcome<ForwardWarning | null> {
  if ('open' in request || request.alt?.kind !== 'forward') return { ok: true, value: null };
  const to = request.alt.to;
  const checked = checkForward(ext, to, target(to), ctx.now, {
    switchboard: ctx.policy.switchboard,
    away: ctx.away,
  });
  if (checked.ok) return { ok: true, value: checked.warning };
  const why = {
    'own-extension': 'alt: a forward to the own extension reaches nobody',
    switchboard: "alt: the organisation does not allow a forward to the switchboard's number",
    away: 'alt: the colleague is away too',
  }[checked.refusal];
  return refuse('alt', checked.refusal, why);
}

/** The person's mwi with one more phone message, its callback deadline from the org's rule. */
export function takeMessage(
  current: Mwi | null,
  request: MessageRequest,
  ctx: { now: Date; policy: OrgPolicy; takenBy: string; id: string; recipient?: Recipient },
): Outcome<{ mwi: Mwi; message: PhoneMessage }> {
  const message: PhoneMessage = {
    id: ctx.id,
    at: iso(ctx.now),
    from: request.from,
    ...(request.number ? { number: request.number } : {}),
    text: request.text,
    takenBy: ctx.takenBy.slice(0, 64),
    // Falkenberg: the deadline waits for a recipient away longer than it (rules/messages.ts)
    callbackBy: iso(recipientDeadline(ctx.now, ctx.policy, ctx.recipient)),
  };
  const mwi: Mwi = { v: 1, messages: [...(current?.messages ?? []), message] };
  const checked = MwiSchema.safeParse(mwi);
  if (!checked.success) return refuse('messages', 'full', `messages: ${issues(checked.error)}`);
  return { ok: true, value: { mwi: checked.data, message } };
}

const iso = (d: Date) => d.toISOString();
