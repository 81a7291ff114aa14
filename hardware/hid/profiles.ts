// How the input reports of plain USB HID keypads map to key numbers. A profile is picked by name
// (`driver.model` in the agent config); driver.vendorId/productId/path in the config say which device.
// To support another keypad, add a profile here and a recorded report to test/support/hid-fixtures/ (docs/hid-panels.md).

/** A keyboard-style report: `slots` bytes from `firstByte`, each a HID usage code (page 0x07) of a held key. */
export interface UsageArrayLayout {
  kind: 'usage-array';
  /** bytes a report has at least (a boot keyboard's is 8: modifiers, reserved, six usage slots) */
  length: number;
  /** when the device numbers its reports, the first byte must be this */
  reportId?: number;
  firstByte: number;
  slots: number;
  /** usage code → key number */
  usages: ReadonlyMap<number, number>;
}

/** One bit per key, key 0 = bit 0 of `firstByte`. */
export interface BitmapLayout {
  kind: 'bitmap';
  length: number;
  reportId?: number;
  firstByte: number;
  keys: number;
}

export type ReportLayout = UsageArrayLayout | BitmapLayout;

export interface HidKeypadProfile {
  model: string;
  description: string;
  /** which device to open when the config names none */
  vendorId?: number;
  productId?: number;
  /** the HID usage page/usage of the interface to open, where a device has several */
  usagePage?: number;
  usage?: number;
  keys: number;
  report: ReportLayout;
  /** the keyboard LEDs (boot output report bit 0 Num Lock, 1 Caps Lock, 2 Scroll Lock) as LEDs 0..2 */
  keyboardLeds: boolean;
}

/** HID usage tables, keyboard page: ErrorRollOver, POSTFail and ErrorUndefined fill every slot instead of keys. */
export const USAGE_ERROR_MAX = 0x03;

// Keypad 0 is key 0 and keypad 1..9 are keys 1..9, so the digits on the caps are the key numbers
// of the config's layout; the other keypad keys follow.
const KEYPAD_USAGES = new Map<number, number>([
  [0x62, 0], // Keypad 0
  ...Array.from({ length: 9 }, (_, i) => [0x59 + i, i + 1] as [number, number]), // Keypad 1..9
  [0x63, 10], // Keypad .
  [0x58, 11], // Keypad Enter
  [0x54, 12], // Keypad /
  [0x55, 13], // Keypad *
  [0x56, 14], // Keypad -
  [0x57, 15], // Keypad +
  [0x53, 16], // Num Lock
  [0x2a, 17], // Backspace (on most numeric keypads)
]);

// F13..F24: what programmable macro pads are best set to send, as no desktop binds them.
const F13_F24_USAGES = new Map<number, number>(
  Array.from({ length: 12 }, (_, i) => [0x68 + i, i] as [number, number]),
);

const BOOT_KEYBOARD = { kind: 'usage-array', length: 8, firstByte: 2, slots: 6 } as const;

export const HID_KEYPAD_PROFILES: readonly HidKeypadProfile[] = [
  {
    model: 'keypad-boot',
    description: 'USB numeric keypad (boot-protocol keyboard report)',
    usagePage: 0x01,
    usage: 0x06,
    keys: 18,
    report: { ...BOOT_KEYBOARD, usages: KEYPAD_USAGES },
    keyboardLeds: true,
  },
  {
    model: 'macropad-f13',
    description: 'programmable macro pad whose keys are set to send F13..F24',
    usagePage: 0x01,
    usage: 0x06,
    keys: 12,
    report: { ...BOOT_KEYBOARD, usages: F13_F24_USAGES },
    keyboardLeds: false,
  },
  {
    model: 'buttonbox-16',
    description: 'button box / gamepad with 16 buttons as a bitmap in report bytes 0..1 (no report id)',
    usagePage: 0x01,
    usage: 0x05,
    keys: 16,
    report: { kind: 'bitmap', length: 2, firstByte: 0, keys: 16 },
    keyboardLeds: false,
  },
];

export const DEFAULT_HID_KEYPAD = 'keypad-boot';

export function findKeypadProfile(model: string): HidKeypadProfile | undefined {
  return HID_KEYPAD_PROFILES.find((p) => p.model === model);
}
