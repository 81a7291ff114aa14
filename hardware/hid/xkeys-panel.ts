// KeyPanel driver for P.I. Engineering X-keys panels, through the `xkeys` library: its XKeys class
// parses the reports and writes the backlight commands, its watcher finds panels and sees them go and
// come back. We give the watcher our HID access (node-hid, or the tests' fake) instead of its own.
// Key numbers: X-keys key index 1 is key 0 (the program switch, index 0, is not a desk key); LED n is
// the backlight of key n. Backlights are blue/red on most panels (RGB on X-blox): a colour maps to the
// nearest the panel has. Flashing shares one rate per panel: slow and fast in one frame both flash fast.

import { EventEmitter } from 'node:events';
import { GenericXKeysWatcher, type HIDDevice, XKeys } from 'xkeys';
import { createLogger, type Logger } from '../../log/logger.js';
import type { KeyPanel, LedColor, LedFrame, LedState, PanelDescription, PanelListener } from '../port.js';
import { type HidAccess, type HidDevice, type HidDeviceInfo, nodeHidAccess } from './access.js';

/** setFrequency: 1..255, 255 ≈ 4 s a flash (the library's note), so ≈ 16 ms of period a step. */
export const SLOW_FREQUENCY = 64; // ≈ 1 Hz
export const FAST_FREQUENCY = 16; // ≈ 4 Hz

/** What setBacklight gets: blue/red panels light red for r or g, blue for b; RGB panels show it. */
export const BACKLIGHT_COLORS: Record<LedColor, string> = {
  blue: '0000ff',
  red: 'ff0000',
  green: '00ff00',
  amber: 'ff8000',
  white: 'ffffff',
};

export interface XKeysPanelOptions {
  /** the hidraw path of one panel; otherwise the first X-keys found (of productId, if given) */
  path?: string;
  productId?: number;
  /** node-hid by default; tests pass a fake */
  access?: HidAccess;
  /** how often the watcher enumerates, to see a panel come and go */
  pollMs?: number;
  /** a panel that does not answer the library's init within this is given up (and retried) */
  initTimeoutMs?: number;
  log?: Logger;
}

/** The library's HIDDevice over our HidDevice: writes one at a time, in order. */
class QueuedHidDevice extends EventEmitter implements HIDDevice {
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly device: HidDevice) {
    super();
    device.on('data', (data) => {
      // the library reads report bytes by offset: a short report throws, before any state changed
      try {
        this.emit('data', data);
      } catch (e) {
        this.emit('error', new Error(`bad report ${data.toString('hex')}: ${(e as Error).message}`));
      }
    });
    device.on('error', (error) => this.emit('error', error));
  }

  write(data: number[]): void {
    this.queue = this.queue.then(() => this.device.write(data)).catch((e) => this.emit('error', e));
  }

  async flush(): Promise<void> {
    await this.queue;
  }

  async close(): Promise<void> {
    this.device.removeAllListeners();
    await this.device.close();
  }
}

/** The library's watcher, enumerating through our HidAccess. */
class HidXKeysWatcher extends GenericXKeysWatcher<string> {
  private readonly listed = new Map<string, HidDeviceInfo>();
  /** panels whose setup failed: left out of one sweep, so the library forgets them and tries again */
  private readonly failed = new Set<string>();
  private readonly poll: ReturnType<typeof setInterval>;

  constructor(
    private readonly access: HidAccess,
    private readonly wanted: (info: HidDeviceInfo) => boolean,
    pollMs: number,
    private readonly initTimeoutMs: number,
  ) {
    super({ usePolling: true, pollingInterval: pollMs });
    this.poll = setInterval(() => this.triggerUpdateConnectedDevices(false), pollMs);
  }

  override async stop(): Promise<void> {
    clearInterval(this.poll);
    await super.stop(true);
  }

  protected async getConnectedDevices(): Promise<Set<string>> {
    // the library's stop() leaves a scheduled sweep; once stopped, it must find (and open) nothing
    if (!this.isActive) return new Set();
    try {
      const found = (await this.access.devices()).filter(
        (d) => d.path && this.wanted(d) && XKeys.filterDevice({ ...d, product: d.product }) !== null,
      );
      this.listed.clear();
      for (const d of found) if (d.path) this.listed.set(d.path, d);
    } catch (e) {
      // keep what we knew: a failed enumeration is no unplug
      this.emit('error', new Error(`HID enumeration failed: ${(e as Error).message}`));
    }
    const connected = new Set(this.listed.keys());
    for (const path of this.failed) connected.delete(path);
    this.failed.clear();
    return connected;
  }

