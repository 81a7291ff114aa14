import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actor, presence } from '../test/support/arbitraries.js';
import { comparePresence, supersedes } from './presence-order.js';
import type { Presence } from './schemas.js';

// Small seqs and ids so that ties, the interesting case, are common.
const racing = fc
  .tuple(presence, fc.nat({ max: 3 }), actor, fc.constantFrom('a', 'b', 'desk-1'))
  .map(([p, seq, by, id]): Presence => ({ ...p, seq, by: { kind: by.kind, id } }));

describe('comparePresence', () => {
  it('is a total order: antisymmetric, transitive, and 0 only for the same (seq, by)', () => {
    fc.assert(
      fc.property(racing, racing, racing, (a, b, c) => {
        expect(Math.sign(comparePresence(a, b)) + Math.sign(comparePresence(b, a))).toBe(0);
        if (comparePresence(a, b) <= 0 && comparePresence(b, c) <= 0) {
          expect(comparePresence(a, c)).toBeLessThanOrEqual(0);
        }
        const same = a.seq === b.seq && a.by.kind === b.by.kind && a.by.id === b.by.id;
        expect(comparePresence(a, b) === 0).toBe(same);
      }),
    );
  });

  it('every arrival order settles on the same winner', () => {
    fc.assert(
      fc.property(
        fc
          .array(racing, { minLength: 1, maxLength: 8 })
          .chain((changes) =>
            fc.tuple(fc.constant(changes), fc.shuffledSubarray(changes, { minLength: changes.length })),
          ),
        ([changes, shuffled]) => {
          const settle = (order: Presence[]) =>
            order.reduce<Presence | null>((cur, p) => (supersedes(p, cur) ? p : cur), null);
          const a = settle(changes) as Presence;
          const b = settle(shuffled) as Presence;
          expect(comparePresence(a, b)).toBe(0);
        },
      ),
    );
  });

  it('a higher seq wins whoever sent it', () => {
    fc.assert(
      fc.property(presence, presence, (a, b) => {
        fc.pre(a.seq !== b.seq);
        expect(supersedes(a, b)).toBe(a.seq > b.seq);
      }),
    );
  });

  it('on equal seq: operator over switchboard over desk over calendar, then the greater id', () => {
    const base = fc.sample(presence, 1)[0] as Presence;
    const at = (kind: Presence['by']['kind'], id: string): Presence => ({
      ...base,
      seq: 5,
      by: { kind, id },
    });
    expect(supersedes(at('operator', 'a'), at('desk', 'z'))).toBe(true);
    expect(supersedes(at('switchboard', 'a'), at('calendar', 'z'))).toBe(true);
    expect(supersedes(at('desk', 'a'), at('calendar', 'z'))).toBe(true);
    expect(supersedes(at('desk', 'b'), at('desk', 'a'))).toBe(true);
    expect(supersedes(at('desk', 'a'), at('desk', 'a'))).toBe(false);
    expect(supersedes(at('desk', 'a'), null)).toBe(true);
  });
});
