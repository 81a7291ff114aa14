import { describe, expect, it } from 'vitest';
import { MON_0905, press, reason, start } from '../test/support/referral-fixture.js';
import { DEFAULT_POLICY } from './policy.js';

describe('alternative answering point', () => {
  const lunch = press(start, reason('lunch'), MON_0905);

  it('forward toggles to the configured colleague; without one it does nothing', () => {
    const fwd = press(lunch, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' });
    expect(fwd.alt).toEqual({ kind: 'forward', to: '4711' });
    expect(press(fwd, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' }).alt).toBeNull();
    expect(press(lunch, { type: 'alt-forward' }, MON_0905)).toBe(lunch);
  });

  it('forward takes over a forward the operator set elsewhere, and toggles off one to the same colleague', () => {
    const elsewhere = { ...lunch, alt: { kind: 'forward' as const, to: '99' } };
    expect(press(elsewhere, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' }).alt).toEqual({
      kind: 'forward',
      to: '4711',
    });
    const named = { ...lunch, alt: { kind: 'forward' as const, to: '4711', name: 'Anna' } };
    expect(press(named, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' }).alt).toBeNull();
  });

  it('info toggles; forward replaces info', () => {
    const info = press(lunch, { type: 'alt-info' }, MON_0905);
    expect(info.alt).toEqual({ kind: 'info' });
    expect(press(info, { type: 'alt-info' }, MON_0905).alt).toBeNull();
    expect(press(info, { type: 'alt-forward' }, MON_0905, { forwardTo: '12' }).alt).toEqual({
      kind: 'forward',
      to: '12',
    });
  });

  it("info carries the text the desk's layout gives the key (issue 23)", () => {
    const info = press(lunch, { type: 'alt-info', text: 'Ring Kerstin på 2105' }, MON_0905);
    expect(info.alt).toEqual({ kind: 'info', text: 'Ring Kerstin på 2105' });
  });

  it("forward to the switchboard's number does nothing where the org refuses it (Grästorp/Essunga)", () => {
    const policy = { ...DEFAULT_POLICY, switchboard: { numbers: ['9'], refuseForward: true } };
    expect(press(lunch, { type: 'alt-forward' }, MON_0905, { forwardTo: '9', policy })).toBe(lunch);
    expect(press(lunch, { type: 'alt-forward' }, MON_0905, { forwardTo: '2102', policy }).alt).toEqual({
      kind: 'forward',
      to: '2102',
    });
  });

  it('is part of the absence: kept over extend and chain, nothing while available', () => {
    const fwd = press(lunch, { type: 'alt-forward' }, MON_0905, { forwardTo: '4711' });
    expect(press(fwd, { type: 'extend', minutes: 15 }, MON_0905).alt).toEqual(fwd.alt);
    expect(press(fwd, reason('meeting'), MON_0905).alt).toEqual(fwd.alt);
    expect(press(start, { type: 'alt-info' }, MON_0905)).toBe(start);
  });

  it('message-handled never changes presence', () => {
    expect(press(lunch, { type: 'message-handled' }, MON_0905)).toBe(lunch);
  });
});
