// An Elgato Stream Deck, its keys drawn (docs/streamdeck.md).
import { z } from 'zod';
import { driver } from './driver.js';

export const streamDeckDriver = driver({
  type: 'streamdeck',
  about: 'an Elgato Stream Deck; path, serialNumber, brightness from the config',
  doc: 'docs/streamdeck.md',
  serialPort: false,
  layout: 'default',
  schema: z.strictObject({
    /** the hidraw path of one deck; otherwise the first (of serialNumber, if given) */
    path: z.string().min(1).optional(),
    serialNumber: z.string().min(1).optional(),
    brightness: z.number().int().min(0).max(100).default(70),
  }),
  async create(deck, { log }) {
    const { StreamDeckPanel } = await import('../../hardware/streamdeck/streamdeck-panel.js');
    return {
      panel: new StreamDeckPanel({
        ...(deck?.path ? { path: deck.path } : {}),
        ...(deck?.serialNumber ? { serialNumber: deck.serialNumber } : {}),
        ...(deck ? { brightness: deck.brightness } : {}),
        log,
      }),
    };
  },
});
