import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS, findReason, Presence } from '../protocol/index.js';
import { at, ctx, desk, MON_0905, plus, press, reason, start } from '../test/support/referral-fixture.js';
import { DEFAULT_POLICY, type OrgPolicy } from './policy.js';
import { nextWake, overdueMinutes } from './referral.js';

const lunchDef = findReason('lunch');
if (!lunchDef) throw new Error('the default catalogue has lunch');

describe('one press sets the reason with its default return time', () => {
  it('starts available at seq 0', () => {
    expect(start).toMatchObject({
      status: 'available',
      reason: null,
      until: null,
      alt: null,
      seq: 0,
      by: desk,
    });
    expect(Presence.safeParse(start).success).toBe(true);
  });

  it.each([
    ['lunch', '2026-05-04T07:50:00.000Z'], // 09:05 + 45 min
    ['out', '2026-05-04T07:20:00.000Z'], // + 15 min
    ['meeting', '2026-05-04T08:15:00.000Z'], // next full quarter past one hour: 10:15
    ['sick', '2026-05-05T06:00:00.000Z'], // start of the next working day, Tuesday 08:00
    ['trip', '2026-05-04T15:00:00.000Z'], // end of the working day, 17:00
    ['course', '2026-05-04T15:00:00.000Z'],
    ['gone', '2026-05-05T06:00:00.000Z'],
    ['vacation', null], // until further notice: the operator or a calendar sets the date
  ])('%s → %s', (code, until) => {
    const p = press(start, reason(code), MON_0905);
    expect(p).toMatchObject({
      status: 'away',
      reason: code,
      until,
      seq: 1,
      by: desk,
      at: MON_0905.toISOString(),
    });
    expect(p.since).toBe(MON_0905.toISOString());
  });

  it('rounds return times up to the whole minute', () => {
    const p = press(start, reason('lunch'), at('2026-05-04T07:05:12.345Z'));
    expect(p.until).toBe('2026-05-04T07:51:00.000Z');
  });

  it('end of day after the working day is the end of the next working day', () => {
    // Friday 2026-05-08 18:00 local → Monday 17:00
    expect(press(start, reason('trip'), at('2026-05-08T16:00:00Z')).until).toBe('2026-05-11T15:00:00.000Z');
  });

  it('next working day: Friday, Saturday or early Monday → the next working morning', () => {
    // Friday 18:00 and Saturday 10:00 → Monday 08:00; Monday 06:30 (sick before work) → Tuesday 08:00
    expect(press(start, reason('gone'), at('2026-05-08T16:00:00Z')).until).toBe('2026-05-11T06:00:00.000Z');
    expect(press(start, reason('sick'), at('2026-05-09T08:00:00Z')).until).toBe('2026-05-11T06:00:00.000Z');
    expect(press(start, reason('sick'), at('2026-05-04T04:30:00Z')).until).toBe('2026-05-05T06:00:00.000Z');
  });

  it('gone for the day is not overdue overnight, and overdue from the next morning', () => {
    const gone = press(start, reason('gone'), at('2026-05-04T14:55:00Z')); // Monday 16:55
    expect(overdueMinutes(gone, at('2026-05-05T01:00:00Z'))).toBe(0); // 03:00
    expect(nextWake(gone, ctx(at('2026-05-04T15:00:00Z')))?.toISOString()).toBe('2026-05-05T06:00:00.000Z');
    expect(overdueMinutes(gone, at('2026-05-05T06:10:00Z'))).toBe(10);
  });

  it('chained after a meeting that runs past the working day: still the next morning', () => {
    const meeting = press(start, reason('meeting'), at('2026-05-04T14:30:00Z')); // 16:30 → 17:30
    expect(press(meeting, reason('gone'), at('2026-05-04T14:31:00Z')).until).toBe('2026-05-05T06:00:00.000Z');
  });

  it('a reason the org does not have does nothing', () => {
    expect(press(start, reason('bowling'), MON_0905)).toBe(start);
  });

  it('an org reason catalogue with until-further-notice gives no return time', () => {
    const policy: OrgPolicy = {
      ...DEFAULT_POLICY,
      reasons: [
        ...DEFAULT_REASONS,
        { ...lunchDef, code: 'leave', rule: { type: 'until-further-notice' }, returnRequired: false },
      ],
    };
    expect(press(start, reason('leave'), MON_0905, { policy })).toMatchObject({
      reason: 'leave',
      until: null,
    });
  });
});

describe('chaining: state the total absence (SAMSA)', () => {
  it('meeting until 12:00, then lunch → lunch until 12:45', () => {
    // 10:55 local + 60 → 11:55 → 12:00
    const meeting = press(start, reason('meeting'), at('2026-05-04T08:55:00Z'));
    expect(meeting.until).toBe('2026-05-04T10:00:00.000Z');
    const lunch = press(meeting, reason('lunch'), at('2026-05-04T09:00:00Z'));
    expect(lunch).toMatchObject({ reason: 'lunch', until: '2026-05-04T10:45:00.000Z', since: meeting.since });
  });

  it('chains from now when the current end is past or unknown', () => {
    const meeting = press(start, reason('meeting'), at('2026-05-04T08:55:00Z'));
    const overdue = at('2026-05-04T10:10:00Z');
    expect(press(meeting, reason('lunch'), overdue).until).toBe('2026-05-04T10:55:00.000Z');
    const ufn = press(start, { type: 'until-further-notice', reason: 'vacation' }, MON_0905);
    expect(press(ufn, reason('lunch'), MON_0905).until).toBe('2026-05-04T07:50:00.000Z');
  });

  it('a meeting chained after lunch ends at the next quarter an hour after lunch', () => {
    const lunch = press(start, reason('lunch'), MON_0905); // until 09:50
    expect(press(lunch, reason('meeting'), MON_0905).until).toBe('2026-05-04T09:00:00.000Z'); // 11:00
  });
});

describe('open', () => {
  it('reopens at once, also before the return time, clearing reason, time and alt', () => {
    const away = press(press(start, reason('lunch'), MON_0905), { type: 'alt-info' }, MON_0905);
    const open = press(away, { type: 'open' }, plus(MON_0905, 5));
    expect(open).toMatchObject({
      status: 'available',
      reason: null,
      until: null,
      alt: null,
      seq: away.seq + 1,
    });
    expect(open.since).toBe(plus(MON_0905, 5).toISOString());
  });

  it('does nothing when already open', () => {
    expect(press(start, { type: 'open' }, MON_0905)).toBe(start);
  });
});
