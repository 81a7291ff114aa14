// A serialport binding whose one port is wired to a device at the far end of the cable (the emulated
// panel's USART, or test/support/fake-firmata.ts): the fake sits exactly where the USB cable would be, so
// the driver, serialport's stream and parser all run for real. unplug()/plug() make the port disappear
// and come back like a USB device.
import type {
  SerialBinding,
  SerialBindingPort,
  SerialOpenOptions,
  SerialPortInfo,
  SerialPortStatus,
} from '../../hardware/serial/binding.js';

/** What answers at the far end of the cable. */
export interface SerialDevice {
  /** set by the binding: the device calls it for every byte it sends */
  onTransmit: ((byte: number) => void) | undefined;
  /** bytes the host wrote */
  receive(bytes: Iterable<number>): void;
  /** the host opened the port (an Arduino resets on DTR and starts its sketch) */
  opened?(): void;
}

export const EMULATED_PATH = '/dev/ttyHANVISA0';

class EmulatedPort implements SerialBindingPort {
  isOpen = true;
  readonly openOptions: Required<SerialOpenOptions>;
  private pending: number[] = [];
  private gone = false;
  private waiting: { resolve: () => void; reject: (error: Error) => void } | undefined;

  constructor(
    options: SerialOpenOptions,
    private readonly device: SerialDevice,
  ) {
    this.openOptions = {
      dataBits: 8,
      lock: true,
      stopBits: 1,
      parity: 'none',
      rtscts: false,
      xon: false,
      xoff: false,
      xany: false,
      hupcl: true,
      ...options,
    };
  }

  /** a byte from the panel */
  deliver(byte: number): void {
    this.pending.push(byte);
    this.waiting?.resolve();
    this.waiting = undefined;
  }

  /** the device is gone: reads and writes fail with a plain error, which serialport takes as a disconnect */
  disconnect(): void {
    this.gone = true;
    this.waiting?.reject(new Error('device disconnected'));
    this.waiting = undefined;
  }

  async read(buffer: Buffer, offset: number, length: number): Promise<{ buffer: Buffer; bytesRead: number }> {
    while (this.pending.length === 0) {
      if (this.gone) throw new Error('device disconnected');
      if (!this.isOpen) throw Object.assign(new Error('port is closed'), { canceled: true });
      await new Promise<void>((resolve, reject) => {
        this.waiting = { resolve, reject };
      });
    }
    const bytes = this.pending.splice(0, length);
    buffer.set(bytes, offset);
    return { buffer, bytesRead: bytes.length };
  }

  async write(buffer: Buffer): Promise<void> {
    if (this.gone) throw new Error('device disconnected');
    if (!this.isOpen) throw Object.assign(new Error('port is closed'), { canceled: true });
    this.device.receive(buffer);
  }

  async close(): Promise<void> {
    this.isOpen = false;
    this.waiting?.reject(Object.assign(new Error('port closed'), { canceled: true }));
    this.waiting = undefined;
  }

  async update(): Promise<void> {}
  async set(): Promise<void> {}
  async get(): Promise<SerialPortStatus> {
    return { cts: true, dsr: true, dcd: true };
  }
  async getBaudRate(): Promise<{ baudRate: number }> {
    return { baudRate: this.openOptions.baudRate };
  }
  async flush(): Promise<void> {
    this.pending = [];
  }
  async drain(): Promise<void> {}
}

export class EmulatedSerialBinding implements SerialBinding {
  plugged = true;
  /** how many times the driver opened the port */
  opens = 0;
  private port: EmulatedPort | undefined;

  constructor(private readonly device: SerialDevice) {
    device.onTransmit = (byte) => this.port?.deliver(byte);
  }

  async list(): Promise<SerialPortInfo[]> {
    if (!this.plugged) return [];
    return [
      {
        path: EMULATED_PATH,
        manufacturer: 'hanvisa',
        serialNumber: undefined,
        pnpId: undefined,
        locationId: undefined,
        productId: undefined,
        vendorId: undefined,
      },
    ];
  }

  async open(options: SerialOpenOptions): Promise<EmulatedPort> {
    if (!this.plugged || options.path !== EMULATED_PATH) throw new Error(`no such port ${options.path}`);
    if (this.port?.isOpen) throw new Error(`${options.path} is already open`);
    this.opens++;
    this.port = new EmulatedPort(options, this.device);
    this.device.opened?.();
    return this.port;
  }

  unplug(): void {
    this.plugged = false;
    this.port?.disconnect();
  }

  plug(): void {
    this.plugged = true;
  }
}
