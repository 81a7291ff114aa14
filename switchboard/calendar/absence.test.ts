import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { type Absence, blockAt, memberAt, mergeAbsences, returnAt } from './absence.js';

const MIN = 60_000;
const absence = fc
  .record({
    start: fc.integer({ min: 0, max: 2000 }),
    length: fc.integer({ min: 0, max: 300 }),
    reason: fc.constantFrom('meeting', 'lunch', 'trip'),
    private: fc.boolean(),
  })
  .map(
    ({ start, length, ...rest }): Absence => ({ start: start * MIN, end: (start + length) * MIN, ...rest }),
  );
const absences = fc.array(absence, { maxLength: 30 });
const gap = fc.constantFrom(0, 5 * MIN, 15 * MIN);

describe('total absence (SAMSA: one referral with one end time)', () => {
  it('merges a meeting and the lunch right after it into one block ending after lunch', () => {
    const at = (h: number, m = 0) => Date.UTC(2026, 11, 2, h, m);
    const blocks = mergeAbsences(
      [
        { start: at(11), end: at(12), reason: 'lunch', private: false },
        { start: at(9), end: at(10, 30), reason: 'meeting', private: false },
        { start: at(10), end: at(11), reason: 'meeting', private: false },
        { start: at(14), end: at(15), reason: 'meeting', private: false },
      ],
      0,
    );
    expect(blocks.map((b) => [b.start, b.end])).toEqual([
      [at(9), at(12)],
      [at(14), at(15)],
    ]);
    const first = blocks[0];
    if (!first) throw new Error('no block');
    expect(memberAt(first, at(9, 15)).reason).toBe('meeting');
    expect(memberAt(first, at(11, 15)).reason).toBe('lunch');
  });

  it('blocks are sorted, disjoint and further apart than the gap', () => {
    fc.assert(
      fc.property(absences, gap, (list, g) => {
        const blocks = mergeAbsences(list, g);
        for (let i = 1; i < blocks.length; i++) {
          const prev = blocks[i - 1];
          const b = blocks[i];
          if (!prev || !b) continue;
          expect(b.start).toBeGreaterThan(prev.end + g);
        }
      }),
    );
  });

  it('every absence lies in exactly one block, and each block spans exactly its members', () => {
    fc.assert(
      fc.property(absences, gap, (list, g) => {
        const blocks = mergeAbsences(list, g);
        expect(blocks.reduce((n, b) => n + b.members.length, 0)).toBe(list.length);
        for (const a of list) {
          const holding = blocks.filter((b) => b.start <= a.start && a.end <= b.end);
          expect(holding).toHaveLength(1);
        }
        for (const b of blocks) {
          expect(b.start).toBe(Math.min(...b.members.map((m) => m.start)));
          expect(b.end).toBe(Math.max(...b.members.map((m) => m.end)));
        }
      }),
    );
  });

  it('does not depend on the order entries arrive in, and merging again changes nothing', () => {
    fc.assert(
      fc.property(absences, gap, fc.integer(), (list, g, seed) => {
        const shuffled = [...list].sort(
          (a, b) => ((a.start * 31 + seed) % 97) - ((b.start * 31 + seed) % 97),
        );
        const blocks = mergeAbsences(list, g);
        expect(mergeAbsences(shuffled, g)).toEqual(blocks);
        const again = mergeAbsences(
          blocks.map((b) => ({ start: b.start, end: b.end, reason: 'x', private: false })),
          g,
        );
        expect(again.map((b) => [b.start, b.end])).toEqual(blocks.map((b) => [b.start, b.end]));
      }),
    );
  });

  it('the member shown at any instant of a block is one of its members that has begun', () => {
    fc.assert(
      fc.property(
        absences.filter((l) => l.length > 0),
        gap,
        fc.nat(),
        (list, g, pick) => {
          for (const b of mergeAbsences(list, g)) {
            const now = b.start + (pick % Math.max(1, b.end - b.start));
            expect(blockAt([b], now)).toBe(b.end > b.start ? b : undefined);
            const m = memberAt(b, now);
            expect(b.members).toContain(m);
            expect(m.start).toBeLessThanOrEqual(now);
          }
        },
      ),
    );
  });
});

describe('return time after an entry', () => {
  const sto = { ...DEFAULT_POLICY, holidays: ['2026-12-24', '2026-12-25', '2026-12-26'] };
  const back = (iso: string) => returnAt(new Date(iso), sto).toISOString();
  it('within working hours it is the end itself', () => {
    expect(back('2026-12-02T12:00:00.000Z')).toBe('2026-12-02T12:00:00.000Z');
  });
  it('an all-day vacation through Friday returns Monday at the start of the day', () => {
    // DTEND Saturday 00:00 local
    expect(back('2026-12-04T23:00:00.000Z')).toBe('2026-12-07T07:00:00.000Z');
  });
  it('a trip ending in the evening returns the next working morning, after Christmas', () => {
    expect(back('2026-12-23T18:00:00.000Z')).toBe('2026-12-28T07:00:00.000Z');
  });
  it('an entry ending before the working day returns when it starts', () => {
    expect(back('2026-12-03T05:00:00.000Z')).toBe('2026-12-03T07:00:00.000Z');
  });
});
