import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CoveragePerson, forecastCoverage } from './coverage.js';

const STO = { timeZone: 'Europe/Stockholm', holidays: ['2026-12-24'] };
// Monday 23 November 2026, 09:30 in Stockholm (UTC+1)
const NOW = Date.parse('2026-11-23T08:30:00.000Z');
const at = (hm: string) => Date.parse(`2026-11-23T${hm}:00.000Z`); // UTC clock: local is one hour on
const HOURS = [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:00' }];
const DEPT = { phoneHours: HOURS, mustAnswer: false };
const iso = (g: { from: number; to: number }) => [
  new Date(g.from).toISOString().slice(11, 16),
  new Date(g.to).toISOString().slice(11, 16),
];

describe('coverage forecast for the rest of the day', () => {
  it('nobody in from 12:00: the one person available leaves for a meeting the calendar knows of', () => {
    const anna: CoveragePerson = {
      status: 'available',
      until: null,
      next: { from: at('11:00'), to: at('13:00') },
    };
    const f = forecastCoverage(DEPT, [anna], NOW, STO);
    expect(f?.gaps.map(iso)).toEqual([['11:00', '13:00']]);
  });

  it('someone back at 10:15 covers from then; until further notice never does', () => {
    const bo: CoveragePerson = { status: 'away', until: at('09:15') };
    const cia: CoveragePerson = { status: 'away', until: null };
    expect(forecastCoverage(DEPT, [bo, cia], NOW, STO)?.gaps.map(iso)).toEqual([['08:30', '09:15']]);
    expect(forecastCoverage(DEPT, [cia], NOW, STO)?.gaps.map(iso)).toEqual([['08:30', '15:00']]);
  });

  it("personal phone hours (SAMSA §7): the afternoon's gap when the morning person's hours end", () => {
    const mornings: CoveragePerson = {
      status: 'available',
      until: null,
      phoneHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '12:00' }],
    };
    expect(forecastCoverage(DEPT, [mornings], NOW, STO)?.gaps.map(iso)).toEqual([['11:00', '15:00']]);
  });

  it('a must-answer function without hours is forecast to midnight; others without hours are not forecast', () => {
    const anna: CoveragePerson = { status: 'away', until: at('20:00') };
    const jour = forecastCoverage({ phoneHours: [], mustAnswer: true }, [anna], NOW, STO);
    expect(jour?.gaps.map(iso)).toEqual([['08:30', '20:00']]);
    expect(forecastCoverage({ phoneHours: [], mustAnswer: false }, [anna], NOW, STO)).toBeNull();
    expect(forecastCoverage(DEPT, [{ status: null, until: null }], NOW, STO)).toBeNull();
  });

  it('property: gaps are ordered, disjoint, within the rest of the day, and nobody is expected in one', () => {
    const person = fc.record({
      status: fc.constantFrom('available' as const, 'away' as const, null),
      until: fc.option(fc.integer({ min: NOW - 3_600_000, max: NOW + 16 * 3_600_000 }), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(person, { maxLength: 6 }), fc.boolean(), (people, mustAnswer) => {
        const f = forecastCoverage({ phoneHours: HOURS, mustAnswer }, people, NOW, STO);
        if (!f) return;
        let last = NOW;
        for (const g of f.gaps) {
          expect(g.from).toBeGreaterThanOrEqual(last);
          expect(g.to).toBeGreaterThan(g.from);
          expect(g.to).toBeLessThanOrEqual(f.until);
          last = g.to;
          // nobody available now, and nobody back before the gap ends
          for (const p of people)
            expect(
              p.status === 'available' ||
                (p.status === 'away' && p.until !== null && p.until > NOW && p.until <= g.from),
            ).toBe(false);
        }
      }),
    );
  });
});
