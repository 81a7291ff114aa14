import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ACTOR_RANK, type Actor, type Presence } from '../protocol/index.js';
import { ctx, MON_0905, operator, plus, press, reason, start } from '../test/support/referral-fixture.js';
import { adopt, applyAction } from './referral.js';

describe('adopt: newest by seq, never by wall clock', () => {
  const lunch = press(start, reason('lunch'), MON_0905);

  it('takes a newer presence set by the operator and keeps an older one out', () => {
    const sick = applyAction(lunch, reason('sick'), { ...ctx(plus(MON_0905, 1)), actor: operator });
    expect(adopt(lunch, sick)).toBe(sick);
    expect(adopt(sick, lunch)).toBe(sick);
    // a stale message with a later wall clock still loses
    const stale = { ...start, at: '2030-01-01T00:00:00.000Z' };
    expect(adopt(lunch, stale)).toBe(lunch);
  });

  it('breaks a tie by the shared protocol rule: the operator beats the desk', () => {
    const byDesk = press(lunch, reason('meeting'), MON_0905);
    const byOperator = applyAction(lunch, reason('sick'), { ...ctx(MON_0905), actor: operator });
    expect(byDesk.seq).toBe(byOperator.seq);
    expect(adopt(byDesk, byOperator)).toBe(byOperator);
    expect(adopt(byOperator, byDesk)).toBe(byOperator);
  });

  const actors = fc.record({
    kind: fc.constantFrom('desk', 'operator', 'calendar', 'switchboard'),
    id: fc.constantFrom('a', 'b', 'desk-1'),
  }) as fc.Arbitrary<Actor>;
  const presences = fc
    .record({
      seq: fc.integer({ min: 0, max: 3 }),
      by: actors,
      away: fc.boolean(),
      reason: fc.constantFrom('lunch', 'sick'),
      minute: fc.integer({ min: 0, max: 3 }),
    })
    .map(
      ({ seq, by, away, reason, minute }): Presence => ({
        ...start,
        seq,
        by,
        ...(away ? { status: 'away', reason, until: plus(MON_0905, minute).toISOString() } : {}),
      }),
    );

  const key = (p: Presence) => ({ seq: p.seq, by: p.by });
  it('property: commutative, idempotent and associative on (seq, by); the same winner everywhere', () => {
    fc.assert(
      fc.property(presences, presences, presences, (a, b, c) => {
        expect(key(adopt(a, b))).toEqual(key(adopt(b, a)));
        expect(adopt(a, a)).toBe(a);
        expect(adopt(adopt(a, b), b)).toBe(adopt(a, b));
        expect(key(adopt(adopt(a, b), c))).toEqual(key(adopt(a, adopt(b, c))));
        // the newest by seq always wins
        expect(adopt(a, b).seq).toBe(Math.max(a.seq, b.seq));
        // a tie goes to the higher-ranked actor (the operator over the desk), whichever arrives first
        if (a.seq === b.seq && ACTOR_RANK[a.by.kind] > ACTOR_RANK[b.by.kind]) {
          expect(adopt(a, b)).toBe(a);
          expect(adopt(b, a)).toBe(a);
        }
      }),
    );
  });
});
