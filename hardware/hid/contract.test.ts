// The shared KeyPanel contract (test/support/panel-contract.ts) for the two HID drivers, on the fake HID
// bus with the recorded reports (fixtures/): a boot-protocol keypad's Num/Caps/Scroll Lock LEDs are
// blinked by the driver (sampled), an X-keys panel flashes by itself (read from the backlight commands).
import { readFileSync } from 'node:fs';
import { FakeHidBus, FakeHidDevice } from '../../test/support/fake-hid.js';
import { describePanelContract } from '../../test/support/panel-contract.js';
import { xk16Event, xk16Plug } from '../../test/support/xkeys-fixture.js';
import type { LedPattern } from '../port.js';
import { GenericKeypad } from './generic-keypad.js';
import { findKeypadProfile } from './profiles.js';
import { FAST_FREQUENCY, SLOW_FREQUENCY, XKeysPanel } from './xkeys-panel.js';

const keypad = JSON.parse(
  readFileSync(new URL('../../test/support/hid-fixtures/keypad-boot.json', import.meta.url), 'utf8'),
) as {
  device: { vendorId: number; productId: number; product: string; usagePage: number; usage: number };
};
const profile = findKeypadProfile('keypad-boot');
if (!profile) throw new Error('no keypad-boot profile');

function opened(bus: FakeHidBus): FakeHidDevice {
  const d = bus.last;
  if (!d) throw new Error('nothing opened');
  return d;
}

describePanelContract('HID keypad (boot protocol, fake HID bus)', async () => {
  const bus = new FakeHidBus();
  const path = '/dev/hidraw7';
  const plug = () =>
    bus.plug({ info: { ...keypad.device, path, interface: 0 }, make: () => new FakeHidDevice() });
  plug();
  // Keypad 1 (usage 0x59) is key 1; the LED output report is [report id 0, Num/Caps/Scroll bits]
  return {
    panel: new GenericKeypad({ profile, access: bus, vendorId: keypad.device.vendorId, retryMinMs: 100 }),
    keys: profile.keys,
    leds: 3,
    key: 1,
    press: () => opened(bus).input('0000590000000000'),
    release: () => opened(bus).input('0000000000000000'),
    lit: (led) => {
      const d = opened(bus);
      return !d.closed && Boolean(((d.writes.at(-1) ?? [0, 0])[1] ?? 0) & (1 << led));
    },
    unplug: () => bus.unplug(path),
    replug: plug,
    malformed: () => opened(bus).input('0000'),
    settleMs: 0,
  };
});

describePanelContract('X-keys XK-16 Stick (xkeys library, fake HID bus)', async () => {
  const bus = new FakeHidBus();
  const path = '/dev/hidraw4';
  bus.plug(xk16Plug(path));
  const hex = (bytes: readonly number[]) => Buffer.from(bytes).toString('hex');
  /** the LED numbers the xkeys library writes for keys 1–4 of the stick (read off its output reports) */
  const backlight = (led: number) => [0, 4, 10, 16][led];
  return {
    panel: new XKeysPanel({ access: bus, pollMs: 20, initTimeoutMs: 1000 }),
    keys: 16,
    leds: 16,
    key: 0,
    press: () => opened(bus).input(xk16Event('Button 1 pressed')),
    release: () => opened(bus).input(xk16Event('Button 1 released')),
    // [0, 181 backlight, index, 0 off / 1 on / 2 flashing, bank]; [0, 180 flash rate, frequency]
    pattern: (led): LedPattern => {
      const writes = opened(bus).writes;
      const set = writes.findLast((w) => w[1] === 181 && w[2] === backlight(led) && w[4] === 1);
      if (!set || set[3] === 0) return 'off';
      if (set[3] === 1) return 'on';
      const rate = writes.findLast((w) => w[1] === 180)?.[2];
      if (rate === SLOW_FREQUENCY) return 'slow';
      if (rate === FAST_FREQUENCY) return 'fast';
      throw new Error(`flashing at an unknown rate: ${hex(writes.at(-1) ?? [])}`);
    },
    unplug: () => bus.unplug(path),
    replug: () => bus.plug(xk16Plug(path)),
    malformed: () => opened(bus).input([2]),
    settleMs: 0,
  };
});
