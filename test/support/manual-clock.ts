// A clock that moves only when the test says (rules/clock.ts): timers fire in order of their due time
// as `advance` passes it, so a retry after 30 minutes or a nudge five minutes before a return time is
// tested in no time and without sleeping; `fire` steps the simulator's traffic one timer at a time.
import type { Clock } from '../../rules/clock.js';

export interface ManualClock extends Clock {
  /** moves the time on by `ms`, firing every timer due on the way, in order */
  advance(ms: number): void;
  /** runs the timer due first (ties: the first set), moving the time to it */
  fire(): void;
  /** timers waiting */
  pending(): number;
}

export function manualClock(start: number): ManualClock {
  let now = start;
  let nextId = 0;
  const timers = new Map<number, { at: number; fn: () => void }>();
  return {
    now: () => now,
    setTimeout(fn, ms) {
      const id = ++nextId;
      timers.set(id, { at: now + Math.max(0, ms), fn });
      return id;
    },
    clearTimeout(handle) {
      timers.delete(handle as number);
    },
    advance(ms) {
      const end = now + ms;
      for (;;) {
        const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
        if (!due) break;
        timers.delete(due[0]);
        now = Math.max(now, due[1].at);
        due[1].fn();
      }
      now = end;
    },
    fire() {
      const first = [...timers.entries()].sort((a, b) => a[1].at - b[1].at || a[0] - b[0])[0];
      if (!first) throw new Error('no timer pending');
      timers.delete(first[0]);
      now = Math.max(now, first[1].at);
      first[1].fn();
    },
    pending: () => timers.size,
  };
}
