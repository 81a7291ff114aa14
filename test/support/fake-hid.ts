// TEST FAKE at the true hardware edge: HID devices on a USB bus. A FakeHidDevice has node-hid's
// HIDAsync surface (on('data'|'error'), write, close) and emits the input reports a test feeds it
// (recorded ones from hid-fixtures/); unplugging it fails its read the way node-hid reports it. Nothing
// above this edge is faked: the drivers, the xkeys library and the agent run for real.
import { EventEmitter } from 'node:events';
import type { HidAccess, HidDevice, HidDeviceInfo } from '../../hardware/hid/access.js';

export class FakeHidDevice extends EventEmitter implements HidDevice {
  /** every output report written, as node-hid got it */
  readonly writes: number[][] = [];
  closed = false;
  /** the device's answer to an output report (the X-keys firmware answers some) */
  respond: ((data: number[]) => number[] | undefined) | undefined;

  write(data: number[] | Buffer): Promise<number> {
    if (this.closed) return Promise.reject(new Error('Cannot write to hid device'));
    const bytes = [...data];
    this.writes.push(bytes);
    const answer = this.respond?.(bytes);
    if (answer) queueMicrotask(() => this.input(answer));
    return Promise.resolve(bytes.length);
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  /** An input report arriving from the device. */
  input(report: readonly number[] | string): void {
    if (this.closed) return;
    const bytes = typeof report === 'string' ? Buffer.from(report, 'hex') : Buffer.from(report);
    this.emit('data', bytes);
  }

  /** The read failing as the device goes: node-hid's message on Linux. */
  fail(): void {
    if (!this.closed) this.emit('error', new Error('could not read from HID device'));
  }
}

export interface FakeHidPlug {
  info: HidDeviceInfo & { path: string };
  /** a fresh device object per open, as node-hid gives */
  make(): FakeHidDevice;
}

/** The bus: what enumeration lists and what opening a path gives. */
export class FakeHidBus implements HidAccess {
  private readonly plugged = new Map<string, FakeHidPlug>();
  /** every device opened, newest last */
  readonly opened: FakeHidDevice[] = [];

  plug(plug: FakeHidPlug): void {
    this.plugged.set(plug.info.path, plug);
  }

  /** Pulls the device: it leaves the enumeration and any open handle's read fails. */
  unplug(path: string): void {
    this.plugged.delete(path);
    for (const d of this.opened) if (!d.closed && this.pathOf.get(d) === path) d.fail();
  }

  get last(): FakeHidDevice | undefined {
    return this.opened.at(-1);
  }

  async devices(): Promise<HidDeviceInfo[]> {
    return [...this.plugged.values()].map((p) => ({ ...p.info }));
  }

  async open(path: string): Promise<FakeHidDevice> {
    const plug = this.plugged.get(path);
    if (!plug) throw new Error(`cannot open device with path ${path}`);
    const device = plug.make();
    this.pathOf.set(device, path);
    this.opened.push(device);
    return device;
  }

  private readonly pathOf = new WeakMap<FakeHidDevice, string>();
}
