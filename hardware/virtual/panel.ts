// A key panel without hardware: driven by a script (tests), a terminal or a web page. By default it
// reports long presses itself (`hold`), as our firmware does, so a script needs no clock to make one;
// with `reportsLongPress: false` it behaves like a plain keypad and the agent times press → release.
import { EventEmitter } from 'node:events';
import {
  type KeyEvent,
  type KeyPanel,
  type LedFrame,
  type PanelDescription,
  type PanelListener,
  sameFrame,
} from '../port.js';

export interface VirtualPanelOptions {
  keys?: number;
  leds?: number;
  hardwareId?: string;
  model?: string;
  reportsLongPress?: boolean;
}

export interface VirtualPanelEvents {
  frame: [frame: LedFrame];
}

export class VirtualPanel extends EventEmitter<VirtualPanelEvents> implements KeyPanel {
  readonly description: PanelDescription;
  private listener: PanelListener | undefined;
  private current: LedFrame = [];
  private seq = 0;

  constructor(options: VirtualPanelOptions = {}) {
    super();
    this.description = {
      hardwareId: options.hardwareId ?? 'virtual-0',
      model: options.model ?? 'hanvisa virtual panel',
      keys: options.keys ?? 12,
      leds: options.leds ?? 12,
      reportsLongPress: options.reportsLongPress ?? true,
      colors: true,
    };
  }

  async open(listener: PanelListener): Promise<void> {
    this.listener = listener;
    listener.connection(true, this.description);
  }

  show(frame: LedFrame): void {
    if (sameFrame(frame, this.current)) return;
    // kept as given: a frame is read-only (the agent renders a new one for every change)
    this.current = frame;
    this.emit('frame', this.current);
  }

  async close(): Promise<void> {
    this.listener?.connection(false);
    this.listener = undefined;
  }

  /** The last frame the agent showed. */
  get frame(): LedFrame {
    return this.current;
  }

  get isOpen(): boolean {
    return this.listener !== undefined;
  }

  private send(type: KeyEvent['type'], key: number): void {
    if (!Number.isInteger(key) || key < 0 || key >= this.description.keys) {
      // the caller (a script, the web page) hears it, and the agent counts it like any bad input
      const error = new RangeError(`key ${key} is not on this panel (0..${this.description.keys - 1})`);
      this.listener?.fault(error);
      throw error;
    }
    this.listener?.key({ type, key, seq: this.seq++ });
  }

  press(key: number): void {
    this.send('press', key);
  }

  release(key: number): void {
    this.send('release', key);
  }

  /** A short press. */
  tap(key: number): void {
    this.press(key);
    this.release(key);
  }

  /** A long press, reported by the panel as firmware does: press, long, release. */
  hold(key: number): void {
    if (!this.description.reportsLongPress) throw new Error('this panel does not report long presses');
    this.press(key);
    this.send('long', key);
    this.release(key);
  }

  /** Resolves with the next frame that satisfies `test` (the current one if it already does). */
  waitForFrame(test: (frame: LedFrame) => boolean): Promise<LedFrame> {
    if (test(this.current)) return Promise.resolve(this.current);
    return new Promise((resolve) => {
      const onFrame = (frame: LedFrame) => {
        if (!test(frame)) return;
        this.off('frame', onFrame);
        resolve(frame);
      };
      this.on('frame', onFrame);
    });
  }
}
