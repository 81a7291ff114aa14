// Phone messages and voicemail as the desk sees them: waiting, and late when a callback is overdue.
import type { Mwi, PhoneMessage } from '../protocol/index.js';
import type { OrgPolicy } from './policy.js';
import { endOfNextWorkday, endOfWorkday } from './time.js';

/**
 * The callback deadline of a message taken at `takenAt` under the org's rule: Falkenberg "call back
 * the same day" (end of this working day), Högsby "no later than the next working day".
 */
export function callbackDeadline(takenAt: Date, policy: OrgPolicy): Date {
  // Memoised: every render asks again for every waiting message (up to 200), and the calendar walk
  // costs tens of Intl calls. The key holds everything the answer depends on.
  const key = `${policy.callback}|${policy.timeZone}|${policy.workday.to}|${policy.workdays.join()}|${takenAt.getTime()}`;
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

/** A message's own `callbackBy`, or when it has none the org's rule from when it was taken. */
export function messageDeadline(message: PhoneMessage, policy: OrgPolicy): Date {
  return message.callbackBy !== null
    ? new Date(message.callbackBy)
    : callbackDeadline(new Date(message.at), policy);
}

export type MessageLamp = 'none' | 'waiting' | 'late';

/** `voicemail` is the count from voicemail/{ext}, a topic apart from the phone messages on mwi/{ext}. */
export function messageLamp(mwi: Mwi | null, voicemail: number, now: Date, policy: OrgPolicy): MessageLamp {
  const messages = mwi?.messages ?? [];
  if (messages.some((m) => messageDeadline(m, policy).getTime() <= now.getTime())) return 'late';
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
