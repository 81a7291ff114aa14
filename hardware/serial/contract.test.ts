// The shared KeyPanel contract (test/support/panel-contract.ts) for our own serial panel: the real
// firmware image on the avr8js emulator behind an emulated serial port; serialport and the SerialPanel
// driver run for real. The CPU runs 1 ms per 1 ms of the contract's fake clock (a fake interval).
import { beforeAll } from 'vitest';
import { EMULATED_PATH, EmulatedSerialBinding } from '../../test/firmware/emulated-port.js';
import { buildFirmware, PanelEmulator } from '../../test/firmware/emulator.js';
import { HARDWARE_ID } from '../../test/firmware/rig.js';
import { describePanelContract } from '../../test/support/panel-contract.js';
import { SerialPanel } from './serial-panel.js';

beforeAll(() => {
  buildFirmware();
});

describePanelContract('serial (hanvisa firmware on avr8js, emulated serial port)', async () => {
  const emulator = new PanelEmulator({ hardwareId: HARDWARE_ID });
  const binding = new EmulatedSerialBinding(emulator);
  const cpu = setInterval(() => emulator.run(1), 1);
  return {
    panel: new SerialPanel({ path: EMULATED_PATH, binding, retryMinMs: 100, retryMaxMs: 400 }),
    keys: 8,
    leds: 8,
    key: 2,
    press: (key) => emulator.setKey(key, true),
    release: (key) => emulator.setKey(key, false),
    lit: (led) => binding.plugged && emulator.led(led),
    unplug: () => binding.unplug(),
    replug: () => binding.plug(),
    // a frame with a bad checksum on the wire from the panel
    malformed: () => {
      for (const byte of [0x42, 0x17, 0x00]) emulator.onTransmit?.(byte);
    },
    settleMs: 60,
    dispose: () => clearInterval(cpu),
  };
});
