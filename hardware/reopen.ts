// What every driver with a device to lose (serial, Firmata, HID keypad, GPIO) does the same way: try to
// reach the device, and after a failure or a loss try again with Backoff; say "not there" once per outage,
// not once per attempt; tell the listener when the device comes and goes; keep the last frame and put it
// on the device after every (re)connect. The driver keeps what only it knows: how to open its device
// and what its faults say.
import { Backoff } from './backoff.js';
import type { LedFrame, PanelDescription, PanelListener } from './port.js';

export interface ReopenOptions {
  /** one attempt to reach the device; it ends in connected(), absent() or, later, lost() and retry() */
  attempt(): void;
  /** put the kept frame on the device: after connected(), and on show() while connected */
  replay(frame: LedFrame): void;
  retryMinMs: number;
  retryMaxMs: number;
}

export class Reopen {
  private readonly backoff: Backoff;
  private listener: PanelListener | undefined;
  private current: PanelDescription | undefined;
  private kept: LedFrame = [];
  private timer: ReturnType<typeof setTimeout> | undefined;
  private running = false;
  private absentSaid = false;

  constructor(private readonly options: ReopenOptions) {
    this.backoff = new Backoff(options.retryMinMs, options.retryMaxMs);
  }

  /** the last frame shown, whether or not the device is there */
  get frame(): LedFrame {
    return this.kept;
  }

  /** the device as it last described itself, while it is connected */
  get description(): PanelDescription | undefined {
    return this.current;
  }

  /** close() was called: an attempt that finishes now must let go of what it opened */
  get closing(): boolean {
    return !this.running;
  }

  start(listener: PanelListener): void {
    this.listener = listener;
    this.running = true;
    this.options.attempt();
  }

  /** No more attempts; the driver closes its device itself (a close we asked for is no fault). */
  stop(): void {
    this.running = false;
    clearTimeout(this.timer);
    this.current = undefined;
  }

  show(frame: LedFrame): void {
    this.kept = frame.slice();
    if (this.current) this.options.replay(this.kept);
  }

  /** The device answered (again, or after a reset): the backoff starts over and it gets the last frame. */
  connected(description: PanelDescription): void {
    this.backoff.reset();
    this.absentSaid = false;
    this.current = description;
    this.listener?.connection(true, description);
    this.options.replay(this.kept);
  }

  /** Not there (yet): said once per outage, then tried again. */
  absent(why: string): void {
    if (!this.absentSaid) this.listener?.fault(new Error(why));
    this.absentSaid = true;
    this.retry();
  }

  /** The device went (or never answered): the fault, and a disconnect if it had connected. */
  lost(fault: Error | undefined): void {
    const was = this.current;
    this.current = undefined;
    if (fault) this.listener?.fault(fault);
    if (was) this.listener?.connection(false);
  }

  /** The next attempt after the backoff's wait; one pending at a time. */
  retry(): void {
    if (!this.running) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => this.options.attempt(), this.backoff.next());
  }
}
