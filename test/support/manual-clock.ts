// A clock whose timers run only when the test says so, for the simulator's traffic stepped by hand.
import type { Clock } from '../../rules/clock.js';

/** `fire` runs the timer due first (ties: the first set), moving the time to it. */
export function manualClock(start: number) {
  let now = start;
  const timers: { fn: () => void; due: number }[] = [];
  const clock: Clock = {
    now: () => now,
    setTimeout: (fn, ms) => {
      const t = { fn, due: now + ms };
      timers.push(t);
      return t;
    },
    clearTimeout: (t) => {
      const i = timers.indexOf(t as (typeof timers)[number]);
      if (i >= 0) timers.splice(i, 1);
    },
  };
  const fire = () => {
    const first = timers.reduce<(typeof timers)[number] | undefined>(
      (a, t) => (a && a.due <= t.due ? a : t),
      undefined,
    );
    if (!first) throw new Error('no timer pending');
    timers.splice(timers.indexOf(first), 1);
    now = first.due;
    first.fn();
  };
  return { clock, fire, pending: () => timers.length };
}
