// TEST FAKE at the true hardware edge: a Stream Deck MK.2 on the fake HID bus (fake-hid.ts). It answers
// the feature reports the @elgato-stream-deck library asks for with the bytes from the library's own
// tests (Julusian/node-elgato-stream-deck, packages/core/src/__tests__/test.spec.ts, MIT: the gen-2
// firmware report → '1.00.004', serial report → 'CL18I1A00913'), sends key reports in the gen-2 layout
// those tests use (report id 1, input type 0, 2 bytes, then one byte per key), and keeps every image
// packet the library writes (gen-2 header: 0x02 0x07 key last len16 page16) so a test can decode what a
// key shows. Everything above it (the library, its JPEG encoder, our driver) runs for real.
import { createCanvas, Image } from '@napi-rs/canvas';
import type { StreamDeckHid } from '../../hardware/streamdeck/streamdeck-panel.js';
import { FakeHidBus, FakeHidDevice, type FakeHidPlug } from './fake-hid.js';

export const MK2 = { vendorId: 0x0fd9, productId: 0x0080, keys: 15, product: 'Stream Deck MK.2' };

// prettier-ignore
const FIRMWARE_REPORT = [5, 12, 254, 90, 239, 250, 49, 46, 48, 48, 46, 48, 48, 52, ...Array(18).fill(0)];
// prettier-ignore
const SERIAL_REPORT = [6, 12, 67, 76, 49, 56, 73, 49, 65, 48, 48, 57, 49, 51, ...Array(18).fill(0)];

export class FakeStreamDeck extends FakeHidDevice implements StreamDeckHid {
  readonly features: number[][] = [];

  async sendFeatureReport(data: number[] | Buffer): Promise<number> {
    if (this.closed) throw new Error('Cannot write to hid device');
    this.features.push([...data]);
    return data.length;
  }

  async getFeatureReport(reportId: number, length: number): Promise<Buffer> {
    const report = reportId === 5 ? FIRMWARE_REPORT : reportId === 6 ? SERIAL_REPORT : [reportId];
    return Buffer.from([...report, ...Array(length).fill(0)].slice(0, length));
  }

  async getDeviceInfo() {
    return { vendorId: MK2.vendorId, productId: MK2.productId, path: undefined };
  }

  /** A key report with these keys held. */
  keys(held: readonly number[]): void {
    const report = Array(4 + MK2.keys).fill(0);
    report[0] = 0x01;
    for (const k of held) report[4 + k] = 1;
    this.input(report);
  }

  /** The last complete image the library sent for a key, as JPEG bytes. */
  image(key: number): Buffer | undefined {
    let parts: Buffer[] = [];
    let complete: Buffer | undefined;
    for (const w of this.writes) {
      if (w[0] !== 0x02 || w[1] !== 0x07 || w[2] !== key) continue;
      const length = (w[4] ?? 0) | ((w[5] ?? 0) << 8);
      if (((w[6] ?? 0) | ((w[7] ?? 0) << 8)) === 0) parts = [];
      parts.push(Buffer.from(w.slice(8, 8 + length)));
      if (w[3] === 1) complete = Buffer.concat(parts);
    }
    return complete;
  }

  /** The colour of a key's top-left corner (its background) as the device would show it. */
  corner(key: number): [number, number, number] | undefined {
    const jpeg = this.image(key);
    if (!jpeg) return undefined;
    const img = new Image();
    img.src = jpeg;
    const c = createCanvas(img.width, img.height);
    const ctx = c.getContext('2d');
    ctx.drawImage(img, 0, 0);
    const [r = 0, g = 0, b = 0] = ctx.getImageData(2, 2, 1, 1).data;
    return [r, g, b];
  }
}

export function streamDeckPlug(
  path: string,
  serialNumber = 'CL18I1A00913',
): FakeHidPlug & {
  make(): FakeStreamDeck;
} {
  return {
    info: {
      vendorId: MK2.vendorId,
      productId: MK2.productId,
      interface: 0,
      path,
      product: MK2.product,
      serialNumber,
    },
    make: () => new FakeStreamDeck(),
  };
}

/** The bus with the deck type the driver's access wants. */
export class FakeStreamDeckBus extends FakeHidBus {
  override async open(path: string): Promise<FakeStreamDeck> {
    return (await super.open(path)) as FakeStreamDeck;
  }
}
