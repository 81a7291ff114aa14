// The simulated PBX in night service (issue 23): while the switchboard is closed or at lunch, callers
// hear the after-hours message, so no queue fills; open again, the traffic comes back.
import { describe, expect, it } from 'vitest';
import type { Clock } from '../../rules/clock.js';
import type { PhoneListener, QueueSnapshot } from '../phone/port.js';
import { createSimulatedPhone } from './simulated-phone.js';

/** A clock the test steps: each `tick()` runs the timer that is due next. */
function steppedClock(start: number): Clock & { tick(): void } {
  let now = start;
  let next: { at: number; fn: () => void } | undefined;
  return {
    now: () => now,
    setTimeout(fn, ms) {
      next = { at: now + ms, fn };
      return next;
    },
    clearTimeout: (h) => {
      if (h === next) next = undefined;
    },
    tick() {
      const due = next;
      if (!due) throw new Error('no timer');
      next = undefined;
      now = due.at;
      due.fn();
    },
  };
}

describe('simulated phone system', () => {
  it('fills no queue in night service, and does again once open', async () => {
    const clock = steppedClock(Date.parse('2026-11-23T09:00:00.000Z'));
    const phone = createSimulatedPhone({ org: 'demo', seed: 7, clock });
    const queues: QueueSnapshot[] = [];
    const listener: PhoneListener = {
      queue: (s) => queues.push(s),
      call: () => {},
      voicemail: () => {},
      link: () => {},
      fault: () => {},
      line: () => {},
      extCall: () => {},
    };
    await phone.open(listener);
    const closed = { v: 1 as const, state: 'lunch' as const, since: '2026-11-23T11:00:00.000Z' };
    phone.serviceChanged?.(closed);
    expect(phone.service()).toEqual(closed);
    queues.length = 0;
    for (let i = 0; i < 200; i++) clock.tick();
    expect(queues.filter((q) => q.waiting > 0)).toEqual([]);
    phone.serviceChanged?.({ v: 1, state: 'open', since: '2026-11-23T12:00:00.000Z' });
    for (let i = 0; i < 200 && !queues.some((q) => q.waiting > 0); i++) clock.tick();
    expect(queues.some((q) => q.waiting > 0)).toBe(true);
    await phone.close();
  });
});
