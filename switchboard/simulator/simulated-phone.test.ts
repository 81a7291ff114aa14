// The simulated phone system through the phone port, on a hand-driven clock: calls to people arrive as
// line states and extcall steps (each at its own time), routed by the referrals it was handed; an
// outage drops them, and the way back tells every line afresh, as a SIP server's new subscriptions do.
// In night service (issue 23), while the switchboard is closed or at lunch, callers hear the
// after-hours message, so no queue fills; open again, the traffic comes back.
import { describe, expect, it } from 'vitest';
import { manualClock } from '../../test/support/manual-clock.js';
import type { ExtCallReport, PhoneListener, QueueSnapshot, Referral } from '../phone/port.js';
import { SWITCHBOARD_EXT } from './person-calls.js';
import { createSimulatedPhone } from './simulated-phone.js';

const START = Date.parse('2026-11-23T09:00:00.000Z');

/** A listener that keeps what the port told it, each with the clock's time when it came. */
function recording(now: () => number) {
  const lines: { ext: string; state: string; at: number; heard: number }[] = [];
  const steps: (ExtCallReport & { heard: number })[] = [];
  const listener: PhoneListener = {
    queue: () => {},
    call: () => {},
    voicemail: () => {},
    line: (ext, state, at) => lines.push({ ext, state, at, heard: now() }),
    extCall: (step) => steps.push({ ...step, heard: now() }),
    link: () => {},
    fault: (e) => {
      throw e;
    },
  };
  return { listener, lines, steps };
}

const referral = (ext: string): Referral => ({
  ext,
  locale: 'sv',
  timeZone: 'Europe/Stockholm',
  presence: {
    v: 1,
    status: 'away',
    reason: 'lunch',
    since: new Date(START).toISOString(),
    until: '2026-11-23T11:00:00.000Z',
    alt: null,
    seq: 1,
    by: { kind: 'desk', id: `desk-${ext}` },
    at: new Date(START).toISOString(),
  },
});

describe('the simulated phone system: calls to people through the port', () => {
  it('tells each step when its time comes; a referred person goes to the switchboard with the reason', async () => {
    const time = manualClock(START);
    const phone = createSimulatedPhone({ org: 'demo', seed: 2, clock: time });
    const heard = recording(time.now);
    // everyone but 2001 at their desk, 2001 at lunch
    phone.referralChanged(referral('2001'));
    await phone.open(heard.listener);
    while (time.now() < START + 30 * 60_000) time.fire();
    await phone.close();

    expect(heard.steps.length).toBeGreaterThan(20);
    // each step and line when it happened, never before or after
    for (const s of heard.steps) expect(s.heard).toBe(s.at);
    for (const l of heard.lines) expect(l.heard).toBe(l.at);
    const to2001 = heard.steps.filter((s) => s.ext === '2001' && s.event === 'routed');
    expect(to2001.length).toBeGreaterThan(0);
    for (const s of to2001)
      expect(s).toMatchObject({
        to: 'switchboard',
        cause: 'referred',
        target: SWITCHBOARD_EXT,
        reason: 'lunch',
      });
    // a desk that rang: ringing first, then in a call or idle
    const first = heard.lines.find((l) => l.state === 'ringing');
    const after = heard.lines.find((l) => first && l.ext === first.ext && l.at > first.at);
    expect(['in-call', 'idle']).toContain(after?.state);
  });

  it('an outage drops the calls; back, it tells every line as it now is', async () => {
    const time = manualClock(START);
    const phone = createSimulatedPhone({ org: 'demo', seed: 4, clock: time });
    const heard = recording(time.now);
    await phone.open(heard.listener);
    phone.setReachable(false);
    while (time.now() < START + 10 * 60_000) time.fire();
    expect(heard.lines).toEqual([]);
    expect(heard.steps).toEqual([]);
    phone.setReachable(true);
    // the lines the calls during the outage left, each once, in its state since it changed
    expect(heard.lines.length).toBeGreaterThan(0);
    expect(new Set(heard.lines.map((l) => l.ext)).size).toBe(heard.lines.length);
    for (const l of heard.lines) expect(l.at).toBeLessThanOrEqual(time.now());
    await phone.close();
  });

  it('fills no queue in night service, and does again once open', async () => {
    const time = manualClock(START);
    const phone = createSimulatedPhone({ org: 'demo', seed: 7, clock: time });
    const queues: QueueSnapshot[] = [];
    const { listener } = recording(time.now);
    await phone.open({ ...listener, queue: (s) => queues.push(s) });
    const closed = { v: 1 as const, state: 'lunch' as const, since: '2026-11-23T11:00:00.000Z' };
    phone.serviceChanged?.(closed);
    expect(phone.service()).toEqual(closed);
    queues.length = 0;
    for (let i = 0; i < 200; i++) time.fire();
    expect(queues.filter((q) => q.waiting > 0)).toEqual([]);
    phone.serviceChanged?.({ v: 1, state: 'open', since: '2026-11-23T12:00:00.000Z' });
    for (let i = 0; i < 200 && !queues.some((q) => q.waiting > 0); i++) time.fire();
    expect(queues.some((q) => q.waiting > 0)).toBe(true);
    await phone.close();
  });
});
