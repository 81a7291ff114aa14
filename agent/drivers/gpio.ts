// Keys and LEDs on a Raspberry Pi's own header, through libgpiod (docs/gpio-panels.md).
import { z } from 'zod';
import { driver } from './driver.js';

export const gpioDriver = driver({
  type: 'gpio',
  about: "keys and LEDs on a Raspberry Pi's header; board (pi4, pi5) and chip from the config",
  doc: 'docs/gpio-panels.md',
  serialPort: false,
  layout: '8-key',
  schema: z.strictObject({
    /** which Pi's header: pins and chip from hardware/profiles/raspberry-pi.ts */
    board: z.enum(['pi4', 'pi5']).default('pi4'),
    /** a chip name instead of finding the header's chip by its label */
    chip: z
      .string()
      .regex(/^gpiochip\d{1,3}$/, 'a chip name such as gpiochip0')
      .optional(),
  }),
  async create(gpio, { log }) {
    const [{ GpioPanel }, { findGpioProfile }] = await Promise.all([
      import('../../hardware/gpio/gpio-panel.js'),
      import('../../hardware/profiles/raspberry-pi.js'),
    ]);
    const board = gpio?.board ?? 'pi4';
    const profile = findGpioProfile(board);
    if (!profile) throw new Error(`no GPIO profile for board ${board}`);
    return { panel: new GpioPanel({ profile, ...(gpio?.chip ? { chip: gpio.chip } : {}), log }) };
  },
});
