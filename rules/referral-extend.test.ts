import { describe, expect, it } from 'vitest';
import { at, MON_0905, plus, press, reason, start } from '../test/support/referral-fixture.js';

describe('extend and shorten', () => {
  const lunch = press(start, reason('lunch'), MON_0905); // until 09:50 local

  it('the same reason key again extends by the step', () => {
    const p = press(lunch, reason('lunch'), plus(MON_0905, 1));
    expect(p).toMatchObject({
      reason: 'lunch',
      until: '2026-05-04T08:05:00.000Z',
      seq: 2,
      since: lunch.since,
    });
  });

  it('+ extends from the return time, from now when overdue or until further notice', () => {
    expect(press(lunch, { type: 'extend', minutes: 15 }, MON_0905).until).toBe('2026-05-04T08:05:00.000Z');
    // overdue: 10:00 local, 10 min past 09:50 → 10:15
    expect(press(lunch, { type: 'extend', minutes: 15 }, at('2026-05-04T08:00:00Z')).until).toBe(
      '2026-05-04T08:15:00.000Z',
    );
    const ufn = press(start, { type: 'until-further-notice', reason: 'sick' }, MON_0905);
    expect(press(ufn, { type: 'extend', minutes: 15 }, MON_0905).until).toBe('2026-05-04T07:20:00.000Z');
  });

  it('- shortens, never to less than a minute from now, never to available', () => {
    expect(press(lunch, { type: 'shorten', minutes: 15 }, MON_0905).until).toBe('2026-05-04T07:35:00.000Z');
    // 09:45 local: lunch until 09:50 shortened by 15 → clamped to 09:46
    const late = at('2026-05-04T07:45:00Z');
    const p = press(lunch, { type: 'shorten', minutes: 15 }, late);
    expect(p).toMatchObject({ status: 'away', until: '2026-05-04T07:46:00.000Z' });
    // nothing left to shorten
    expect(press(p, { type: 'shorten', minutes: 15 }, late)).toBe(p);
    // overdue: shortening would move it later, so nothing happens
    expect(press(lunch, { type: 'shorten', minutes: 15 }, at('2026-05-04T08:00:00Z'))).toBe(lunch);
  });

  it('+ and - do nothing while available or (for -) until further notice', () => {
    expect(press(start, { type: 'extend', minutes: 15 }, MON_0905)).toBe(start);
    expect(press(start, { type: 'shorten', minutes: 15 }, MON_0905)).toBe(start);
    const ufn = press(start, { type: 'until-further-notice', reason: 'sick' }, MON_0905);
    expect(press(ufn, { type: 'shorten', minutes: 15 }, MON_0905)).toBe(ufn);
  });

  it('a long press means until further notice', () => {
    const p = press(lunch, { type: 'until-further-notice', reason: 'sick' }, MON_0905);
    expect(p).toMatchObject({ status: 'away', reason: 'sick', until: null, seq: 2 });
    expect(press(p, { type: 'until-further-notice', reason: 'sick' }, MON_0905)).toBe(p);
  });

  it('but not for a reason that requires a return time: there it is a short press', () => {
    // meeting chained after lunch (until 09:50) → 11:00, as a short press would
    const p = press(lunch, { type: 'until-further-notice', reason: 'meeting' }, MON_0905);
    expect(p).toMatchObject({ reason: 'meeting', until: '2026-05-04T09:00:00.000Z' });
    expect(press(lunch, { type: 'until-further-notice', reason: 'lunch' }, MON_0905).until).toBe(
      '2026-05-04T08:05:00.000Z',
    );
  });
});
