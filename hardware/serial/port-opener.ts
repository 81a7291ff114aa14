// Opening a driver's serial port when the device comes and goes (the hanvisa panel, a Firmata board):
// a failure is reported once per outage, however often the retries that follow fail; the driver
// decides when to retry.
import { SerialPortStream } from '@serialport/stream';
import type { Logger } from '../../log/logger.js';
import type { SerialBinding } from './binding.js';

export interface PortTarget {
  binding: SerialBinding;
  path: string;
  baudRate: number;
}

export class PortOpener {
  private failing = false;

  constructor(
    private readonly target: PortTarget,
    private readonly fault: (error: Error) => void,
    private readonly log: Logger,
  ) {}

  /** Starts opening the port: `opened` gets it once open, `failed` is called when it cannot be opened. */
  open(opened: (port: SerialPortStream) => void, failed: () => void): SerialPortStream {
    const { binding, path, baudRate } = this.target;
    const port = new SerialPortStream({ binding, path, baudRate, autoOpen: false });
    port.open((error) => {
      if (error) {
        if (!this.failing) this.fault(new Error(`cannot open ${path}: ${error.message}`));
        this.failing = true;
        this.log.debug('cannot open port', { path, error: error.message });
        failed();
        return;
      }
      this.failing = false;
      opened(port);
    });
    return port;
  }
}
