// An Arduino running StandardFirmata, through johnny-five (docs/firmata-panels.md).
import { z } from 'zod';
import { driver, serialPath } from './driver.js';

const FIRMATA_PIN = 'a pin number from 2 (0 and 1 are the serial link) or an analog pin name such as "A0"';
/** A Firmata pin: its number (A0 is 14 on an Uno), or an analog header name such as "A0" */
const FirmataPin = z.union(
  [
    z.number().int(FIRMATA_PIN).min(2, FIRMATA_PIN).max(127, FIRMATA_PIN),
    z.string().regex(/^A\d{1,2}$/, FIRMATA_PIN),
  ],
  FIRMATA_PIN,
);

const FirmataPins = z
  .strictObject({
    keys: z.array(FirmataPin).min(1).max(32),
    leds: z.array(FirmataPin).max(32),
  })
  .superRefine((pins, ctx) => {
    const taken = new Map<string, string>();
    for (const role of ['keys', 'leds'] as const) {
      pins[role].forEach((pin, i) => {
        const other = taken.get(String(pin));
        if (other)
          ctx.addIssue({ code: 'custom', path: [role, i], message: `pin ${pin} is already ${other}` });
        taken.set(String(pin), `${role}.${i}`);
      });
    }
  });

export const firmataDriver = driver({
  type: 'firmata',
  about: 'an Arduino running StandardFirmata; path and pins from the config',
  doc: 'docs/firmata-panels.md',
  serialPort: true,
  layout: '8-key',
  schema: z.strictObject({
    path: z.string().min(1),
    /** which pins are keys and LEDs; default the Uno profile's (hardware/profiles/firmata-uno.ts) */
    pins: FirmataPins.optional(),
  }),
  async create(firmata, request) {
    const path = serialPath('firmata', request, firmata?.path);
    const { FirmataPanel } = await import('../../hardware/firmata/firmata-panel.js');
    const pins = firmata?.pins;
    return { panel: new FirmataPanel({ path, ...(pins ? { pins } : {}), log: request.log }) };
  },
});
