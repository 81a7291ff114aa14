// Chooses the HID driver from the agent config's `driver` block. The drivers (and node-hid, a native
// module) are imported only here, on demand, so an agent on another driver never loads them.
import type { Logger } from '../../log/logger.js';
import type { KeyPanel } from '../port.js';
import type { HidAccess } from './access.js';
import { DEFAULT_HID_KEYPAD, findKeypadProfile, HID_KEYPAD_PROFILES } from './profiles.js';

export interface HidDriverConfig {
  path?: string | undefined;
  vendorId?: number | undefined;
  productId?: number | undefined;
  /** 'xkeys' / 'xkeys-*' for X-keys, else a keypad profile (profiles.ts); keypad-boot by default */
  model?: string | undefined;
}

export interface HidPanelOptions {
  /** node-hid by default; tests pass a fake */
  access?: HidAccess;
  log?: Logger;
}

/** P.I. Engineering, the maker of X-keys (the xkeys library has it too, but loading it loads node-hid) */
export const XKEYS_VENDOR_ID = 0x05f3;

export function isXKeys(config: HidDriverConfig): boolean {
  return config.model?.startsWith('xkeys') === true || config.vendorId === XKEYS_VENDOR_ID;
}

/** Throws (at start-up, never later) when the config names a keypad profile that does not exist. */
export async function openHidPanel(
  config: HidDriverConfig,
  options: HidPanelOptions = {},
): Promise<KeyPanel> {
  const common = {
    ...(config.path ? { path: config.path } : {}),
    ...(config.productId !== undefined ? { productId: config.productId } : {}),
    ...(options.access ? { access: options.access } : {}),
    ...(options.log ? { log: options.log } : {}),
  };
  if (isXKeys(config)) {
    const { XKeysPanel } = await import('./xkeys-panel.js');
    return new XKeysPanel(common);
  }
  const model = config.model ?? DEFAULT_HID_KEYPAD;
  const profile = findKeypadProfile(model);
  if (!profile) {
    const known = ['xkeys', ...HID_KEYPAD_PROFILES.map((p) => p.model)].join(', ');
    throw new Error(`driver.model "${model}" is no HID panel this build knows (${known})`);
  }
  if (!config.path && config.vendorId === undefined && profile.vendorId === undefined) {
    throw new Error(`driver.model ${model} needs driver.vendorId (and productId) or driver.path`);
  }
  const { GenericKeypad } = await import('./generic-keypad.js');
  return new GenericKeypad({
    profile,
    ...common,
    ...(config.vendorId !== undefined ? { vendorId: config.vendorId } : {}),
  });
}