  protected async setupXkeysPanel(path: string): Promise<XKeys> {
    const info = this.listed.get(path);
    if (!info) throw new Error(`X-keys ${path} is gone`);
    const device = new QueuedHidDevice(await this.access.open(path));
    let timer: ReturnType<typeof setTimeout> | undefined;
    try {
      const xkeys = new XKeys(device, { ...info, product: info.product }, path);
      await new Promise<void>((resolve, reject) => {
        timer = setTimeout(() => reject(new Error(`X-keys ${path} did not answer`)), this.initTimeoutMs);
        xkeys.once('error', reject);
        xkeys.init().then(() => {
          xkeys.off('error', reject);
          resolve();
        }, reject);
      });
      return xkeys;
    } catch (e) {
      this.failed.add(path);
      await device.close().catch(() => {});
      throw e;
    } finally {
      clearTimeout(timer);
    }
  }
}

export class XKeysPanel implements KeyPanel {
  private readonly options: XKeysPanelOptions & { pollMs: number; initTimeoutMs: number };
  private readonly log: Logger;
  private listener: PanelListener | undefined;
  private watcher: HidXKeysWatcher | undefined;
  private xkeys: XKeys | undefined;
  private keys = 0;
  private frame: LedFrame = [];
  /** what each backlight shows now, to write only changes */
  private shown: string[] = [];
  private frequency: number | undefined;
  private closing = false;

  constructor(options: XKeysPanelOptions = {}) {
    this.options = { pollMs: 2000, initTimeoutMs: 3000, ...options };
    this.log = options.log ?? createLogger('xkeys-panel');
  }

  async open(listener: PanelListener): Promise<void> {
    this.listener = listener;
    this.closing = false;
    const access = this.options.access ?? (await nodeHidAccess());
    const { path, productId } = this.options;
    const wanted = (d: HidDeviceInfo) =>
      (path === undefined || d.path === path) && (productId === undefined || d.productId === productId);
    this.watcher = new HidXKeysWatcher(access, wanted, this.options.pollMs, this.options.initTimeoutMs);
    this.watcher.on('connected', (xkeys) => this.attach(xkeys));
    this.watcher.on('error', (e) => this.fault(e instanceof Error ? e.message : `X-keys: ${String(e)}`));
  }

  show(frame: LedFrame): void {
    this.frame = frame.slice();
    this.apply();
  }

  async close(): Promise<void> {
    this.closing = true;
    const watcher = this.watcher;
    this.watcher = undefined;
    await watcher?.stop();
    this.xkeys = undefined;
  }

  private attach(xkeys: XKeys): void {
    if (this.closing) return;
    if (this.xkeys) {
      this.fault(`a second X-keys panel (${xkeys.devicePath}) is ignored; set driver.path to choose one`);
      return;
    }
    const info = xkeys.info;
    this.xkeys = xkeys;
    this.keys = info.colCount * info.rowCount;
    this.shown = [];
    this.frequency = undefined;
    const key = (type: 'press' | 'release') => (index: number) => {
      if (index >= 1 && index <= this.keys) this.listener?.key({ type, key: index - 1 });
    };
    xkeys.on('down', key('press'));
    xkeys.on('up', key('release'));
    xkeys.on('error', (e) =>
      this.fault(`X-keys ${info.name}: ${e instanceof Error ? e.message : String(e)}`),
    );
    xkeys.once('disconnected', () => {
      if (this.xkeys !== xkeys) return;
      this.xkeys = undefined;
      if (this.closing) return;
      this.fault(`X-keys ${info.name} disconnected`);
      this.listener?.connection(false);
    });
    const description: PanelDescription = {
      hardwareId: `xkeys-${info.productId}-${xkeys.unitId}`,
      model: `xkeys ${info.name}`,
      keys: this.keys,
      leds: this.keys,
      firmware: String(info.firmwareVersion),
      reportsLongPress: false,
      colors: true,
    };
    this.log.info('X-keys panel connected', { path: xkeys.devicePath, ...description });
    this.listener?.connection(true, description);
    this.apply();
  }

  private apply(): void {
    const xkeys = this.xkeys;
    if (!xkeys) return;
    const states = Array.from({ length: this.keys }, (_, i): LedState => this.frame[i] ?? { pattern: 'off' });
    try {
      const frequency = states.some((s) => s.pattern === 'fast')
        ? FAST_FREQUENCY
        : states.some((s) => s.pattern === 'slow')
          ? SLOW_FREQUENCY
          : undefined;
      if (frequency !== undefined && frequency !== this.frequency) {
        xkeys.setFrequency(frequency);
        this.frequency = frequency;
      }
      states.forEach((state, i) => {
        const color = state.pattern === 'off' ? false : BACKLIGHT_COLORS[state.color ?? 'blue'];
        const flashing = state.pattern === 'slow' || state.pattern === 'fast';
        const shown = `${color}/${flashing}`;
        if (this.shown[i] === shown) return;
        xkeys.setBacklight(i + 1, color, flashing);
        this.shown[i] = shown;
      });
    } catch (e) {
      // the panel went between frames; the replay after it comes back covers it
      this.fault(`X-keys backlight not set: ${(e as Error).message}`);
    }
  }

  private fault(message: string): void {
    this.log.warn('X-keys fault', { message });
    this.listener?.fault(new Error(message));
  }
}
