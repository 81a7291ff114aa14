// node-libgpiod itself, on this machine's real GPIO character devices (there are none here): it loads
// lazily, lists the chips the kernel has, and the driver turns "no such chip" into a fault. It is an
// optional dependency built against libgpiod-dev; where it did not build, this says so and skips.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { RecordingListener } from '../../test/support/panel-listener.js';
import { raspberryPi4 } from '../profiles/raspberry-pi.js';
import { GpioPanel } from './gpio-panel.js';
import { loadLibgpiod } from './library.js';

const built = (() => {
  try {
    createRequire(import.meta.url)('node-libgpiod');
    return true;
  } catch {
    return false;
  }
})();

describe('node-libgpiod on this machine', () => {
  it.skipIf(!built)('loads on demand and the driver reports the missing header chip as a fault', async () => {
    const library = await loadLibgpiod();
    const chips = library.getChipNames();
    expect(Array.isArray(chips)).toBe(true);
    const listener = new RecordingListener();
    const panel = new GpioPanel({ profile: raspberryPi4, retryMinMs: 60_000 });
    await panel.open(listener);
    await panel.close();
    if (chips.length === 0) {
      expect(listener.faults[0]?.message).toBe(
        'GPIO gpiochip0: no GPIO chip labelled pinctrl-bcm2711 (found: none)',
      );
    }
    expect(listener.connections).toEqual([]);
  });
});
