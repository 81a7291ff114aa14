import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Presence } from '../protocol/index.js';
import { presence as anyPresence, ext } from '../test/support/arbitraries.js';
import { type CallToRoute, type Known, type RoutingPolicy, routeCall } from './call-routing.js';

const policy: RoutingPolicy = {
  switchboard: '9000',
  ringLimitSeconds: 20,
  refusedForwards: { numbers: [], refuseForward: false },
};
const at = '2026-11-23T11:00:00.000Z';
const by = { kind: 'desk' as const, id: 'desk-4711' };
const available: Presence = {
  v: 1,
  status: 'available',
  reason: null,
  since: at,
  until: null,
  alt: null,
  seq: 1,
  by,
  at,
};
const lunch = (alt: Presence['alt'] = null): Presence => ({
  ...available,
  status: 'away',
  reason: 'lunch',
  until: '2026-11-23T12:00:00.000Z',
  alt,
});
const forwardTo = (to: string) => lunch({ kind: 'forward', to });

function knowing(people: Record<string, Presence>, privateReasons: string[] = ['sick']): Known {
  return { presence: (e) => people[e], isPrivate: (r) => privateReasons.includes(r) };
}
const call = (called: string, extra: Partial<CallToRoute> = {}): CallToRoute => ({
  called,
  transfer: false,
  ...extra,
});

describe('routeCall', () => {
  it('rings the desk of a person who is in, or whose referral is not known, with the ring limit', () => {
    for (const known of [knowing({ '4711': available }), knowing({})])
      expect(routeCall(call('4711'), policy, known)).toEqual({
        to: 'desk',
        target: '4711',
        cause: 'available',
        transfer: false,
        ringLimitSeconds: 20,
      });
  });

  it('SAMSA: a forward rings the colleague, carrying the reason and return time', () => {
    const route = routeCall(call('4711'), policy, knowing({ '4711': forwardTo('4712'), '4712': available }));
    expect(route).toEqual({
      to: 'forward',
      target: '4712',
      cause: 'referred',
      reason: 'lunch',
      until: '2026-11-23T12:00:00.000Z',
      transfer: false,
      ringLimitSeconds: 20,
    });
  });

  it('a forward to a colleague who is away too, or to oneself, goes to the switchboard', () => {
    const people = { '4711': forwardTo('4712'), '4712': lunch(), '4713': forwardTo('4713') };
    expect(routeCall(call('4711'), policy, knowing(people))).toMatchObject({
      to: 'switchboard',
      target: '9000',
    });
    expect(routeCall(call('4713'), policy, knowing(people))).toMatchObject({
      to: 'switchboard',
      target: '9000',
    });
  });

  it('info or no alternative: the switchboard, with the reason; a private reason only as "away"', () => {
    const info = lunch({ kind: 'info', text: 'ask Eva' });
    expect(routeCall(call('4711'), policy, knowing({ '4711': info }))).toEqual({
      to: 'switchboard',
      target: '9000',
      cause: 'referred',
      reason: 'lunch',
      until: '2026-11-23T12:00:00.000Z',
      transfer: false,
    });
    const sick = { ...lunch(), reason: 'sick', until: null };
    expect(routeCall(call('4711'), policy, knowing({ '4711': sick }))).toMatchObject({
      reason: 'away',
      until: null,
    });
  });

  it('Grästorp: a forward to a refused number is not followed, however the number is written', () => {
    const grastorp = {
      ...policy,
      refusedForwards: { numbers: ['0514-580 00', '58000'], refuseForward: true },
    };
    for (const to of ['58000', '051458000']) {
      const route = routeCall(call('4711'), grastorp, knowing({ '4711': forwardTo(to) }));
      expect(route).toMatchObject({
        to: 'switchboard',
        target: '9000',
        cause: 'refused-forward',
        reason: 'lunch',
      });
    }
    // the organisation lets forwards to its switchboard through: followed
    const allowed = { ...policy, refusedForwards: { numbers: ['58000'], refuseForward: false } };
    expect(routeCall(call('4711'), allowed, knowing({ '4711': forwardTo('58000') }))).toMatchObject({
      to: 'forward',
      target: '58000',
    });
  });

  it('Guldborgsund: rung out or busy goes to the switchboard, which never rings out', () => {
    const known = knowing({ '4711': available });
    expect(routeCall(call('4711', { outcome: 'unanswered' }), policy, known)).toEqual({
      to: 'switchboard',
      target: '9000',
      cause: 'unanswered',
      transfer: false,
      came: 'unanswered',
    });
    expect(routeCall(call('4711', { outcome: 'busy' }), policy, known)).toEqual({
      to: 'switchboard',
      target: '9000',
      cause: 'busy',
      transfer: false,
    });
  });

  it("an operator's transfer rings the desk even when referred, and comes back bounced", () => {
    const known = knowing({ '4711': lunch() });
    expect(routeCall(call('4711', { transfer: true }), policy, known)).toMatchObject({
      to: 'desk',
      target: '4711',
      cause: 'referred',
      reason: 'lunch',
      ringLimitSeconds: 20,
      transfer: true,
    });
    for (const outcome of ['unanswered', 'busy'] as const)
      expect(routeCall(call('4711', { transfer: true, outcome }), policy, known)).toMatchObject({
        to: 'switchboard',
        cause: outcome,
        came: 'bounced',
      });
  });

  it('calls to the switchboard itself ring there', () => {
    expect(routeCall(call('9000'), policy, knowing({ '9000': lunch() }))).toMatchObject({
      to: 'desk',
      target: '9000',
    });
  });
});

describe('routeCall properties', () => {
  const people = fc.dictionary(fc.constantFrom('4711', '4712', '4713', '9000', '58000'), anyPresence);
  const input = fc.record({
    people,
    called: fc.oneof(fc.constantFrom('4711', '4712', '9000'), ext),
    transfer: fc.boolean(),
    outcome: fc.constantFrom(undefined, 'unanswered' as const, 'busy' as const),
    privateReasons: fc.subarray(['sick', 'lunch', 'meeting']),
    refuse: fc.subarray(['58000', '9000', '4712']),
  });
  const run = (i: typeof input extends fc.Arbitrary<infer T> ? T : never) =>
    routeCall(
      { called: i.called, transfer: i.transfer, ...(i.outcome ? { outcome: i.outcome } : {}) },
      { ...policy, refusedForwards: { numbers: i.refuse, refuseForward: true } },
      knowing(i.people, i.privateReasons),
    );

  it('every call reaches someone: the desk, a colleague who is not away, or the switchboard', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = run(i);
        if (r.to === 'desk') expect(r.target).toBe(i.called);
        if (r.to === 'switchboard') expect(r.target).toBe(policy.switchboard);
        if (r.to === 'forward') {
          expect(i.people[r.target]?.status).not.toBe('away');
          expect(i.refuse).not.toContain(r.target);
          expect(r.target).not.toBe(i.called);
        }
      }),
    );
  });

  it('a private reason never leaves the rule; the switchboard never rings out', () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = run(i);
        if (r.reason !== undefined) expect(i.privateReasons).not.toContain(r.reason);
        if (r.to === 'switchboard') expect(r.ringLimitSeconds).toBeUndefined();
        else expect(r.ringLimitSeconds).toBe(policy.ringLimitSeconds);
      }),
    );
  });

  it("an operator's transfer is never sent back to the switchboard before it has rung", () => {
    fc.assert(
      fc.property(input, (i) => {
        const r = run(i);
        if (i.transfer && !i.outcome) expect(r.to).not.toBe('switchboard');
        if (i.outcome) expect(r.to).toBe('switchboard');
      }),
    );
  });
});
