import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { actor, presence } from '../test/support/arbitraries.js';
import { comparePresence, MAX_SEQ, nextSeq, supersedes } from './presence-order.js';
import type { Presence } from './schemas.js';

// Small seqs and ids so that ties, the interesting case, are common; the top of the range too.
const racing = fc
  .tuple(
    presence,
    fc.constantFrom(0, 1, 2, 3, MAX_SEQ - 1, MAX_SEQ),
    actor,
    fc.constantFrom('a', 'b', 'desk-1'),
    fc.constantFrom('2026-11-23T11:00:00.000Z', '2026-11-23T11:00:00.001Z', '2026-11-23T12:00:00.000Z'),
  )
  .map(([p, seq, by, id, at]): Presence => ({ ...p, seq, at, by: { kind: by.kind, id } }));

describe('comparePresence', () => {
  it('is a total order: antisymmetric, transitive, and 0 only for the same (seq, by)', () => {
    fc.assert(
      fc.property(racing, racing, racing, (a, b, c) => {
        expect(Math.sign(comparePresence(a, b)) + Math.sign(comparePresence(b, a))).toBe(0);
        if (comparePresence(a, b) <= 0 && comparePresence(b, c) <= 0) {
          expect(comparePresence(a, c)).toBeLessThanOrEqual(0);
        }
        const same =
          a.seq === b.seq &&
          (a.seq < MAX_SEQ || a.at === b.at) &&
          a.by.kind === b.by.kind &&
          a.by.id === b.by.id;
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

  it('the next change wins over the one it follows, also at the largest seq (by its later time there)', () => {
    fc.assert(
      fc.property(racing, actor, fc.integer({ min: 1, max: 10 ** 9 }), (current, by, later) => {
        const next: Presence = {
          ...current,
          seq: nextSeq(current.seq),
          by,
          at: new Date(Date.parse(current.at) + later).toISOString(),
        };
        expect(next.seq).toBe(Math.min(current.seq + 1, MAX_SEQ));
        expect(supersedes(next, current)).toBe(true);
      }),
    );
  });

  it('at the largest seq the later change wins whoever made it; below it, time does not count', () => {
    const base = fc.sample(presence, 1)[0] as Presence;
    const at = (seq: number, kind: Presence['by']['kind'], time: string): Presence => ({
      ...base,
      seq,
      at: time,
      by: { kind, id: kind },
    });
    const [early, late] = ['2026-11-23T11:00:00.000Z', '2026-11-23T11:05:00.000Z'];
    expect(supersedes(at(MAX_SEQ, 'desk', late), at(MAX_SEQ, 'operator', early))).toBe(true);
    expect(supersedes(at(MAX_SEQ, 'operator', early), at(MAX_SEQ, 'desk', late))).toBe(false);
    expect(supersedes(at(7, 'desk', late), at(7, 'operator', early))).toBe(false);
    expect(nextSeq(MAX_SEQ)).toBe(MAX_SEQ);
  });

  it('on equal seq: operator over switchboard over calendar over desk, then the greater id', () => {
    const base = fc.sample(presence, 1)[0] as Presence;
    const at = (kind: Presence['by']['kind'], id: string): Presence => ({
      ...base,
      seq: 5,
      by: { kind, id },
    });
    expect(supersedes(at('operator', 'a'), at('desk', 'z'))).toBe(true);
    expect(supersedes(at('switchboard', 'a'), at('calendar', 'z'))).toBe(true);
    expect(supersedes(at('calendar', 'a'), at('desk', 'z'))).toBe(true);
    expect(supersedes(at('desk', 'b'), at('desk', 'a'))).toBe(true);
    expect(supersedes(at('desk', 'a'), at('desk', 'a'))).toBe(false);
    expect(supersedes(at('desk', 'a'), null)).toBe(true);
  });
});
