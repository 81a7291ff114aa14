// The shared KeyPanel contract (test/support/panel-contract.ts) for the Firmata driver: a fake
// StandardFirmata Uno at the byte level behind an emulated serial port; serialport, firmata-io and
// johnny-five run for real (johnny-five blinks the LEDs, sampled at the board's pins).
import { EMULATED_PATH, EmulatedSerialBinding } from '../../test/firmware/emulated-port.js';
import { FakeFirmataBoard } from '../../test/support/fake-firmata.js';
import { describePanelContract } from '../../test/support/panel-contract.js';
import { FirmataPanel } from './firmata-panel.js';

/** the Uno profile's pins: keys D2–D9, LEDs A0–A5 (14–19), D10, D11 */
const KEY_PINS = [2, 3, 4, 5, 6, 7, 8, 9];
const LED_PINS = [14, 15, 16, 17, 18, 19, 10, 11];

describePanelContract('Firmata (StandardFirmata Uno, emulated serial port)', async () => {
  const board = new FakeFirmataBoard();
  const binding = new EmulatedSerialBinding(board);
  return {
    panel: new FirmataPanel({ path: EMULATED_PATH, binding, retryMinMs: 100, retryMaxMs: 400 }),
    keys: 8,
    leds: 8,
    key: 2,
    press: (key) => board.press(KEY_PINS[key] ?? -1),
    release: (key) => board.release(KEY_PINS[key] ?? -1),
    lit: (led) => binding.plugged && board.level(LED_PINS[led] ?? -1) === 1,
    unplug: () => binding.unplug(),
    replug: () => binding.plug(),
    malformed: () => board.send([0x42]),
    settleMs: 20,
  };
});
