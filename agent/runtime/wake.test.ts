import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../rules/clock.js';
import { earliest, MAX_TIMER_MS, WakeTimer } from './wake.js';

describe('earliest', () => {
  it('property: the earliest of the instants given; none without instants', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.integer({ min: 0, max: 2e6 }), { nil: undefined })), (instants) => {
        const due = instants.filter((x) => x !== undefined);
        const first = earliest(instants);
        if (due.length === 0) expect(first).toBeUndefined();
        else expect(first).toBe(Math.min(...due));
      }),
    );
  });
});

describe('WakeTimer', () => {
  // Only the timer primitives are recorded: which handles are armed at any moment.
  const armed = new Map<number, () => void>();
  let next = 1;
  const clock: Clock = {
    now: () => 0,
    setTimeout: (fn) => {
      armed.set(next, fn);
      return next++;
    },
    clearTimeout: (h) => armed.delete(h as number),
  };

  it('arms a wake past 24.8 days at the longest delay a timer keeps, not after 1 ms', () => {
    const delays: number[] = [];
    const wake = new WakeTimer(
      {
        ...clock,
        setTimeout: (fn, ms) => {
          delays.push(ms);
          return clock.setTimeout(fn, ms);
        },
      },
      () => {},
    );
    wake.armAt(40 * 86_400_000); // a vacation referral ending in 40 days
    expect(delays).toEqual([MAX_TIMER_MS]);
    wake.cancel();
  });

  it('keeps at most one timer armed, and none after cancel or firing', () => {
    let fired = 0;
    const wake = new WakeTimer(clock, () => fired++);
    wake.armAt(10);
    wake.armAt(5);
    expect(armed.size).toBe(1);
    wake.armAt(undefined);
    expect(armed.size).toBe(0);
    wake.armAt(1);
    const [[id, fn]] = [...armed.entries()] as [[number, () => void]];
    armed.delete(id);
    fn();
    expect(fired).toBe(1);
    wake.cancel();
    wake.armAt(3);
    wake.cancel();
    expect(armed.size).toBe(0);
  });

  it('keeps the armed timer when asked for the same instant again, and arms anew once it fired', () => {
    const armings: number[] = [];
    const wake = new WakeTimer(
      {
        ...clock,
        setTimeout: (fn, ms) => {
          armings.push(ms);
          return clock.setTimeout(fn, ms);
        },
      },
      () => {},
    );
    wake.armAt(7);
    wake.armAt(7);
    expect(armings).toEqual([7]);
    const [[id, fn]] = [...armed.entries()] as [[number, () => void]];
    armed.delete(id);
    fn();
    wake.armAt(7);
    expect(armings).toEqual([7, 7]);
    wake.armAt(9);
    expect(armings).toEqual([7, 7, 9]);
    expect(armed.size).toBe(1);
    wake.cancel();
  });
});
