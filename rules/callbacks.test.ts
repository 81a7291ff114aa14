// Issue 23: callback deadlines that respect the recipient's referral (Falkenberg: "samma dag, utom
// vid semester, tjänsteresa och liknande") and voicemail that ages (Högsby: "senast nästkommande
// arbetsdag"; SAMSA: "läses av dagligen").
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PhoneMessage } from '../protocol/index.js';
import { callbackDeadline, lateCallbacks, recipientDeadline, voicemailSince } from './messages.js';
import { DEFAULT_POLICY } from './policy.js';

const sameDay = { ...DEFAULT_POLICY, callback: 'same-day' as const };
// Wednesday 2026-11-25 10:00 in Stockholm (UTC+1)
const WED_10 = new Date('2026-11-25T09:00:00.000Z');
const away = (until: string | null) => ({ status: 'away' as const, until });

describe('a deadline that respects the referral (Falkenberg)', () => {
  it('moves to the return day for someone away past it: same day of the return', () => {
    // on a trip until Friday 08:00: call back by the end of Friday, not Wednesday
    expect(recipientDeadline(WED_10, sameDay, away('2026-11-27T07:00:00.000Z')).toISOString()).toBe(
      '2026-11-27T16:00:00.000Z',
    );
    // Högsby's rule from the return: the next working day after Friday is Monday
    expect(recipientDeadline(WED_10, DEFAULT_POLICY, away('2026-11-27T07:00:00.000Z')).toISOString()).toBe(
      '2026-11-30T16:00:00.000Z',
    );
  });

  it('changes nothing for lunch, for someone in, or for an absence until further notice', () => {
    expect(recipientDeadline(WED_10, sameDay, away('2026-11-25T12:00:00.000Z'))).toEqual(
      callbackDeadline(WED_10, sameDay),
    );
    expect(recipientDeadline(WED_10, sameDay, { status: 'available', until: null })).toEqual(
      callbackDeadline(WED_10, sameDay),
    );
    expect(recipientDeadline(WED_10, sameDay, away(null))).toEqual(callbackDeadline(WED_10, sameDay));
  });

  it('property: never earlier than the org deadline, and never earlier than the return', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 60 * 24 * 30 }),
        fc.integer({ min: 1, max: 60 * 24 * 30 }),
        fc.constantFrom(sameDay, DEFAULT_POLICY),
        (takenMin, awayMin, policy) => {
          const taken = new Date(WED_10.getTime() + takenMin * 60_000);
          const until = new Date(taken.getTime() + awayMin * 60_000).toISOString();
          const deadline = recipientDeadline(taken, policy, away(until)).getTime();
          expect(deadline).toBeGreaterThanOrEqual(callbackDeadline(taken, policy).getTime());
          expect(deadline).toBeGreaterThan(Date.parse(until));
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('voicemail that ages', () => {
  const now = new Date('2026-11-25T09:00:00.000Z');
  it("takes the phone system's time where it tells, else when the count rose from none", () => {
    expect(voicemailSince({ count: 0, since: null }, 2, '2026-11-24T08:00:00.000Z', now)).toBe(
      '2026-11-24T08:00:00.000Z',
    );
    expect(voicemailSince({ count: 0, since: null }, 1, undefined, now)).toBe(now.toISOString());
    expect(voicemailSince({ count: 1, since: '2026-11-23T08:00:00.000Z' }, 3, undefined, now)).toBe(
      '2026-11-23T08:00:00.000Z',
    );
    expect(voicemailSince({ count: 3, since: '2026-11-23T08:00:00.000Z' }, 0, undefined, now)).toBeNull();
  });

  it('is late the working day after it came (Högsby), and a late message counts on the late list', () => {
    const msg: PhoneMessage = { id: 'm1', at: '2026-11-23T08:00:00.000Z', text: 'x', callbackBy: null };
    const person = { phoneMessages: [msg], voicemail: 2, voicemailSince: '2026-11-23T08:00:00.000Z' };
    expect(lateCallbacks(person, now, DEFAULT_POLICY)).toEqual({
      messages: 1,
      voicemailSince: '2026-11-23T08:00:00.000Z',
    });
    // the same, the morning after it came: not yet late
    expect(lateCallbacks(person, new Date('2026-11-24T08:00:00.000Z'), DEFAULT_POLICY)).toEqual({
      messages: 0,
      voicemailSince: null,
    });
    // away on a trip until Friday: not late on Wednesday
    expect(lateCallbacks(person, now, DEFAULT_POLICY, away('2026-11-27T07:00:00.000Z'))).toEqual({
      messages: 0,
      voicemailSince: null,
    });
  });
});
