// The X-keys driver with the real xkeys library on a fake HID bus (test/support/fake-hid.ts: the hardware edge),
// playing an XK-16 Stick's recorded reports and checking the output reports the library writes.
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeHidBus, type FakeHidDevice } from '../../test/support/fake-hid.js';
import { RecordingListener } from '../../test/support/panel-listener.js';
import { xk16, xk16Event, xk16Plug } from '../../test/support/xkeys-fixture.js';
import type { LedFrame } from '../port.js';
import { FAST_FREQUENCY, SLOW_FREQUENCY, XKeysPanel } from './xkeys-panel.js';

const PATH = '/dev/hidraw4';
const hex = (bytes: number[]) => Buffer.from(bytes).toString('hex');
const pad = (bytes: number[]) => hex([...bytes, ...Array(36 - bytes.length).fill(0)]);

describe('XKeysPanel', () => {
  let bus: FakeHidBus;
  let listener: RecordingListener;
  let panel: XKeysPanel;

  function device(): FakeHidDevice {
    const d = bus.last;
    if (!d) throw new Error('nothing opened');
    return d;
  }
  async function connected(count = 1) {
    await vi.waitFor(() => expect(listener.connections.filter(Boolean)).toHaveLength(count));
  }
  /** output reports written since `from`, as hex; the library writes through a queue, so wait for it */
  async function written(d: FakeHidDevice, from: number, count: number): Promise<string[]> {
    await vi.waitFor(() => expect(d.writes.length - from).toBeGreaterThanOrEqual(count));
    return d.writes.slice(from).map(hex);
  }

  beforeEach(async () => {
    bus = new FakeHidBus();
    bus.plug(xk16Plug(PATH));
    listener = new RecordingListener();
    panel = new XKeysPanel({ access: bus, pollMs: 20, initTimeoutMs: 1000 });
    await panel.open(listener);
  });
  afterEach(async () => {
    await panel.close();
  });

  it('describes the panel from the library init and maps recorded key reports; the program switch is no key', async () => {
    await connected();
    expect(listener.connections[0]).toEqual({
      hardwareId: 'xkeys-1049-2',
      model: 'xkeys XK-16 Stick',
      keys: 16,
      leds: 16,
      firmware: '14',
      reportsLongPress: false,
      colors: true,
    });
    for (const e of [
      'Button 1 pressed',
      'Button 1 released',
      'Button 2 pressed',
      'Program switch pressed (not a desk key)',
      'Program switch released',
      'Button 2 released',
    ])
      device().input(xk16Event(e));
    expect(listener.keys).toEqual([
      { type: 'press', key: 0 },
      { type: 'release', key: 0 },
      { type: 'press', key: 1 },
      { type: 'release', key: 1 },
    ]);
  });

  it('writes the recorded backlight reports for on, slow, fast and off, and the flash rate once per change', async () => {
    await connected();
    const d = device();
    // on connect: every backlight set (all off for the empty frame)
    const initial = await written(d, 0, 2 + 16);
    expect(initial.slice(2)).toContain(xk16.backlight.key1Off);

    let from = d.writes.length;
    panel.show([{ pattern: 'on' }]);
    expect(await written(d, from, 1)).toEqual([xk16.backlight.key1On]);

    from = d.writes.length;
    panel.show([{ pattern: 'slow' }]);
    expect(await written(d, from, 2)).toEqual([pad([0, 180, SLOW_FREQUENCY]), xk16.backlight.key1Flashing]);

    from = d.writes.length;
    panel.show([{ pattern: 'fast', color: 'red' }, { pattern: 'slow' }]);
    // a stick's backlight is one colour: red shows as lit; slow and fast share the fast rate
    // (the stick's LED for key 2 is number 4: the library maps it)
    expect(await written(d, from, 3)).toEqual([
      pad([0, 180, FAST_FREQUENCY]),
      xk16.backlight.key1Flashing,
      pad([0, 181, 4, 2, 1]),
    ]);

    from = d.writes.length;
    panel.show([{ pattern: 'off' }]);
    expect(await written(d, from, 2)).toEqual([xk16.backlight.key1Off, pad([0, 181, 4, 0, 1])]);
    // an unchanged LED writes nothing: of these two frames only key 2's change reaches the panel
    from = d.writes.length;
    panel.show([{ pattern: 'off' }]);
    panel.show([{ pattern: 'off' }, { pattern: 'on' }]);
    expect(await written(d, from, 1)).toEqual([pad([0, 181, 4, 1, 1])]);
  });

  it('unplug → connection(false) → replug → connection(true), and the last frame is replayed to the new handle', async () => {
    await connected();
    const frame: LedFrame = [{ pattern: 'on' }];
    panel.show(frame);
    const first = device();
    await written(first, 0, 19);

    bus.unplug(PATH);
    await vi.waitFor(() => expect(listener.connections.at(-1)).toBe(false));
    expect(first.closed).toBe(true);
    expect(listener.faults.map((f) => f.message)).toContain('X-keys XK-16 Stick disconnected');

    bus.plug(xk16Plug(PATH));
    await connected(2);
    const second = device();
    expect(second).not.toBe(first);
    expect(await written(second, 0, 18)).toContain(xk16.backlight.key1On);
    second.input(xk16Event('Button 1 pressed'));
    expect(listener.keys.at(-1)).toEqual({ type: 'press', key: 0 });
  });

  it('random and short reports never throw out of the driver; bad ones are faults and keys stay in range', async () => {
    await connected();
    const d = device();
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
        expect(() => d.input([...bytes])).not.toThrow();
      }),
    );
    expect(listener.keys.every((k) => k.key >= 0 && k.key < 16)).toBe(true);
    const faults = listener.faults.length;
    d.input([2]);
    expect(listener.faults.length).toBe(faults + 1);
    expect(listener.faults.at(-1)?.message).toContain('bad report');
  });

  it('a panel that does not answer the init is a fault and is tried again', async () => {
    await panel.close();
    bus = new FakeHidBus();
    const plug = xk16Plug(PATH);
    let answers = false;
    bus.plug({
      info: plug.info,
      make: () => {
        const d = plug.make();
        const respond = d.respond;
        d.respond = (data) => (answers ? respond?.(data) : undefined);
        return d;
      },
    });
    listener = new RecordingListener();
    panel = new XKeysPanel({ access: bus, pollMs: 20, initTimeoutMs: 50 });
    await panel.open(listener);
    await vi.waitFor(() =>
      expect(listener.faults.map((f) => f.message)).toContain(`X-keys ${PATH} did not answer`),
    );
    expect(bus.opened[0]?.closed).toBe(true);
    answers = true;
    await connected();
    expect(bus.opened.length).toBeGreaterThanOrEqual(2);
  });

  it('a second X-keys panel is reported and ignored', async () => {
    await connected();
    bus.plug(xk16Plug('/dev/hidraw9'));
    await vi.waitFor(() =>
      expect(listener.faults.map((f) => f.message)).toContain(
        'a second X-keys panel (/dev/hidraw9) is ignored; set driver.path to choose one',
      ),
    );
    expect(listener.connections).toHaveLength(1);
  });
});
