// The reconcile decision between the desk's presence and the broker's, as a pure function.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Actor, Presence } from '../../protocol/index.js';
import { comparePresence, initialPresence } from '../../rules/referral.js';
import { manualClock } from '../../test/support/manual-clock.js';
import { PresenceSync, reconcileStep, type SyncView } from './presence-sync.js';

const NOW = new Date(Date.UTC(2026, 10, 25, 11, 0));
const presence = fc
  .record({
    seq: fc.integer({ min: 0, max: 3 }),
    by: fc.record({
      kind: fc.constantFrom('desk', 'operator', 'calendar', 'switchboard'),
      id: fc.constantFrom('a', 'desk-1'),
    }) as fc.Arbitrary<Actor>,
  })
  .map(({ seq, by }): Presence => ({ ...initialPresence(NOW, by), seq }));
const view: fc.Arbitrary<SyncView> = fc.record({
  settled: fc.boolean(),
  local: fc.option(presence, { nil: undefined }),
  remote: fc.oneof(fc.constant(undefined), fc.constant(null), presence),
  pending: fc.boolean(),
  mayAssumeAvailable: fc.boolean(),
  inFlight: fc.option(presence, { nil: undefined }),
});

describe('reconcileStep', () => {
  it('property: waits while the broker is unseen; adopts only a newer or the only presence', () => {
    fc.assert(
      fc.property(view, (v) => {
        const step = reconcileStep(v);
        if (!v.settled) expect(step).toBe('wait');
        if (step === 'adopt') {
          expect(v.remote).toBeTruthy();
          if (v.local && v.remote) expect(comparePresence(v.remote, v.local)).toBeGreaterThan(0);
        }
        if (step === 'publish') expect(v.inFlight).not.toBe(v.local);
        if (step === 'assume-available') expect(v.mayAssumeAvailable && !v.local && !v.remote).toBe(true);
      }),
    );
  });

  it('heals a broker that is behind, once; confirms a presence the broker already holds', () => {
    const ours = { ...initialPresence(NOW, { kind: 'desk', id: 'desk-1' }), seq: 2 };
    const older = { ...ours, seq: 1 };
    const base = { settled: true, local: ours, pending: true, mayAssumeAvailable: true, inFlight: undefined };
    expect(reconcileStep({ ...base, remote: older })).toBe('publish');
    expect(reconcileStep({ ...base, remote: null })).toBe('publish');
    expect(reconcileStep({ ...base, remote: older, inFlight: ours })).toBe('nothing');
    expect(reconcileStep({ ...base, remote: ours })).toBe('confirm');
    expect(reconcileStep({ ...base, remote: ours, pending: false })).toBe('nothing');
  });

  it('with no presence on either side, assumes available only when allowed (not after a corrupt journal)', () => {
    const base = { settled: true, local: undefined, remote: null, pending: false, inFlight: undefined };
    expect(reconcileStep({ ...base, mayAssumeAvailable: true })).toBe('assume-available');
    expect(reconcileStep({ ...base, mayAssumeAvailable: false })).toBe('stay-unknown');
  });
});

describe('PresenceSync', () => {
  it('a press is handed to the broker before the journal is written, and the journal says pending until the PUBACK', async () => {
    const steps: string[] = [];
    let acknowledge: (ok: boolean) => void = () => {};
    const sync: PresenceSync = new PresenceSync(
      {
        clock: manualClock(NOW.getTime()),
        settleMs: 1000,
        connected: () => true,
        send: (p) => {
          steps.push(`send ${p.seq}`);
          return new Promise<boolean>((resolve) => {
            acknowledge = resolve;
          });
        },
        initial: () => initialPresence(NOW, { kind: 'desk', id: 'desk-1' }),
        save: () => steps.push(`save pending=${sync.pending}`),
        changed: () => {},
      },
      {
        presence: initialPresence(NOW, { kind: 'desk', id: 'desk-1' }),
        pending: false,
        mayAssumeAvailable: true,
      },
    );
    sync.heard(null);
    steps.length = 0;
    sync.set({ ...initialPresence(NOW, { kind: 'desk', id: 'desk-1' }), seq: 7 });
    expect(steps).toEqual(['send 7', 'save pending=true']);
    acknowledge(true);
    await Promise.resolve();
    await Promise.resolve();
    expect(steps).toEqual(['send 7', 'save pending=true', 'save pending=false']);
  });
});
