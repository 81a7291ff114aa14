// The udev rules a desk needs so the agent's service user (not root) can open its panel: hidraw for
// X-keys and Stream Deck (group plugdev), the USB serial boards of the hanvisa panel and Firmata
// (group dialout), and the Pi's GPIO character devices (group gpio). deploy/pi/60-hanvisa.rules is this
// text (a test keeps them equal); deploy/pi/install.sh installs it.
import { XKEYS_VENDOR_ID } from './hid/open.js';

/** Elgato; the Stream Deck library's VENDOR_ID (a test checks they agree) */
export const STREAM_DECK_VENDOR_ID = 0x0fd9;

/** Arduino (Uno/Nano R3 with 16U2), and WCH's CH340 on clone Nanos */
const SERIAL_VENDOR_IDS = [0x2341, 0x1a86];

const hex = (id: number) => id.toString(16).padStart(4, '0');

export function udevRules(): string {
  const hidraw = (vendor: number, what: string) => [
    `# ${what}`,
    `KERNEL=="hidraw*", ATTRS{idVendor}=="${hex(vendor)}", GROUP="plugdev", MODE="0660"`,
  ];
  return [
    "# The desk agent's panels, for its service user (groups plugdev, dialout, gpio).",
    '# Generated from hardware/udev.ts; reload with: udevadm control --reload-rules && udevadm trigger',
    ...hidraw(XKEYS_VENDOR_ID, 'P.I. Engineering X-keys (docs/hid-panels.md)'),
    ...hidraw(STREAM_DECK_VENDOR_ID, 'Elgato Stream Deck (docs/streamdeck.md)'),
    '# a plain USB keypad: copy the line above with its vendor id (lsusb), docs/hid-panels.md',
    '# our serial key panel and StandardFirmata boards (docs/panel-wiring.md, docs/firmata-panels.md)',
    ...SERIAL_VENDOR_IDS.map(
      (v) => `SUBSYSTEM=="tty", ATTRS{idVendor}=="${hex(v)}", GROUP="dialout", MODE="0660"`,
    ),
    "# the Raspberry Pi's header (docs/gpio-panels.md)",
    'SUBSYSTEM=="gpio", KERNEL=="gpiochip*", GROUP="gpio", MODE="0660"',
    '',
  ].join('\n');
}
