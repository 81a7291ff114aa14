import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../rules/clock.js';
import { MAX_TIMER_MS, WakeTimer, wakeDelay } from './wake.js';

describe('wakeDelay', () => {
  it('property: the delay to the earliest instant, never negative; none without instants', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 1e6 }),
        fc.array(fc.option(fc.integer({ min: 0, max: 2e6 }), { nil: undefined })),
        (now, instants) => {
          const due = instants.filter((x) => x !== undefined);
          const d = wakeDelay(now, instants);
          if (due.length === 0) expect(d).toBeUndefined();
          else expect(d).toBe(Math.max(0, Math.min(...due) - now));
        },
      ),
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
    wake.arm(40 * 86_400_000); // a vacation referral ending in 40 days
    expect(delays).toEqual([MAX_TIMER_MS]);
    wake.cancel();
  });

  it('keeps at most one timer armed, and none after cancel or firing', () => {
    let fired = 0;
    const wake = new WakeTimer(clock, () => fired++);
    wake.arm(10);
    wake.arm(5);
    expect(armed.size).toBe(1);
    wake.arm(undefined);
    expect(armed.size).toBe(0);
    wake.arm(1);
    const [[id, fn]] = [...armed.entries()] as [[number, () => void]];
    armed.delete(id);
    fn();
    expect(fired).toBe(1);
    wake.cancel();
    wake.arm(3);
    wake.cancel();
    expect(armed.size).toBe(0);
  });
});
