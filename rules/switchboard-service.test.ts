import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { switchboardServiceAt } from './switchboard-service.js';

const SAMSA = {
  timeZone: 'Europe/Stockholm',
  holidays: ['2026-12-24', '2026-12-25', '2026-12-31'],
  switchboardHours: [
    { days: [1, 2, 3, 4], from: '08:00', to: '16:30' },
    { days: [5], from: '08:00', to: '15:00' },
  ],
  lunchClosure: { from: '12:00', to: '13:00' },
};
const at = (s: string) => Date.parse(s);
const state = (s: string) => switchboardServiceAt(at(s), SAMSA);

describe("the switchboard's open, closed and lunch state", () => {
  it('open in its hours, lunch inside them, closed after hours, since and until the boundaries', () => {
    // Monday 23 November 2026, Stockholm is UTC+1
    expect(state('2026-11-23T09:00:00Z')).toEqual({
      state: 'open',
      since: '2026-11-23T07:00:00.000Z',
      until: '2026-11-23T11:00:00.000Z',
    });
    expect(state('2026-11-23T11:30:00Z')).toEqual({
      state: 'lunch',
      since: '2026-11-23T11:00:00.000Z',
      until: '2026-11-23T12:00:00.000Z',
    });
    expect(state('2026-11-23T16:00:00Z')).toEqual({
      state: 'closed',
      since: '2026-11-23T15:30:00.000Z',
      until: '2026-11-24T07:00:00.000Z',
    });
  });

  it('closed over a weekend and through Christmas: Friday 15:00 until Monday 08:00; 23 Dec until 28 Dec', () => {
    expect(state('2026-11-28T12:00:00Z')).toMatchObject({
      state: 'closed',
      since: '2026-11-27T14:00:00.000Z',
      until: '2026-11-30T07:00:00.000Z',
    });
    // Wednesday 23 December after hours: Christmas Eve and Day are holidays, then a weekend
    expect(state('2026-12-23T18:00:00Z')).toMatchObject({
      state: 'closed',
      until: '2026-12-28T07:00:00.000Z',
    });
    expect(state('2026-12-31T10:00:00Z')?.state).toBe('closed');
  });

  it('no switchboard hours: no state (the PBX keeps its own rules)', () => {
    expect(switchboardServiceAt(at('2026-11-23T09:00:00Z'), { timeZone: 'Europe/Stockholm' })).toBeNull();
  });

  it('property: since ≤ now < until, and the state holds over the whole span', () => {
    fc.assert(
      fc.property(fc.integer({ min: at('2026-01-01T00:00:00Z'), max: at('2027-12-31T00:00:00Z') }), (t) => {
        const s = switchboardServiceAt(t, SAMSA);
        if (!s) throw new Error('hours are set');
        const since = Date.parse(s.since);
        const until = Date.parse(s.until ?? '');
        expect(since).toBeLessThanOrEqual(t);
        expect(until).toBeGreaterThan(t);
        for (const probe of [since, Math.floor((since + until) / 2), until - 1])
          expect(switchboardServiceAt(probe, SAMSA)?.state).toBe(s.state);
        expect(switchboardServiceAt(until, SAMSA)?.state).not.toBe(s.state);
      }),
    );
  });
});
