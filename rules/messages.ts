// Phone messages and voicemail as the desk sees them: waiting, and late when a callback is overdue.
import type { Mwi, PhoneMessage, Presence } from '../protocol/index.js';
import type { OrgPolicy } from './policy.js';
import { endOfNextWorkday, endOfWorkday } from './time.js';

/**
 * The callback deadline of a message taken at `takenAt` under the org's rule: Falkenberg "call back
 * the same day" (end of this working day), Högsby "no later than the next working day".
 */
export function callbackDeadline(takenAt: Date, policy: OrgPolicy): Date {
  // Memoised: every render asks again for every waiting message (up to 200), and the calendar walk
  // costs tens of Intl calls. The key holds everything the answer depends on.
  const key = `${policy.callback}|${policy.timeZone}|${policy.workday.to}|${policy.workdays.join()}|${holidaysKey(policy.holidays)}|${takenAt.getTime()}`;
  let t = deadlines.get(key);
  if (t === undefined) {
    t = (
      policy.callback === 'same-day' ? endOfWorkday(takenAt, policy) : endOfNextWorkday(takenAt, policy)
    ).getTime();
    if (deadlines.size >= MAX_MEMO) deadlines.clear();
    deadlines.set(key, t);
  }
  return new Date(t);
}
const deadlines = new Map<string, number>();
const MAX_MEMO = 2000;

// A holiday list is hundreds of dates: key it by identity (each directory/org decode makes a new one).
const holidayKeys = new WeakMap<readonly string[], number>();
let nextHolidayKey = 0;
function holidaysKey(holidays: readonly string[]): number {
  let k = holidayKeys.get(holidays);
  if (k === undefined) {
    k = nextHolidayKey++;
    holidayKeys.set(holidays, k);
  }
  return k;
}

/** A message's own `callbackBy`, or when it has none the org's rule from when it was taken. */
export function messageDeadline(message: PhoneMessage, policy: OrgPolicy, recipient?: Recipient): Date {
  return message.callbackBy !== null
    ? new Date(message.callbackBy)
    : recipientDeadline(new Date(message.at), policy, recipient);
}

// --- issue 23: deadlines that respect the recipient's referral, and voicemail that ages ---

/** What the deadline needs of the recipient's referral when the message or voicemail came. */
export type Recipient = { status: Presence['status'] | null; until: string | null } | null | undefined;

/**
 * The callback deadline for a recipient who may be away. Falkenberg: "samma dag, utom vid semester,
 * tjänsteresa och liknande": an absence whose return is later than the org's deadline starts the
 * clock when the person is back, as if the message came then (the same day of the return, or the
 * next working day after it: the org's rule). A shorter absence (lunch) changes nothing. An absence
 * until further notice keeps the org's deadline: nobody knows when they are back, so the late list
 * puts the caller before the operator, who finds a colleague (SAMSA: the alternative answering point).
 */
export function recipientDeadline(takenAt: Date, policy: OrgPolicy, recipient?: Recipient): Date {
  const normal = callbackDeadline(takenAt, policy);
  if (recipient?.status !== 'away' || recipient.until === null) return normal;
  const back = new Date(recipient.until);
  return back.getTime() > normal.getTime() ? callbackDeadline(back, policy) : normal;
}

/**
 * Since when the oldest waiting voicemail has waited: the phone system's own time where it tells
 * (voicemail's `oldestSince`), else when the count rose from none (kept while some wait: a fall may be
 * the newest heard, so the oldest is assumed still there, which escalates sooner, never later); none
 * waiting: null.
 */
export function voicemailSince(
  previous: { count: number; since: string | null },
  count: number,
  reported: string | undefined,
  now: Date,
): string | null {
  if (count <= 0) return null;
  if (reported) return reported;
  return previous.count > 0 && previous.since !== null ? previous.since : now.toISOString();
}

/** What is late for one person at `now`: open messages past their deadline, and voicemail past its own. */
export function lateCallbacks(
  person: { phoneMessages: readonly PhoneMessage[] | null; voicemail: number; voicemailSince: string | null },
  now: Date,
  policy: OrgPolicy,
  recipient?: Recipient,
): { messages: number; voicemailSince: string | null } {
  const messages = (person.phoneMessages ?? []).filter(
    (m) => messageDeadline(m, policy, recipient).getTime() <= now.getTime(),
  ).length;
  // Högsby: "senast nästkommande arbetsdag"; SAMSA: voicemail "läses av dagligen": the same rule
  const late =
    person.voicemail > 0 &&
    person.voicemailSince !== null &&
    recipientDeadline(new Date(person.voicemailSince), policy, recipient).getTime() <= now.getTime();
  return { messages, voicemailSince: late ? person.voicemailSince : null };
}

export type MessageLamp = 'none' | 'waiting' | 'late';

/**
 * `voicemail` is the count from voicemail/{ext}, a topic apart from the phone messages on mwi/{ext};
 * `voicemailSince` its age where the phone system tells (issue 23): past its deadline the lamp is late too.
 */
export function messageLamp(
  mwi: Mwi | null,
  voicemail: number,
  now: Date,
  policy: OrgPolicy,
  voicemailSince: string | null = null,
): MessageLamp {
  const messages = mwi?.messages ?? [];
  if (messages.some((m) => messageDeadline(m, policy).getTime() <= now.getTime())) return 'late';
  if (voicemail > 0 && voicemailSince && recipientDeadline(new Date(voicemailSince), policy) <= now)
    return 'late';
  return voicemail > 0 || messages.length > 0 ? 'waiting' : 'none';
}

/** The next instant a waiting message turns late, if any. */
export function nextMessageDeadline(mwi: Mwi | null, now: Date, policy: OrgPolicy): Date | undefined {
  let next: number | undefined;
  for (const m of mwi?.messages ?? []) {
    const t = messageDeadline(m, policy).getTime();
    if (t > now.getTime() && (next === undefined || t < next)) next = t;
  }
  return next === undefined ? undefined : new Date(next);
}

/** The message the desk's "handled" key marks: the one whose callback is due first, then the oldest. */
export function messageToHandle(mwi: Mwi | null, policy: OrgPolicy): PhoneMessage | undefined {
  let best: PhoneMessage | undefined;
  for (const m of mwi?.messages ?? []) {
    if (!best) {
      best = m;
      continue;
    }
    const d = messageDeadline(m, policy).getTime() - messageDeadline(best, policy).getTime();
    if (d < 0 || (d === 0 && Date.parse(m.at) < Date.parse(best.at))) best = m;
  }
  return best;
}
