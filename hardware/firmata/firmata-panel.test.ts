// FirmataPanel against a fake StandardFirmata Uno at the byte level (test/support/fake-firmata.ts, the
// one fake: the hardware edge), through a real serialport stream, firmata-io and johnny-five.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EMULATED_PATH, EmulatedSerialBinding } from '../../test/firmware/emulated-port.js';
import { FakeFirmataBoard, MODE } from '../../test/support/fake-firmata.js';
import { RecordingListener } from '../../test/support/panel-listener.js';
import type { LedFrame, LedPattern } from '../port.js';
import type { FirmataPins } from '../profiles/firmata-uno.js';
import { FirmataPanel } from './firmata-panel.js';

/** the Uno profile's pins: keys D2–D9, LEDs A0–A5 (14–19), D10, D11 */
const KEY_PINS = [2, 3, 4, 5, 6, 7, 8, 9];
const LED_PINS = [14, 15, 16, 17, 18, 19, 10, 11];

const frameOf = (...patterns: LedPattern[]): LedFrame => patterns.map((pattern) => ({ pattern }));

describe('FirmataPanel', () => {
  let board: FakeFirmataBoard;
  let binding: EmulatedSerialBinding;
  let listener: RecordingListener;
  let panel: FirmataPanel;

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    board = new FakeFirmataBoard();
    binding = new EmulatedSerialBinding(board);
    listener = new RecordingListener();
  });
  afterEach(async () => {
    await panel.close();
    vi.useRealTimers();
  });

  async function start(pins?: FirmataPins): Promise<void> {
    panel = new FirmataPanel({ path: EMULATED_PATH, binding, ...(pins ? { pins } : {}) });
    await panel.open(listener);
    if (!pins) await vi.waitFor(() => expect(listener.connected).toBe(true));
  }

  const levels = (pins: number[]) => pins.map((pin) => board.level(pin));

  it('introduces the board, pulls the key pins up, and reports press then release for the right key', async () => {
    await start();
    expect(listener.connections).toEqual([
      {
        hardwareId: 'firmata-ttyHANVISA0',
        model: 'firmata-uno-8k8l',
        keys: 8,
        leds: 8,
        firmware: 'StandardFirmata 2.5',
        reportsLongPress: false,
        colors: false,
      },
    ]);
    expect(KEY_PINS.map((pin) => board.mode(pin))).toEqual(KEY_PINS.map(() => MODE.INPUT));
    expect(levels(KEY_PINS)).toEqual(KEY_PINS.map(() => 1)); // pulled up: idle keys read high

    board.press(4);
    await vi.waitFor(() => expect(listener.keys).toEqual([{ type: 'press', key: 2 }]));
    await vi.advanceTimersByTimeAsync(2000); // held: j5's hold events are not ours to report
    board.release(4);
    await vi.waitFor(() => expect(listener.keys).toHaveLength(2));
    board.press(9);
    await vi.advanceTimersByTimeAsync(50);
    board.release(9);
    await vi.waitFor(() => expect(listener.keys).toHaveLength(4));
    // a blip inside johnny-five's 7 ms debounce is bounce: neither press nor release
    board.press(3);
    board.release(3);
    await vi.advanceTimersByTimeAsync(50);
    expect(listener.keys).toEqual([
      { type: 'press', key: 2 },
      { type: 'release', key: 2 },
      { type: 'press', key: 7 },
      { type: 'release', key: 7 },
    ]);
    expect(listener.faults).toEqual([]);
  });

  it('drives each LED pin high or low as the frame says, PWM pins included', async () => {
    await start();
    panel.show(frameOf('on', 'off', 'on', 'off', 'off', 'on', 'on', 'off'));
    await vi.waitFor(() => expect(levels(LED_PINS)).toEqual([1, 0, 1, 0, 0, 1, 1, 0]));
    expect(board.mode(10)).toBe(MODE.PWM);
    panel.show(frameOf('off', 'on')); // LEDs beyond the frame go off
    await vi.waitFor(() => expect(levels(LED_PINS)).toEqual([0, 1, 0, 0, 0, 0, 0, 0]));
  });

  it('blinks slow at 500/500 ms and fast at 125/125 ms, in one phase', async () => {
    await start();
    panel.show(frameOf('slow', 'fast'));
    await vi.waitFor(() => expect(levels([14, 15])).toEqual([1, 1]));
    const from = board.changes.length;
    await vi.advanceTimersByTimeAsync(2000);
    const times = (pin: number) => board.changes.slice(from).filter((c) => c.pin === pin);
    const gaps = (pin: number) => times(pin).map((c, i, all) => c.at - (all[i - 1]?.at ?? c.at));
    expect(times(14).map((c) => c.level)).toEqual([0, 1, 0, 1]);
    expect(gaps(14).slice(1)).toEqual([500, 500, 500]);
    expect(times(15)).toHaveLength(16);
    expect(gaps(15).slice(1)).toEqual(Array(15).fill(125));
    expect(times(14)[0]?.at).toBe(times(15)[3]?.at); // the slow LED turns off with the fast one's 4th toggle

    // the same frame again changes nothing: the blinking goes on undisturbed
    const count = board.changes.length;
    panel.show(frameOf('slow', 'fast'));
    await vi.advanceTimersByTimeAsync(0);
    expect(board.changes.length).toBe(count);
  });

  it('says so when the board is unplugged, and replays the latest frame once it is back', async () => {
    await start();
    panel.show(frameOf('on', 'on'));
    await vi.waitFor(() => expect(levels([14, 15])).toEqual([1, 1]));
    binding.unplug();
    await vi.waitFor(() => expect(listener.connected).toBe(false));
    expect(listener.faults.map((f) => f.message).join()).toMatch(/disappeared|closed/);
    panel.show(frameOf('off', 'on', 'on'));
    await vi.advanceTimersByTimeAsync(2000); // reopen attempts fail while it is away
    binding.plug();
    await vi.advanceTimersByTimeAsync(5000); // the next reopen, at most retryMaxMs later
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    expect(board.boots).toBe(2);
    await vi.waitFor(() => expect(levels([14, 15, 16])).toEqual([0, 1, 1]));
    expect(listener.connections.map(Boolean)).toEqual([true, false, true]);
    board.press(2);
    await vi.waitFor(() => expect(listener.keys).toEqual([{ type: 'press', key: 0 }]));
  });

  it('counts noise and a malformed reply as faults, never throws, and keeps working', async () => {
    await start();
    panel.show(frameOf('on'));
    await vi.waitFor(() => expect(board.level(14)).toBe(1));
    // noise, then a digital message cut short by a sysex (firmata-io alone would read the sysex's first
    // two bytes as its data: keys D2, D3 pressed), a pin-state reply for pin 127 (an Uno has 20), and
    // a host command coming from the board
    board.send([0x42, 0x13, 0xab, 0x00, 0x90, 0x01]);
    board.send([0xf0, 0x6e, 0x7f, 0x01, 0x01, 0xf7]);
    board.send([0xc5, 0x01]);
    await vi.waitFor(() => expect(panel.rejected.get('malformed')).toBe(1));
    await vi.advanceTimersByTimeAsync(50);
    expect(panel.rejected.get('stray-bytes')).toBeGreaterThanOrEqual(1);
    expect(listener.faults.length).toBe(
      (panel.rejected.get('stray-bytes') ?? 0) + (panel.rejected.get('malformed') ?? 0),
    );
    expect(listener.keys).toEqual([]);
    expect(listener.connected).toBe(true);
    expect(board.level(14)).toBe(1);
    board.press(3);
    await vi.waitFor(() => expect(listener.keys).toEqual([{ type: 'press', key: 1 }]));
  });

  it('asks a board that did not reset on open for its version, after 5 s', async () => {
    board.resetsOnOpen = false;
    panel = new FirmataPanel({ path: EMULATED_PATH, binding });
    await panel.open(listener);
    await vi.advanceTimersByTimeAsync(4900);
    expect(listener.connected).toBe(false);
    await vi.advanceTimersByTimeAsync(200);
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    expect(board.boots).toBe(0);
    expect(listener.faults).toEqual([]);
  });

  it('gives up on a board that never speaks Firmata after 10 s, and tries again until it does', async () => {
    board.runsFirmata = false;
    panel = new FirmataPanel({ path: EMULATED_PATH, binding });
    await panel.open(listener);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(listener.faults.map((f) => f.message)).toEqual([
      `Firmata panel on ${EMULATED_PATH}: no Firmata answer within 10000 ms (is StandardFirmata on it?)`,
    ]);
    await vi.advanceTimersByTimeAsync(250); // the first retry
    expect(binding.opens).toBe(2);
    board.runsFirmata = true; // flashed meanwhile: it answers firmata-io's version query 5 s after the open
    await vi.advanceTimersByTimeAsync(5000);
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    expect(listener.connections.map(Boolean)).toEqual([true]);
  });

  it('refuses a pin profile the board cannot serve, naming the pin', async () => {
    await start({ keys: [2, 40], leds: ['A0'] });
    await vi.waitFor(() =>
      expect(listener.faults.map((f) => f.message)).toContainEqual(
        expect.stringMatching(/keys\.1 \(pin 40\): the board has no such pin/),
      ),
    );
    expect(listener.connections).toEqual([]);
  });

  it('close() turns the LEDs off and leaves no timer running, even with a key held and LEDs blinking', async () => {
    await start();
    panel.show(frameOf('fast', 'slow', 'on'));
    board.press(5);
    await vi.waitFor(() => expect(listener.keys).toHaveLength(1));
    await panel.close();
    expect(levels(LED_PINS)).toEqual(LED_PINS.map(() => 0));
    await vi.advanceTimersByTimeAsync(10); // johnny-five's 7 ms debounce of the key's last edge
    expect(vi.getTimerCount()).toBe(0);
  });
});
