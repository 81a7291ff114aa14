// The hanvisa key panel with our firmware, over USB serial (docs/panel-wiring.md).
import { z } from 'zod';
import { driver, serialPath } from './driver.js';

export const serialDriver = driver({
  type: 'serial',
  about: 'the hanvisa key panel; path and baudRate from the config',
  doc: 'docs/panel-wiring.md',
  serialPort: true,
  layout: '8-key',
  schema: z.strictObject({
    path: z.string().min(1),
    /** the firmware's rate; default the panel profile's (250000, hardware/profiles) */
    baudRate: z.number().int().positive().optional(),
  }),
  async create(serial, request) {
    const path = serialPath('serial', request, serial?.path);
    const { SerialPanel } = await import('../../hardware/serial/serial-panel.js');
    const baudRate = serial?.baudRate;
    return { panel: new SerialPanel({ path, ...(baudRate ? { baudRate } : {}), log: request.log }) };
  },
});
