import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type OnCallEntry, onCallInForce, onCallNow } from './on-call.js';
import { DEFAULT_POLICY } from './policy.js';

// Swedish holidays around New Year 2026/27 (nyårsafton is a day off: date-holidays' "bank" class)
const KALMAR = {
  ...DEFAULT_POLICY,
  timeZone: 'Europe/Stockholm',
  holidays: ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01', '2027-01-06'],
};
const at = (s: string) => Date.parse(s);
const DAYTIME: OnCallEntry = {
  department: 'soc',
  label: 'Socialtjänsten',
  number: '0480-1',
  hours: 'working-hours',
};
const JOUR: OnCallEntry = {
  department: 'soc',
  label: 'Socialjouren',
  number: '0480-2',
  hours: 'after-hours',
};
const SNOW: OnCallEntry = { label: 'Snövakten', number: '0480-3', from: '2026-11-01', to: '2027-03-31' };
const ENTRIES = [DAYTIME, JOUR, SNOW, { department: 'bygg', label: 'Byggjouren', number: '0480-4' }];
const labels = (t: number) => onCallNow(ENTRIES, 'soc', t, KALMAR).map((e) => e.label);

describe('on-call numbers in force', () => {
  it("New Year's Eve (the Kalmar case): the social on-call, not the closed daytime number", () => {
    // 11:00 on Thursday 31 December: a weekday, but a holiday
    expect(labels(at('2026-12-31T10:00:00Z'))).toEqual(['Socialjouren', 'Snövakten']);
    // the day before at 11:00: the office answers
    expect(labels(at('2026-12-30T10:00:00Z'))).toEqual(['Socialtjänsten', 'Snövakten']);
    // the same day at 18:00: after hours
    expect(labels(at('2026-12-30T17:00:00Z'))).toEqual(['Socialjouren', 'Snövakten']);
  });

  it("a season: Guldborgsund's snow watch only between its dates (inclusive, local days)", () => {
    expect(labels(at('2026-06-15T10:00:00Z'))).toEqual(['Socialtjänsten']);
    // 1 November 00:30 in Stockholm is still 31 October in UTC
    expect(onCallInForce(SNOW, at('2026-10-31T23:30:00Z'), KALMAR)).toBe(true);
    expect(onCallInForce(SNOW, at('2026-10-31T22:30:00Z'), KALMAR)).toBe(false);
    expect(onCallInForce(SNOW, at('2027-03-31T21:00:00Z'), KALMAR)).toBe(true);
    expect(onCallInForce(SNOW, at('2027-03-31T22:30:00Z'), KALMAR)).toBe(false);
  });

  it('weekdays narrow an entry: a weekend line only on Saturday and Sunday', () => {
    const weekend: OnCallEntry = { label: 'Helgjour', number: '1', days: [6, 7] };
    expect(onCallInForce(weekend, at('2026-12-05T10:00:00Z'), KALMAR)).toBe(true);
    expect(onCallInForce(weekend, at('2026-12-07T10:00:00Z'), KALMAR)).toBe(false);
  });

  it('property: at any instant exactly one of a working-hours and an after-hours number is in force', () => {
    fc.assert(
      fc.property(fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2028-01-01T00:00:00Z') }), (t) => {
        expect(onCallInForce(DAYTIME, t, KALMAR)).not.toBe(onCallInForce(JOUR, t, KALMAR));
        // never the daytime number on a listed holiday
        const day = new Intl.DateTimeFormat('sv-SE', { timeZone: KALMAR.timeZone }).format(t);
        if (KALMAR.holidays.includes(day)) expect(onCallInForce(DAYTIME, t, KALMAR)).toBe(false);
      }),
    );
  });
});
