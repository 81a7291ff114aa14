// A PanelListener that records what a driver tells the agent, for the driver tests (HID, Firmata).
import type { KeyEvent, PanelDescription, PanelListener } from '../../hardware/port.js';

export class RecordingListener implements PanelListener {
  readonly keys: KeyEvent[] = [];
  readonly faults: Error[] = [];
  /** a description per connect, false per disconnect */
  readonly connections: (PanelDescription | false)[] = [];

  key(event: KeyEvent): void {
    this.keys.push(event);
  }

  connection(connected: boolean, description?: PanelDescription): void {
    this.connections.push(connected && description ? description : false);
  }

  fault(error: Error): void {
    this.faults.push(error);
  }

  get connected(): boolean {
    return this.connections.length > 0 && this.connections.at(-1) !== false;
  }
}
