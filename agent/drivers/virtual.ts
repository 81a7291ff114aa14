// The virtual panel: keys and LEDs in the terminal (docs/virtual-panel.md).
import { z } from 'zod';
import { driver } from './driver.js';

export const virtualDriver = driver({
  type: 'virtual',
  about: 'keys and LEDs in this terminal',
  doc: 'docs/virtual-panel.md',
  serialPort: false,
  layout: 'default',
  schema: z.strictObject({}),
  async create(_, { config }) {
    const [{ VirtualPanel }, { keyLabels, ledLabels }, { startTerminal }] = await Promise.all([
      import('../../hardware/virtual/panel.js'),
      import('../desk/labels.js'),
      import('../../hardware/virtual/terminal.js'),
    ]);
    const leds = Math.max(12, ...config.layout.leds.map((l) => l.led + 1));
    const keys = Math.max(12, ...config.layout.keys.map((k) => k.key + 1));
    const panel = new VirtualPanel({ keys, leds, hardwareId: `virtual-${config.deviceId}` });
    const ui = (onQuit: () => void) =>
      startTerminal({
        panel,
        label: `hanvisa agent ${config.deviceId}: ${config.org} ext ${config.ext} → ${config.broker.url}`,
        keyLabels: keyLabels(config.layout),
        ledLabels: ledLabels(config.layout),
        onQuit,
      });
    return { panel, ui };
  },
});
