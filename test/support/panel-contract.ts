// The one contract every KeyPanel driver passes (hardware/port.ts), written once and run per driver with
// a rig that drives that driver's hardware edge (a fake at the bus/pin level, the library above it real):
// press and release, a long press as the agent sees it, the LED patterns as the device shows them,
// unplug and replug with the last frame replayed, and malformed input counted, ignored, harmless.
// A family with no device to lose (the virtual panel) says why when it joins the contract, and the
// contract checks what holds instead: it stays connected and keeps the last frame. Nothing is skipped.
// Time is fake (Date and timers), so hold times and blink rates are exact and nothing sleeps.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { gesture, NO_GESTURE } from '../../agent/desk/keys.js';
import { FAST_HALF_MS, SLOW_HALF_MS } from '../../hardware/blink.js';
import type { KeyPanel, LedFrame, LedPattern } from '../../hardware/port.js';
import { RecordingListener } from './panel-listener.js';

export interface PanelRig {
  panel: KeyPanel;
  /** what the driver's description must say */
  keys: number;
  leds: number;
  /** the key the tests press (any key of the panel) */
  key: number;
  /** a physical press / release of a key */
  press(key: number): void | Promise<void>;
  release(key: number): void | Promise<void>;
  /** whether the device shows LED n lit right now (for drivers that blink in software) */
  lit?(led: number): boolean;
  /** the pattern the device was told, for panels that blink in hardware (X-keys) */
  pattern?(led: number): LedPattern;
  /** pull the device out and put it back; absent only for a family that says it `cannotUnplug` */
  unplug?(): void | Promise<void>;
  replug?(): void | Promise<void>;
  /** one piece of bad input at the edge (a bad report, a failed read) */
  malformed(): void | Promise<void>;
  /** time the driver needs to notice a contact (debounce, polling) */
  settleMs: number;
  dispose?(): void | Promise<void>;
}

const LONG_PRESS_MS = 800;
// slow and fast in separate frames: some panels (X-keys) have one flash rate for all keys
const SLOW: LedFrame = [
  { pattern: 'on', color: 'green' },
  { pattern: 'slow', color: 'red' },
  { pattern: 'off' },
];
const FAST: LedFrame = [
  { pattern: 'off' },
  { pattern: 'on', color: 'green' },
  { pattern: 'fast', color: 'red' },
];

/**
 * How software-blinked LEDs look over two seconds: sampled together every 25 ms, counting each LED's
 * changes. One window for all the LEDs of a frame, because an emulated device (the firmware on avr8js)
 * costs real CPU for every emulated millisecond.
 */
