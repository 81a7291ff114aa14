import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from './policy.js';
import {
  ceilToMinute,
  endOfNextWorkday,
  endOfWorkday,
  floorToMinute,
  formatLocal,
  fromLocal,
  localParts,
  nextQuarterAfter,
  offsetMinutes,
  startOfNextWorkday,
} from './time.js';

const STO = 'Europe/Stockholm';
const CPH = 'Europe/Copenhagen';
const at = (s: string) => new Date(s);

describe('local time in the org zone', () => {
  it.each([STO, CPH])('knows the 2026 DST changes in %s', (tz) => {
    // Spring forward 2026-03-29 01:00Z (02:00 → 03:00 local); fall back 2026-10-25 01:00Z (03:00 → 02:00).
    expect(offsetMinutes(at('2026-03-29T00:59:00Z'), tz)).toBe(60);
    expect(offsetMinutes(at('2026-03-29T01:00:00Z'), tz)).toBe(120);
    expect(offsetMinutes(at('2026-10-25T00:59:00Z'), tz)).toBe(120);
    expect(offsetMinutes(at('2026-10-25T01:00:00Z'), tz)).toBe(60);
    expect(formatLocal(at('2026-03-29T01:00:00Z'), tz)).toBe('03:00');
    expect(formatLocal(at('2026-10-25T01:30:00Z'), tz)).toBe('02:30');
  });

  it('maps local wall times to instants, also in the DST gap and overlap', () => {
    expect(fromLocal(2026, 3, 29, 1, 30, STO).toISOString()).toBe('2026-03-29T00:30:00.000Z');
    // 02:30 does not exist on 2026-03-29: it is taken as 03:30 CEST
    expect(fromLocal(2026, 3, 29, 2, 30, STO).toISOString()).toBe('2026-03-29T01:30:00.000Z');
    expect(fromLocal(2026, 3, 29, 3, 0, STO).toISOString()).toBe('2026-03-29T01:00:00.000Z');
    // 02:30 happens twice on 2026-10-25: the first (CEST) occurrence
    expect(fromLocal(2026, 10, 25, 2, 30, CPH).toISOString()).toBe('2026-10-25T00:30:00.000Z');
    expect(fromLocal(2026, 10, 25, 17, 0, CPH).toISOString()).toBe('2026-10-25T16:00:00.000Z');
    expect(fromLocal(2026, 7, 1, 0, 0, STO).toISOString()).toBe('2026-06-30T22:00:00.000Z');
  });

  it('property: a local time read off an instant maps back to it (or its first occurrence)', () => {
    const zones = [STO, CPH, 'America/Santiago', 'Australia/Lord_Howe', 'America/St_Johns', 'Asia/Kathmandu'];
    fc.assert(
      fc.property(
        fc.oneof(
          fc.integer({ min: Date.parse('2020-01-01T00:00:00Z'), max: Date.parse('2035-12-31T00:00:00Z') }),
          // around both 2026 changes in Europe, so the gap and the overlap are hit often
          fc.integer({ min: Date.parse('2026-03-28T23:00:00Z'), max: Date.parse('2026-03-29T03:00:00Z') }),
          fc.integer({ min: Date.parse('2026-10-24T23:00:00Z'), max: Date.parse('2026-10-25T03:00:00Z') }),
        ),
        fc.constantFrom(...zones),
        (ms, tz) => {
          const t = floorToMinute(new Date(ms));
          const p = localParts(t, tz);
          const back = fromLocal(p.year, p.month, p.day, p.hour, p.minute, tz);
          const q = localParts(back, tz);
          expect([q.year, q.month, q.day, q.hour, q.minute]).toEqual([
            p.year,
            p.month,
            p.day,
            p.hour,
            p.minute,
          ]);
          expect(back.getTime()).toBeLessThanOrEqual(t.getTime());
          expect(t.getTime() - back.getTime()).toBeLessThanOrEqual(60 * 60_000);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('rounds to whole minutes', () => {
    expect(ceilToMinute(at('2026-05-04T09:05:00.001Z')).toISOString()).toBe('2026-05-04T09:06:00.000Z');
    expect(ceilToMinute(at('2026-05-04T09:05:00.000Z')).toISOString()).toBe('2026-05-04T09:05:00.000Z');
    expect(floorToMinute(at('2026-05-04T09:05:59.999Z')).toISOString()).toBe('2026-05-04T09:05:00.000Z');
  });

  it('finds the next full quarter hour at or after now + N', () => {
    // 09:05 local + 60 → 10:15; 09:00 + 60 → 10:00 (already a full quarter)
    expect(formatLocal(nextQuarterAfter(at('2026-05-04T07:05:00Z'), 60, STO), STO)).toBe('10:15');
    expect(formatLocal(nextQuarterAfter(at('2026-05-04T07:00:00Z'), 60, STO), STO)).toBe('10:00');
    expect(formatLocal(nextQuarterAfter(at('2026-05-04T07:00:30Z'), 60, STO), STO)).toBe('10:15');
    // across midnight: 23:50 + 60 → 01:00 the next day
    expect(nextQuarterAfter(at('2026-05-04T21:50:00Z'), 60, STO).toISOString()).toBe(
      '2026-05-04T23:00:00.000Z',
    );
    // an hour of real time across the spring gap: 01:50 CET + 60 min = 03:50 CEST → 04:00
    expect(nextQuarterAfter(at('2026-03-29T00:50:00Z'), 60, STO).toISOString()).toBe(
      '2026-03-29T02:00:00.000Z',
    );
    // and across the autumn overlap: 02:50 CEST + 60 min = 02:50 CET → 03:00 CET
    expect(nextQuarterAfter(at('2026-10-25T00:50:00Z'), 60, CPH).toISOString()).toBe(
      '2026-10-25T02:00:00.000Z',
    );
    // a zone whose offset is not whole hours: quarters are local (Kathmandu is UTC+05:45)
    expect(
      formatLocal(nextQuarterAfter(at('2026-05-04T03:20:00Z'), 0, 'Asia/Kathmandu'), 'Asia/Kathmandu'),
    ).toBe('09:15');
  });

  it('property: quarters are local, at or after now + N, less than 15 min after it', () => {
    const zones = [STO, CPH, 'Asia/Kathmandu', 'America/St_Johns', 'UTC'];
    fc.assert(
      fc.property(
        fc.date({ min: at('2020-01-01T00:00:00Z'), max: at('2035-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.integer({ min: 0, max: 1440 }),
        fc.constantFrom(...zones),
        (now, minutes, tz) => {
          const q = nextQuarterAfter(now, minutes, tz);
          const earliest = now.getTime() + minutes * 60_000;
          expect(q.getTime()).toBeGreaterThanOrEqual(earliest);
          expect(q.getTime()).toBeLessThan(earliest + 15 * 60_000);
          expect(localParts(q, tz).minute % 15).toBe(0);
          expect(localParts(q, tz).second).toBe(0);
        },
      ),
    );
  });
});

describe('working days', () => {
  const sto = DEFAULT_POLICY;
  const cph = { ...DEFAULT_POLICY, timeZone: CPH };

  it('ends today when the working day is still on, else the next working day', () => {
    // Monday 2026-05-04, 10:00 CEST → 17:00 CEST
    expect(endOfWorkday(at('2026-05-04T08:00:00Z'), sto).toISOString()).toBe('2026-05-04T15:00:00.000Z');
    // before the working day starts: still today's end
    expect(endOfWorkday(at('2026-05-04T04:00:00Z'), sto).toISOString()).toBe('2026-05-04T15:00:00.000Z');
    // at 17:00 exactly it is past: Tuesday
    expect(endOfWorkday(at('2026-05-04T15:00:00Z'), sto).toISOString()).toBe('2026-05-05T15:00:00.000Z');
    // Friday evening → Monday
    expect(endOfWorkday(at('2026-05-08T18:00:00Z'), sto).toISOString()).toBe('2026-05-11T15:00:00.000Z');
    // late Sunday night in Stockholm is Monday local time after midnight: Monday's end
    expect(endOfWorkday(at('2026-05-10T22:30:00Z'), sto).toISOString()).toBe('2026-05-11T15:00:00.000Z');
  });

  it.each([
    [sto, '2026-03-29T10:00:00Z', '2026-03-30T15:00:00.000Z'], // Sunday of the spring change → Monday 17:00 CEST
    [cph, '2026-03-27T17:30:00Z', '2026-03-30T15:00:00.000Z'], // Friday 18:30 CET → Monday 17:00 CEST
    [sto, '2026-10-25T10:00:00Z', '2026-10-26T16:00:00.000Z'], // Sunday of the autumn change → Monday 17:00 CET
    [cph, '2026-10-23T16:00:00Z', '2026-10-26T16:00:00.000Z'], // Friday 18:00 CEST → Monday 17:00 CET
  ])('crosses the DST weekend (%#)', (policy, now, end) => {
    expect(endOfWorkday(at(now), policy).toISOString()).toBe(end);
  });

  it('works every day for round-the-clock services, on the DST Sundays too', () => {
    const care = { ...sto, workdays: [1, 2, 3, 4, 5, 6, 7] };
    expect(endOfWorkday(at('2026-03-29T08:00:00Z'), care).toISOString()).toBe('2026-03-29T15:00:00.000Z');
    expect(endOfWorkday(at('2026-10-25T08:00:00Z'), care).toISOString()).toBe('2026-10-25T16:00:00.000Z');
    // a working day ending in the spring gap ends when the clock is past it
    const night = { ...care, workday: { from: '00:00', to: '02:30' } };
    expect(endOfWorkday(at('2026-03-28T23:30:00Z'), night).toISOString()).toBe('2026-03-29T01:30:00.000Z');
  });

  it('finds the next working day after that', () => {
    expect(endOfNextWorkday(at('2026-05-04T08:00:00Z'), sto).toISOString()).toBe('2026-05-05T15:00:00.000Z');
    expect(endOfNextWorkday(at('2026-05-08T08:00:00Z'), sto).toISOString()).toBe('2026-05-11T15:00:00.000Z');
    expect(endOfNextWorkday(at('2026-05-08T18:00:00Z'), sto).toISOString()).toBe('2026-05-12T15:00:00.000Z');
  });

  it('the next working day starts on a later local day, at workday.from, across both DST weekends', () => {
    // Monday 10:00 CEST → Tuesday 08:00; Friday → Monday; late Sunday UTC is already Monday in Stockholm
    expect(startOfNextWorkday(at('2026-05-04T08:00:00Z'), sto).toISOString()).toBe(
      '2026-05-05T06:00:00.000Z',
    );
    expect(startOfNextWorkday(at('2026-05-08T08:00:00Z'), sto).toISOString()).toBe(
      '2026-05-11T06:00:00.000Z',
    );
    expect(startOfNextWorkday(at('2026-05-10T22:30:00Z'), sto).toISOString()).toBe(
      '2026-05-12T06:00:00.000Z',
    );
    expect(startOfNextWorkday(at('2026-03-27T15:00:00Z'), cph).toISOString()).toBe(
      '2026-03-30T06:00:00.000Z',
    );
    expect(startOfNextWorkday(at('2026-10-23T15:00:00Z'), cph).toISOString()).toBe(
      '2026-10-26T07:00:00.000Z',
    );
    // round the clock: the DST Sunday itself, with a start inside the spring gap
    const care = { ...sto, workdays: [1, 2, 3, 4, 5, 6, 7], workday: { from: '02:30', to: '10:00' } };
    expect(startOfNextWorkday(at('2026-03-28T12:00:00Z'), care).toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
  });

  const localDay = (d: Date, tz: string) => {
    const p = localParts(d, tz);
    return Date.UTC(p.year, p.month - 1, p.day);
  };
  it.each([
    {
      what: 'the next working day starts at workday.from on a working day, a later local day, within 8 days',
      find: startOfNextWorkday,
      clock: '08:00',
      also: (start: Date, now: Date, tz: string, workdays: number[]) => {
        expect(localDay(start, tz)).toBeGreaterThan(localDay(now, tz));
        // no working day is skipped: every local day strictly between is a day off
        for (let t = localDay(now, tz) + 86_400_000; t < localDay(start, tz); t += 86_400_000) {
          expect(workdays).not.toContain(new Date(t).getUTCDay() || 7);
        }
      },
    },
    {
      what: 'the end is a working day at workday.to, after now, within 8 days',
      find: endOfWorkday,
      clock: '17:00',
      also: () => {},
    },
  ])('property: $what', ({ find, clock, also }) => {
    fc.assert(
      fc.property(
        fc.date({ min: at('2020-01-01T00:00:00Z'), max: at('2035-12-31T00:00:00Z'), noInvalidDate: true }),
        fc.constantFrom(STO, CPH),
        fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
        (now, tz, workdays) => {
          const found = find(now, { ...sto, timeZone: tz, workdays });
          expect(found.getTime()).toBeGreaterThan(now.getTime());
          expect(found.getTime() - now.getTime()).toBeLessThanOrEqual(8 * 86_400_000);
          expect(formatLocal(found, tz)).toBe(clock);
          expect(workdays).toContain(localParts(found, tz).weekday);
          also(found, now, tz, workdays);
        },
      ),
    );
  });
});
