// The HID edge: listing and opening devices. node-hid in production (loaded on first use, so an agent
// without HID never loads the native module); tests inject a fake at exactly this surface.

/** A device as HID enumeration lists it (node-hid's Device). */
export interface HidDeviceInfo {
  vendorId: number;
  productId: number;
  path?: string | undefined;
  serialNumber?: string | undefined;
  manufacturer?: string | undefined;
  product?: string | undefined;
  interface: number;
  /** bcdDevice: the device's release number, the nearest a plain keypad has to a firmware version */
  release?: number | undefined;
  usagePage?: number | undefined;
  usage?: number | undefined;
}

/** An open device: node-hid's HIDAsync surface, the part the drivers use. */
export interface HidDevice {
  on(event: 'data', listener: (data: Buffer) => void): unknown;
  on(event: 'error', listener: (error: Error) => void): unknown;
  removeAllListeners(): unknown;
  write(data: number[] | Buffer): Promise<number>;
  close(): Promise<void>;
}

export interface HidAccess {
  devices(): Promise<HidDeviceInfo[]>;
  open(path: string): Promise<HidDevice>;
}

export async function nodeHidAccess(): Promise<HidAccess> {
  const HID = await import('node-hid');
  return {
    devices: () => HID.devicesAsync(),
    open: (path) => HID.HIDAsync.open(path),
  };
}

/** 05f3:0419 style, for logs and hardware ids */
export function usbId(vendorId: number, productId: number): string {
  const hex = (n: number) => n.toString(16).padStart(4, '0');
  return `${hex(vendorId)}:${hex(productId)}`;
}
