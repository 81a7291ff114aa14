// The emulated panel, the emulated USB port and the real SerialPanel driver, advanced in lockstep:
// each step runs the CPU for 1 ms of emulated time, then moves the driver's fake clock by the same
// 1 ms and lets the serial stream deliver what is on the wire. No wall-clock sleeps anywhere.
import { vi } from 'vitest';
import type { KeyEvent, LedFrame, PanelDescription, PanelListener } from '../../hardware/port.js';
import { SerialPanel } from '../../hardware/serial/serial-panel.js';
import { EMULATED_PATH, EmulatedSerialBinding } from './emulated-port.js';
import { PanelEmulator } from './emulator.js';

export const HARDWARE_ID = Uint8Array.of(0x48, 0x56, 0x53, 0x00, 0x00, 0x00, 0x00, 0x2a);

/** Lets every pending stream callback, promise and nextTick run (setImmediate is never faked here). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

export class PanelRig implements PanelListener {
  readonly emulator = new PanelEmulator({ hardwareId: HARDWARE_ID });
  readonly binding = new EmulatedSerialBinding(this.emulator);
  readonly keys: KeyEvent[] = [];
  readonly connections: { connected: boolean; description?: PanelDescription }[] = [];
  readonly faults: Error[] = [];
  panel: SerialPanel | undefined;
  /** the panel's CPU stands still (a brown-out, a stuck clock) while the host's time goes on */
  frozen = false;

  static async start(): Promise<PanelRig> {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'] });
    const rig = new PanelRig();
    try {
      await rig.openHost();
      await rig.until(() => rig.connected, 500);
    } catch (error) {
      await rig.stop();
      throw error;
    }
    return rig;
  }

  get connected(): boolean {
    return this.connections.at(-1)?.connected ?? false;
  }

  async openHost(): Promise<SerialPanel> {
    this.panel = new SerialPanel({ path: EMULATED_PATH, binding: this.binding });
    await this.panel.open(this);
    return this.panel;
  }

  async closeHost(): Promise<void> {
    await this.panel?.close();
    this.panel = undefined;
  }

  show(frame: LedFrame): void {
    this.panel?.show(frame);
  }

  key(event: KeyEvent): void {
    this.keys.push(event);
  }

  connection(connected: boolean, description?: PanelDescription): void {
    this.connections.push(description ? { connected, description } : { connected });
  }

  fault(error: Error): void {
    this.faults.push(error);
  }

  /** Runs panel and host together for `ms` of emulated time. */
  async advance(ms: number): Promise<void> {
    for (let i = 0; i < ms; i++) await this.step();
  }

  /** Advances until `condition` holds; fails after `maxMs` of emulated time. */
  async until(condition: () => boolean, maxMs: number): Promise<void> {
    for (let i = 0; i < maxMs && !condition(); i++) await this.step();
    if (!condition()) throw new Error(`condition not met within ${maxMs} ms of emulated time`);
  }

  async stop(): Promise<void> {
    await this.closeHost();
    vi.useRealTimers();
  }

  private async step(): Promise<void> {
    if (!this.frozen) this.emulator.run(1);
    await settle();
    await vi.advanceTimersByTimeAsync(1);
    await settle();
  }
}
