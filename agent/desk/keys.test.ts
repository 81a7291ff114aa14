import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { KeyEvent } from '../../hardware/port.js';
import { DEFAULT_LAYOUT } from '../../protocol/layouts.js';
import { actionForKey, type GestureState, gesture, NO_GESTURE } from './keys.js';

const LONG = 800;

describe('actionForKey', () => {
  it('maps the default layout', () => {
    expect(actionForKey(DEFAULT_LAYOUT, 0, false)).toEqual({ type: 'open' });
    expect(actionForKey(DEFAULT_LAYOUT, 1, false)).toEqual({ type: 'reason', reason: 'lunch' });
    expect(actionForKey(DEFAULT_LAYOUT, 9, false)).toEqual({ type: 'extend', minutes: 15 });
    expect(actionForKey(DEFAULT_LAYOUT, 10, false)).toEqual({ type: 'shorten', minutes: 15 });
    expect(actionForKey(DEFAULT_LAYOUT, 11, false)).toEqual({ type: 'message-handled' });
  });

  it('a long press on a reason key is until further notice; on other keys the same as short', () => {
    expect(actionForKey(DEFAULT_LAYOUT, 4, true)).toEqual({ type: 'until-further-notice', reason: 'sick' });
    expect(actionForKey(DEFAULT_LAYOUT, 0, true)).toEqual({ type: 'open' });
  });

  it('a key the layout does not name does nothing', () => {
    expect(actionForKey(DEFAULT_LAYOUT, 42, false)).toBeUndefined();
    expect(actionForKey({ keys: [], leds: [] }, 0, true)).toBeUndefined();
  });
});

describe('gesture', () => {
  const run = (events: [KeyEvent | { type: 'tick' }, number][], longMs = LONG) => {
    let state: GestureState = NO_GESTURE;
    const fired: { key: number; long: boolean; at: number }[] = [];
    let wake: number | undefined;
    for (const [event, t] of events) {
      const r = gesture(state, event, t, longMs);
      state = r.state;
      wake = r.wakeAtMs;
      for (const f of r.fired) fired.push({ ...f, at: t });
    }
    return { fired, state, wake };
  };

  it('short on release before the long-press time', () => {
    const r = run([
      [{ type: 'press', key: 1 }, 1000],
      [{ type: 'release', key: 1 }, 1799],
    ]);
    expect(r.fired).toEqual([{ key: 1, long: false, at: 1799 }]);
    expect(r.wake).toBeUndefined();
  });

  it('asks for a tick at the deadline and fires long once there; the release fires nothing', () => {
    const pressed = gesture(NO_GESTURE, { type: 'press', key: 2 }, 1000, LONG);
    expect(pressed.fired).toEqual([]);
    expect(pressed.wakeAtMs).toBe(1800);
    const r = run([
      [{ type: 'press', key: 2 }, 1000],
      [{ type: 'tick' }, 1799],
      [{ type: 'tick' }, 1800],
      [{ type: 'tick' }, 5000],
      [{ type: 'release', key: 2 }, 6000],
    ]);
    expect(r.fired).toEqual([{ key: 2, long: true, at: 1800 }]);
  });

  it('a late tick: release past the deadline still fires long, once', () => {
    const r = run([
      [{ type: 'press', key: 3 }, 0],
      [{ type: 'release', key: 3 }, 900],
    ]);
    expect(r.fired).toEqual([{ key: 3, long: true, at: 900 }]);
  });

  it('panels that detect long presses: long fires at once, and its release nothing', () => {
    const r = run(
      [
        [{ type: 'press', key: 4 }, 0],
        [{ type: 'long', key: 4 }, 700],
        [{ type: 'long', key: 4 }, 750],
        [{ type: 'release', key: 4 }, 2000],
        [{ type: 'long', key: 5 }, 2100],
      ],
      Number.POSITIVE_INFINITY,
    );
    expect(r.fired).toEqual([
      { key: 4, long: true, at: 700 },
      { key: 5, long: true, at: 2100 },
    ]);
    expect(r.wake).toBeUndefined();
  });

  it('ignores a repeated press and a release without a press', () => {
    const r = run([
      [{ type: 'release', key: 6 }, 0],
      [{ type: 'press', key: 6 }, 100],
      [{ type: 'press', key: 6 }, 600],
      [{ type: 'tick' }, 900],
      [{ type: 'release', key: 6 }, 1000],
    ]);
    expect(r.fired).toEqual([{ key: 6, long: true, at: 900 }]);
  });

  it('keys held together are timed each on their own', () => {
    const r = run([
      [{ type: 'press', key: 1 }, 0],
      [{ type: 'press', key: 2 }, 500],
      [{ type: 'release', key: 2 }, 600],
      [{ type: 'tick' }, 800],
    ]);
    expect(r.fired).toEqual([
      { key: 2, long: false, at: 600 },
      { key: 1, long: true, at: 800 },
    ]);
  });

  it('property: one press fires at most once, never both short and long; short only before the deadline', () => {
    const event = fc.oneof(
      fc.record({ type: fc.constantFrom('press', 'release', 'long'), key: fc.integer({ min: 0, max: 3 }) }),
      fc.constant({ type: 'tick' as const }),
    ) as fc.Arbitrary<KeyEvent | { type: 'tick' }>;
    fc.assert(
      fc.property(
        fc.array(fc.tuple(event, fc.integer({ min: 0, max: 1500 })), { maxLength: 60 }),
        fc.constantFrom(LONG, Number.POSITIVE_INFINITY),
        (steps, longMs) => {
          let state: GestureState = NO_GESTURE;
          let now = 0;
          // per key: when the current press began and how often it fired
          const press = new Map<number, { at: number; fired: number }>();
          for (const [e, dt] of steps) {
            now += dt;
            // a press of a key not held down starts a new press (also after a lost release)
            if (e.type === 'press' && !state.down.has(e.key)) press.set(e.key, { at: now, fired: 0 });
            const r = gesture(state, e, now, longMs);
            state = r.state;
            for (const f of r.fired) {
              const p = press.get(f.key);
              if (p) {
                p.fired++;
                expect(p.fired).toBe(1);
                if (!f.long) expect(now - p.at).toBeLessThan(longMs);
                if (f.long && e.type !== 'long') expect(now - p.at).toBeGreaterThanOrEqual(longMs);
              } else {
                // no press seen: only a panel's own long event may fire
                expect(e).toEqual({ type: 'long', key: f.key });
                expect(f.long).toBe(true);
                press.set(f.key, { at: now, fired: 1 });
              }
            }
            if (e.type === 'release') press.delete(e.key);
            if (r.wakeAtMs !== undefined) {
              expect(r.wakeAtMs).toBeGreaterThan(now);
              expect(r.wakeAtMs).toBe(Math.min(...state.down.values()) + longMs);
            } else {
              expect(longMs === Number.POSITIVE_INFINITY || state.down.size === 0).toBe(true);
            }
          }
        },
      ),
    );
  });
});
