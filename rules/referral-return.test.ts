import { describe, expect, it } from 'vitest';
import { at, ctx, MON_0905, press, reason, start } from '../test/support/referral-fixture.js';
import { DEFAULT_POLICY, type OrgPolicy, policyFromOrg } from './policy.js';
import { nextWake, onTime, overdueMinutes } from './referral.js';

describe('return time: overdue or reopen', () => {
  const lunch = press(start, reason('lunch'), MON_0905); // until 07:50Z
  const reopen: OrgPolicy = { ...DEFAULT_POLICY, onReturn: 'reopen' };

  it('overdue by default: unchanged, minutes counted', () => {
    const later = at('2026-05-04T08:00:30Z');
    expect(onTime(lunch, ctx(later))).toBe(lunch);
    expect(overdueMinutes(lunch, later)).toBe(10);
    expect(overdueMinutes(lunch, at('2026-05-04T07:49:00Z'))).toBe(0);
    expect(overdueMinutes(start, later)).toBe(0);
  });

  it('reopen: available from the return time at the first look after it', () => {
    expect(onTime(lunch, ctx(at('2026-05-04T07:49:59Z'), { policy: reopen }))).toBe(lunch);
    const p = onTime(lunch, ctx(at('2026-05-04T07:52:00Z'), { policy: reopen }));
    expect(p).toMatchObject({ status: 'available', reason: null, until: null, seq: 2, since: lunch.until });
    expect(p.at).toBe('2026-05-04T07:52:00.000Z');
  });

  it('wakes once, at the return time; never while available or until further notice', () => {
    expect(nextWake(lunch, ctx(MON_0905))?.toISOString()).toBe(lunch.until);
    expect(nextWake(start, ctx(MON_0905))).toBeUndefined();
    expect(
      nextWake(press(start, { type: 'until-further-notice', reason: 'sick' }, MON_0905), ctx(MON_0905)),
    ).toBe(undefined);
    // past it: nothing more happens with 'overdue'; with 'reopen' it is due now
    expect(nextWake(lunch, ctx(at('2026-05-04T09:00:00Z')))).toBeUndefined();
    expect(nextWake(lunch, ctx(at('2026-05-04T09:00:00Z'), { policy: reopen }))?.toISOString()).toBe(
      lunch.until,
    );
  });
});

describe('DST and midnight', () => {
  const sto = DEFAULT_POLICY;
  const cph = policyFromOrg({
    v: 1,
    name: 'Guldborgsund',
    timeZone: 'Europe/Copenhagen',
    locale: 'da',
    workday: { from: '08:00', to: '15:30' },
    onReturn: 'overdue',
    callback: 'same-day',
  });

  const zones = { sto, cph };
  it.each([
    // 2026-03-29 01:30 CET: lunch 45 real minutes later is 03:15 CEST (02:15 does not exist)
    ['sto', 'lunch', '2026-03-29T00:30:00Z', '2026-03-29T01:15:00.000Z'],
    ['cph', 'meeting', '2026-03-29T00:50:00Z', '2026-03-29T02:00:00.000Z'], // 01:50 CET → 04:00 CEST
    ['sto', 'trip', '2026-03-29T09:00:00Z', '2026-03-30T15:00:00.000Z'], // Sunday → Monday 17:00 CEST
    ['cph', 'course', '2026-03-27T15:00:00Z', '2026-03-30T13:30:00.000Z'], // Friday 16:00 CET → Monday 15:30 CEST
    ['sto', 'sick', '2026-03-29T09:00:00Z', '2026-03-30T06:00:00.000Z'], // Sunday → Monday 08:00 CEST
    ['cph', 'sick', '2026-03-27T15:00:00Z', '2026-03-30T06:00:00.000Z'], // Friday 16:00 CET → Monday 08:00 CEST
    ['cph', 'gone', '2026-03-28T22:30:00Z', '2026-03-30T06:00:00.000Z'], // Saturday 23:30 CET → Monday 08:00 CEST
    // 2026-10-25 02:30 CEST (first) + 45 min = 02:15 CET
    ['sto', 'lunch', '2026-10-25T00:30:00Z', '2026-10-25T01:15:00.000Z'],
    ['cph', 'meeting', '2026-10-25T00:50:00Z', '2026-10-25T02:00:00.000Z'], // 02:50 CEST → 03:00 CET
    ['sto', 'trip', '2026-10-23T16:00:00Z', '2026-10-26T16:00:00.000Z'], // Friday 18:00 CEST → Monday 17:00 CET
    ['sto', 'gone', '2026-10-23T16:00:00Z', '2026-10-26T07:00:00.000Z'], // Friday 18:00 CEST → Monday 08:00 CET
    ['sto', 'meeting', '2026-05-04T21:50:00Z', '2026-05-04T23:00:00.000Z'], // 23:50 → 01:00 next day
    ['sto', 'lunch', '2026-05-04T21:45:00Z', '2026-05-04T22:30:00.000Z'], // 23:45 → 00:30
  ] as const)('%s: %s at %s → %s', (zone, code, now, until) => {
    expect(press(start, reason(code), at(now), { policy: zones[zone] }).until).toBe(until);
  });

  it('extends by real minutes across the spring gap', () => {
    const lunch = press(start, reason('lunch'), at('2026-03-29T00:30:00Z'));
    expect(press(lunch, { type: 'extend', minutes: 15 }, at('2026-03-29T00:31:00Z')).until).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });
});