async function observedLeds(rig: PanelRig, expected: LedPattern[]): Promise<LedPattern[]> {
  const leds = expected.map((_, led) => led);
  if (rig.pattern) {
    await vi.advanceTimersByTimeAsync(50); // writes queued in the library reach the device
    return leds.map((led) => rig.pattern?.(led) ?? 'off');
  }
  const lit = rig.lit;
  if (!lit) throw new Error('a rig needs lit() or pattern()');
  // real turns of the event loop too: a driver may draw off the main thread (the Stream Deck's JPEGs)
  const step = async (ms: number) => {
    await vi.advanceTimersByTimeAsync(ms);
    for (let i = 0; i < 3; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  // every pattern starts lit (blink.ts): wait until the device shows the new frame's start
  await vi
    .waitFor(() => expect(leds.map(lit)).toEqual(expected.map((p) => p !== 'off')), {
      timeout: 5000,
      interval: 5,
    })
    .catch(() => {});
  const samples: boolean[][] = [];
  for (let t = 0; t < 2000; t += 25) {
    samples.push(leds.map(lit));
    await step(25);
  }
  return leds.map((led) => {
    const seen = samples.map((sample) => sample[led] ?? false);
    const changes = seen.filter((s, i) => i > 0 && s !== seen[i - 1]).length;
    if (changes === 0) return seen[0] ? 'on' : 'off';
    // 2 s hold 4 changes at 1 Hz and 16 at 4 Hz. A sample on a boundary adds or drops one; a draw that
    // lags the fake clock (the Stream Deck's JPEGs are drawn off the main thread, slower on a loaded
    // machine) only drops changes, never adds them: so more than the slow count plus one is fast.
    const slow = 2000 / SLOW_HALF_MS;
    if (Math.abs(changes - slow) <= 1) return 'slow';
    if (changes > slow + 1 && changes <= 2000 / FAST_HALF_MS + 4) return 'fast';
    throw new Error(`LED ${led} changed ${changes} times in 2 s: no pattern`);
  });
}

/** A rig's unplug and replug, or a clear failure for a rig that has a device but no way to pull it. */
function pluggable(rig: PanelRig): { unplug(): void | Promise<void>; replug(): void | Promise<void> } {
  const { unplug, replug } = rig;
  if (!unplug || !replug) throw new Error('a rig without unplug/replug must join with cannotUnplug: why');
  return { unplug, replug };
}

/**
 * `family.cannotUnplug`: why this family has no device to lose. Given here, not in the rig, because
 * the test list is fixed before any rig exists.
 */
export function describePanelContract(
  name: string,
  makeRig: () => Promise<PanelRig>,
  family: { cannotUnplug?: string } = {},
): void {
  describe(`KeyPanel contract: ${name}`, () => {
    let rig: PanelRig;
    let listener: RecordingListener;

    const connected = async (count = 1) =>
      vi.waitFor(() => expect(listener.connections.filter(Boolean)).toHaveLength(count), {
        timeout: 5000,
      });
    const settle = () => vi.advanceTimersByTimeAsync(rig.settleMs);
    /** press, hold, release, and what the agent's gesture rule makes of the events */
    const tap = async (holdMs: number) => {
      const from = listener.keys.length;
      const times: number[] = [];
      const record = listener.key.bind(listener);
      listener.key = (e) => {
        times.push(Date.now());
        record(e);
      };
      await rig.press(rig.key);
      await settle();
      await vi.advanceTimersByTimeAsync(holdMs);
      await rig.release(rig.key);
      await settle();
      listener.key = record;
      const events = listener.keys.slice(from);
      let state = NO_GESTURE;
      const fired = events.flatMap((e, i) => {
        const r = gesture(state, e, times[i] ?? 0, LONG_PRESS_MS);
        state = r.state;
        return r.fired;
      });
      return { events, fired };
    };

    beforeEach(async () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
      rig = await makeRig();
      listener = new RecordingListener();
      await rig.panel.open(listener);
      await connected();
    });
    afterEach(async () => {
      // a driver's close may wait on timed steps of its library (the Stream Deck's write queue)
      const closing = rig.panel.close();
      await vi.advanceTimersByTimeAsync(1000);
      await closing;
      await rig.dispose?.();
      vi.useRealTimers();
    });

    it('describes the panel it found', () => {
      expect(listener.connections[0]).toMatchObject({ keys: rig.keys, leds: rig.leds });
    });

    it('reports a press and its release; a short tap is a short press to the agent', async () => {
      const { events, fired } = await tap(100);
      // seq is the panel's own counter, where it has one (our firmware)
      const plain = events.filter((e) => e.type !== 'long').map(({ type, key }) => ({ type, key }));
      expect(plain).toEqual([
        { type: 'press', key: rig.key },
        { type: 'release', key: rig.key },
      ]);
      expect(fired).toEqual([{ key: rig.key, long: false }]);
    });

    it('a key held past the long-press time is one long press to the agent', async () => {
      const { fired } = await tap(LONG_PRESS_MS + 200);
      expect(fired).toEqual([{ key: rig.key, long: true }]);
    });

    it('shows steady, slow and fast blinking and off as the device shows them', async () => {
      for (const frame of [SLOW, FAST]) {
        rig.panel.show(frame);
        const expected = frame.slice(0, rig.leds).map((led) => led.pattern);
        expect(await observedLeds(rig, expected)).toEqual(expected);
      }
    });

    if (family.cannotUnplug) {
      it(`cannot be unplugged (${family.cannotUnplug}): stays connected and keeps the last frame`, async () => {
        expect(rig.unplug ?? rig.replug).toBeUndefined();
        rig.panel.show(FAST);
        await vi.advanceTimersByTimeAsync(5000);
        expect(listener.connections).toHaveLength(1);
        expect(listener.connected).toBe(true);
        expect(
          await observedLeds(
            rig,
            FAST.map((led) => led.pattern),
          ),
        ).toEqual(['off', 'on', 'fast']);
      });
    } else
      it('unplugged: says so; replugged: connects again, replays the last frame and reads keys', async () => {
        const device = pluggable(rig);
        rig.panel.show(FAST);
        await device.unplug();
        await vi.waitFor(() => expect(listener.connections.at(-1)).toBe(false), { timeout: 5000 });
        expect(listener.faults.length).toBeGreaterThan(0);
        await device.replug();
        await connected(2);
        expect(
          await observedLeds(
            rig,
            FAST.map((led) => led.pattern),
          ),
        ).toEqual(['off', 'on', 'fast']);
        const { fired } = await tap(50);
        expect(fired).toEqual([{ key: rig.key, long: false }]);
      });

    it('malformed input is counted as a fault, sends no key, and the panel goes on working', async () => {
      const faults = listener.faults.length;
      const keys = listener.keys.length;
      await rig.malformed();
      await settle();
      expect(listener.faults.length).toBe(faults + 1);
      expect(listener.keys.length).toBe(keys);
      expect(listener.connections.at(-1)).not.toBe(false);
      const { fired } = await tap(50);
      expect(fired).toEqual([{ key: rig.key, long: false }]);
    });
  });
}
