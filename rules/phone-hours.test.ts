import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { phoneHours } from '../test/support/arbitraries.js';
import { inPhoneHours, instantWindowsOn, localDayAndClock, personalHoursAllow } from './phone-hours.js';

const STO = 'Europe/Stockholm';
const WEEKDAYS = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }];
const HOLIDAYS = ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01'];
const at = (s: string) => Date.parse(s);
// 2020-2030, any minute
const instant = fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2030, 0, 1) });
const zone = fc.constantFrom(STO, 'Europe/Copenhagen', 'UTC', 'America/New_York', 'Asia/Tokyo');

describe('phone hours (one rule for board, recorder, forecast and service state)', () => {
  const processZone = process.env.TZ;
  afterEach(() => {
    if (processZone === undefined) delete process.env.TZ;
    else process.env.TZ = processZone;
  });

  it('a listed holiday closes every window, whatever its weekday (Christmas Eve 2026 is a Thursday)', () => {
    const calendar = { timeZone: STO, holidays: HOLIDAYS };
    expect(inPhoneHours(WEEKDAYS, at('2026-12-23T10:00:00Z'), calendar)).toBe(true);
    expect(inPhoneHours(WEEKDAYS, at('2026-12-24T10:00:00Z'), calendar)).toBe(false);
    expect(inPhoneHours(WEEKDAYS, at('2026-12-31T10:00:00Z'), calendar)).toBe(false);
    expect(instantWindowsOn('2026-12-24', WEEKDAYS, calendar)).toEqual([]);
    expect(instantWindowsOn('2026-12-23', WEEKDAYS, calendar)).toEqual([
      [at('2026-12-23T07:00:00Z'), at('2026-12-23T15:00:00Z')],
    ]);
  });

  it('property: never open on a listed holiday', () => {
    fc.assert(
      fc.property(fc.array(phoneHours, { maxLength: 6 }), instant, zone, (hours, t, timeZone) => {
        const holidays = [localDayAndClock(t, timeZone).date];
        expect(inPhoneHours(hours, t, { timeZone, holidays })).toBe(false);
        expect(instantWindowsOn(holidays[0] as string, hours, { timeZone, holidays })).toEqual([]);
      }),
    );
  });

  it('property: the same answer whatever zone the process runs in (TZ)', () => {
    const processZones = fc.constantFrom('UTC', 'Pacific/Kiritimati', 'America/Los_Angeles', STO);
    fc.assert(
      fc.property(
        fc.array(phoneHours, { maxLength: 6 }),
        instant,
        zone,
        processZones,
        (hours, t, timeZone, tz) => {
          process.env.TZ = 'UTC';
          const expected = inPhoneHours(hours, t, { timeZone, holidays: HOLIDAYS });
          const day = localDayAndClock(t, timeZone).date;
          const windows = instantWindowsOn(day, hours, { timeZone, holidays: HOLIDAYS });
          process.env.TZ = tz;
          expect(inPhoneHours(hours, t, { timeZone, holidays: HOLIDAYS })).toBe(expected);
          expect(instantWindowsOn(day, hours, { timeZone, holidays: HOLIDAYS })).toEqual(windows);
        },
      ),
    );
  });

  it('property: an instant is in phone hours exactly when one of its day’s windows holds it (zones without DST)', () => {
    fc.assert(
      fc.property(
        fc.array(phoneHours, { maxLength: 6 }),
        instant,
        fc.constantFrom('UTC', 'Asia/Tokyo'),
        (hours, t, timeZone) => {
          const calendar = { timeZone };
          const windows = instantWindowsOn(localDayAndClock(t, timeZone).date, hours, calendar);
          const minute = Math.floor(t / 60_000) * 60_000;
          expect(inPhoneHours(hours, minute, calendar)).toBe(
            windows.some(([a, b]) => a <= minute && minute < b),
          );
        },
      ),
    );
  });

  it('personal hours narrow the department’s; none of one’s own follows the department', () => {
    const calendar = { timeZone: STO, holidays: HOLIDAYS };
    const mornings = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '12:00' }];
    expect(personalHoursAllow(undefined, at('2026-12-07T14:00:00Z'), calendar)).toBe(true);
    expect(personalHoursAllow([], at('2026-12-07T14:00:00Z'), calendar)).toBe(true);
    expect(personalHoursAllow(mornings, at('2026-12-07T09:00:00Z'), calendar)).toBe(true);
    expect(personalHoursAllow(mornings, at('2026-12-07T14:00:00Z'), calendar)).toBe(false);
    expect(personalHoursAllow(mornings, at('2026-12-24T09:00:00Z'), calendar)).toBe(false);
  });
});
