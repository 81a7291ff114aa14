// X-keys panels and USB keypads over HID (docs/hid-panels.md).
import { z } from 'zod';
import { driver } from './driver.js';

export const hidDriver = driver({
  type: 'hid',
  about: 'an X-keys panel or a USB keypad; path, vendorId, productId, model from the config',
  doc: 'docs/hid-panels.md',
  serialPort: false,
  layout: 'default',
  schema: z.strictObject({
    path: z.string().min(1).optional(),
    vendorId: z.number().int().min(0).max(0xffff).optional(),
    productId: z.number().int().min(0).max(0xffff).optional(),
    model: z.string().min(1).optional(),
  }),
  async create(hid, { log }) {
    if (!hid) throw new Error('--driver hid needs a driver of type hid in the config');
    const { openHidPanel } = await import('../../hardware/hid/open.js');
    return { panel: await openHidPanel(hid, { log }) };
  },
});
