// The plain-keypad driver on a fake HID bus (test/support/fake-hid.ts: the hardware edge), fed the fixture reports.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHidBus, FakeHidDevice } from '../../test/support/fake-hid.js';
import { RecordingListener } from '../../test/support/panel-listener.js';
import type { LedFrame } from '../port.js';
import { GenericKeypad } from './generic-keypad.js';
import { findKeypadProfile, type HidKeypadProfile } from './profiles.js';
import { decodeReport } from './report.js';

const fixture = JSON.parse(
  readFileSync(new URL('../../test/support/hid-fixtures/keypad-boot.json', import.meta.url), 'utf8'),
) as {
  device: { vendorId: number; productId: number; product: string; usagePage: number; usage: number };
  reports: { hex: string; description: string }[];
};
const report = (description: string) => {
  const r = fixture.reports.find((x) => x.description.startsWith(description));
  if (!r) throw new Error(`no fixture report "${description}"`);
  return r.hex;
};
const PATH = '/dev/hidraw7';
function mustProfile(model: string): HidKeypadProfile {
  const found = findKeypadProfile(model);
  if (!found) throw new Error(`no ${model} profile`);
  return found;
}
const profile = mustProfile('keypad-boot');

describe('GenericKeypad', () => {
  let bus: FakeHidBus;
  let listener: RecordingListener;
  let keypad: GenericKeypad;

  function plug() {
    bus.plug({
      info: { ...fixture.device, path: PATH, interface: 0, release: 0x0110 },
      make: () => new FakeHidDevice(),
    });
  }
  function device(): FakeHidDevice {
    const d = bus.last;
    if (!d) throw new Error('nothing opened');
    return d;
  }
  async function start(options: Partial<ConstructorParameters<typeof GenericKeypad>[0]> = {}) {
    keypad = new GenericKeypad({
      profile,
      vendorId: fixture.device.vendorId,
      productId: fixture.device.productId,
      access: bus,
      retryMinMs: 500,
      retryMaxMs: 2000,
      ...options,
    });
    await keypad.open(listener);
  }

  beforeEach(() => {
    vi.useFakeTimers();
    bus = new FakeHidBus();
    listener = new RecordingListener();
  });
  afterEach(async () => {
    await keypad.close();
    vi.useRealTimers();
  });

  it('introduces itself as a keypad without long-press or colour, and maps press, rollover and release', async () => {
    plug();
    await start();
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    expect(listener.connections[0]).toMatchObject({
      hardwareId: 'hid-1234:5678',
      model: 'keypad-boot',
      keys: 18,
      leds: 3,
      firmware: '110',
      reportsLongPress: false,
      colors: false,
    });
    for (const r of ['Keypad 1 down', 'Keypad 1 held', 'Keypad 1 up', 'all keys up'])
      device().input(report(r));
    expect(listener.keys).toEqual([
      { type: 'press', key: 1 },
      { type: 'press', key: 2 },
      { type: 'release', key: 1 },
      { type: 'release', key: 2 },
    ]);
    expect(listener.faults).toEqual([]);
  });

  it('a rollover error report is a fault and changes nothing; the next real report carries on', async () => {
    plug();
    await start();
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    device().input(report('Keypad 1 down'));
    device().input(report('ErrorRollOver'));
    expect(listener.keys).toEqual([{ type: 'press', key: 1 }]);
    expect(listener.faults.map((f) => f.message)).toEqual([expect.stringContaining('(rollover)')]);
    device().input(report('all keys up'));
    expect(listener.keys.at(-1)).toEqual({ type: 'release', key: 1 });
    expect(keypad.rejected.get('rollover')).toBe(1);
  });

  it('an unknown usage is one fault when it goes down; the known key in the same report still counts', async () => {
    plug();
    await start();
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    const withA = report('letter A');
    device().input(withA);
    device().input(withA);
    expect(listener.keys).toEqual([{ type: 'press', key: 5 }]);
    expect(listener.faults).toHaveLength(1);
    expect(listener.faults[0]?.message).toContain('usage/bit 4');
    expect(keypad.rejected.get('unknown-key')).toBe(1);
  });

  it('random reports never throw; a bad one is a counted fault and the held keys follow the good ones', async () => {
    plug();
    await start();
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    const d = device();
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 12 }), { maxLength: 12 }), (reports) => {
        d.input(report('all keys up'));
        listener.keys.length = 0;
        const faultsBefore = listener.faults.length;
        let expected: number[] = [];
        let bad = 0;
        for (const bytes of reports) {
          expect(() => d.input([...bytes])).not.toThrow();
          const decoded = decodeReport(profile.report, bytes);
          if (decoded.ok) expected = decoded.keys;
          else bad++;
        }
        const held = new Set<number>();
        for (const k of listener.keys) {
          if (k.type === 'press') held.add(k.key);
          else held.delete(k.key);
        }
        expect([...held].sort((a, b) => a - b)).toEqual(expected);
        expect(listener.faults.length - faultsBefore).toBeGreaterThanOrEqual(bad);
      }),
    );
  });

  it('unplug → connection(false) → replug → connection(true), with the last LED frame written to the new handle', async () => {
    plug();
    await start();
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    const frame: LedFrame = [{ pattern: 'on' }, { pattern: 'off' }, { pattern: 'on' }];
    keypad.show(frame);
    const first = device();
    expect(first.writes.at(-1)).toEqual([0x00, 0b101]);
    first.input(report('Keypad 1 down'));

    bus.unplug(PATH);
    await vi.waitFor(() => expect(listener.connections.at(-1)).toBe(false));
    expect(first.closed).toBe(true);
    expect(listener.faults.at(-1)?.message).toContain('could not read from HID device');

    // absent: enumeration keeps trying with backoff, one fault for the whole outage
    const faults = listener.faults.length;
    await vi.advanceTimersByTimeAsync(5000);
    expect(listener.connected).toBe(false);
    expect(listener.faults.length).toBe(faults + 1);

    plug();
    await vi.advanceTimersByTimeAsync(2000);
    expect(listener.connected).toBe(true);
    expect(listener.connections.filter(Boolean)).toHaveLength(2);
    const second = device();
    expect(second).not.toBe(first);
    expect(second.writes).toEqual([[0x00, 0b101]]);
    // the key held at the unplug was forgotten, not released
    second.input(report('all keys up'));
    expect(listener.keys).toEqual([{ type: 'press', key: 1 }]);
  });

  it('blinks the keyboard LEDs: fast at 4 Hz, slow at 1 Hz, writing only changes; stops when nothing blinks', async () => {
    plug();
    await start();
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    const d = device();
    keypad.show([{ pattern: 'fast' }, { pattern: 'slow' }, { pattern: 'on' }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(d.writes.map((w) => w[1])).toEqual([
      0b000, // on connect: the empty frame, all off
      0b111, // 0
      0b110, // 125: fast off
      0b111, // 250
      0b110, // 375
      0b101, // 500: slow off, fast on
      0b100, // 625
      0b101, // 750
      0b100, // 875
      0b111, // 1000
    ]);
    const written = d.writes.length;
    keypad.show([{ pattern: 'on' }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(d.writes.length).toBe(written + 1);
    expect(d.writes.at(-1)).toEqual([0x00, 0b001]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('a keypad without LEDs keeps the frame and writes nothing', async () => {
    const macropad = mustProfile('macropad-f13');
    plug();
    await start({ profile: macropad, path: PATH });
    await vi.waitFor(() => expect(listener.connected).toBe(true));
    expect(listener.connections[0]).toMatchObject({ leds: 0, keys: 12 });
    keypad.show([{ pattern: 'fast' }]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(device().writes).toEqual([]);
    device().input('0000680000000000'); // F13
    expect(listener.keys).toEqual([{ type: 'press', key: 0 }]);
  });

  it('absent at start: open resolves, one fault, connection(true) once it is plugged in', async () => {
    await start();
    expect(listener.connections).toEqual([]);
    expect(listener.faults.map((f) => f.message)).toEqual(['no HID device matches 1234:5678']);
    // another device on the bus is not ours
    bus.plug({
      info: { ...fixture.device, productId: 1, path: '/dev/hidraw1', interface: 0 },
      make: () => new FakeHidDevice(),
    });
    await vi.advanceTimersByTimeAsync(3000);
    expect(listener.connected).toBe(false);
    plug();
    await vi.advanceTimersByTimeAsync(4000);
    expect(listener.connected).toBe(true);
    expect(listener.faults).toHaveLength(1);
  });
});
