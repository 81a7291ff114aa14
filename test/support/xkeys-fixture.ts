// The recorded XK-16 Stick (hid-fixtures/xkeys-xk16-stick.json) as a device on the fake HID bus: it
// answers the xkeys library's init requests as the panel's firmware does.
import { readFileSync } from 'node:fs';
import { FakeHidDevice, type FakeHidPlug } from './fake-hid.js';

export const xk16 = JSON.parse(
  readFileSync(new URL('./hid-fixtures/xkeys-xk16-stick.json', import.meta.url), 'utf8'),
) as {
  device: { vendorId: number; productId: number; interface: number; product: string };
  init: { versionReport: string; generateDataReport: string };
  events: { hex: string; xkeysIndex: number; down: boolean; description: string }[];
  backlight: { key1On: string; key1Flashing: string; key1Off: string };
};

const GET_VERSION = 214;
const GENERATE_DATA = 177;

export function xk16Plug(path: string): FakeHidPlug {
  return {
    info: { ...xk16.device, path },
    make: () => {
      const device = new FakeHidDevice();
      device.respond = ([, command]) => {
        if (command === GET_VERSION) return [...Buffer.from(xk16.init.versionReport, 'hex')];
        if (command === GENERATE_DATA) return [...Buffer.from(xk16.init.generateDataReport, 'hex')];
        return undefined;
      };
      return device;
    },
  };
}

export function xk16Event(description: string): string {
  const event = xk16.events.find((e) => e.description === description);
  if (!event) throw new Error(`no XK-16 event "${description}"`);
  return event.hex;
}
