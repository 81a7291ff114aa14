// Where the redirect server sent each call: a dialog heard under the dialled extension belongs to the
// phone the call was sent to; the caller's own dialog (same Call-ID) and undiverted calls stay put.
import { describe, expect, it } from 'vitest';
import { callTargets } from './call-targets.js';

describe('call targets', () => {
  it('a diverted call is the target phone’s, from when it was sent there', () => {
    const targets = callTargets();
    targets.sent('c1', '4711', '4711', 1000);
    expect(targets.elsewhere('c1', '4711')).toBeUndefined();
    targets.sent('c1', '4711', '9000', 21_000);
    expect(targets.elsewhere('c1', '4711')).toEqual({ called: '4711', target: '9000', at: 21_000 });
    // the caller's dialog of the same call is the caller's
    expect(targets.elsewhere('c1', '1000')).toBeUndefined();
    expect(targets.elsewhere(undefined, '4711')).toBeUndefined();
    expect(targets.elsewhere('unknown', '4711')).toBeUndefined();
  });

  it('a retransmitted question keeps the time the phone began to ring', () => {
    const targets = callTargets();
    targets.sent('c1', '4711', '4712', 1000);
    targets.sent('c1', '4711', '4712', 1500);
    expect(targets.elsewhere('c1', '4711')?.at).toBe(1000);
  });

  it('keeps the most recently routed calls within its limit', () => {
    const targets = callTargets(2);
    targets.sent('a', '4711', '9000', 1);
    targets.sent('b', '4711', '9000', 2);
    targets.sent('a', '4711', '4712', 3);
    targets.sent('c', '4711', '9000', 4);
    expect(targets.elsewhere('b', '4711')).toBeUndefined();
    expect(targets.elsewhere('a', '4711')?.target).toBe('4712');
    expect(targets.elsewhere('c', '4711')?.target).toBe('9000');
  });
});
