import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS, findReason, Presence } from '../protocol/index.js';
import { at, desk, operator } from '../test/support/referral-fixture.js';
import { DEFAULT_POLICY, type OrgPolicy } from './policy.js';
import {
  applyAction,
  type DeskAction,
  type DeskContext,
  initialPresence,
  nextWake,
  onTime,
} from './referral.js';

describe('properties of the state machine', () => {
  const codes = [...DEFAULT_REASONS.map((r) => r.code), 'unknown'];
  const action: fc.Arbitrary<DeskAction> = fc.oneof(
    fc.constantFrom(...codes).map((r) => ({ type: 'reason' as const, reason: r })),
    fc.constantFrom(...codes).map((r) => ({ type: 'until-further-notice' as const, reason: r })),
    fc.constant({ type: 'open' as const }),
    fc.integer({ min: 1, max: 240 }).map((minutes) => ({ type: 'extend' as const, minutes })),
    fc.integer({ min: 1, max: 240 }).map((minutes) => ({ type: 'shorten' as const, minutes })),
    fc.constant({ type: 'alt-forward' as const }),
    fc.constant({ type: 'alt-info' as const }),
    fc.constant({ type: 'message-handled' as const }),
  );
  const step = fc.record({
    action,
    // clock jumps: none, seconds, hours, days (a desk asleep over a weekend)
    advanceMs: fc.oneof(
      fc.constant(0),
      fc.integer({ min: 0, max: 120_000 }),
      fc.integer({ min: 0, max: 4 * 86_400_000 }),
    ),
    tick: fc.boolean(),
    forwardTo: fc.option(fc.constantFrom('4711', '12'), { nil: undefined }),
    actor: fc.constantFrom(desk, operator),
  });
  const policies = fc.record({
    timeZone: fc.constantFrom('Europe/Stockholm', 'Europe/Copenhagen', 'Asia/Kathmandu'),
    onReturn: fc.constantFrom('overdue', 'reopen'),
  });
  const starts = fc.date({
    min: at('2025-01-01T00:00:00Z'),
    max: at('2030-12-31T00:00:00Z'),
    noInvalidDate: true,
  });

  it('random presses and clock jumps: always a valid presence; open is available; seq +1 on change', () => {
    fc.assert(
      fc.property(starts, policies, fc.array(step, { maxLength: 40 }), (t0, pol, steps) => {
        const policy = { ...DEFAULT_POLICY, ...pol } as OrgPolicy;
        let now = t0;
        let p = initialPresence(now, desk);
        for (const s of steps) {
          now = new Date(now.getTime() + s.advanceMs);
          const c: DeskContext = { now, policy, actor: s.actor };
          if (s.forwardTo) c.forwardTo = s.forwardTo;
          if (s.tick) {
            const wake = nextWake(p, c);
            const ticked = onTime(p, c);
            if (ticked !== p) {
              expect(ticked.seq).toBe(p.seq + 1);
              expect(wake?.getTime()).toBeLessThanOrEqual(now.getTime());
            }
            p = ticked;
          }
          const next = applyAction(p, s.action, c);
          const parsed = Presence.safeParse(next);
          expect(parsed.success, JSON.stringify(parsed.error?.issues)).toBe(true);
          if (next !== p) {
            expect(next.seq).toBe(p.seq + 1);
            expect(next.by).toEqual(s.actor);
            expect(Date.parse(next.since)).toBeLessThanOrEqual(Date.parse(next.at));
            const changedTime = next.until !== p.until || next.reason !== p.reason;
            if (next.until !== null && changedTime)
              expect(Date.parse(next.until)).toBeGreaterThan(now.getTime());
          }
          if (s.action.type === 'open') expect(next).toMatchObject({ status: 'available', alt: null });
          if (s.action.type === 'message-handled') expect(next).toBe(p);
          if (next.status === 'available') expect(next.alt).toBeNull();
          // the caller always learns when a reason that requires a return time ends
          if (next.status === 'away' && next.until === null) {
            expect(findReason(next.reason ?? '', policy.reasons)?.returnRequired).toBe(false);
          }
          p = next;
        }
      }),
    );
  });
});
