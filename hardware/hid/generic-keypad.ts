// KeyPanel driver for a plain USB HID keypad (numeric keypad, macro pad, button box) through node-hid.
// Input reports are decoded by the profile (profiles.ts); press and release go to the agent, which
// times long presses itself. Such keypads have no key LEDs: show() keeps the frame, and only a
// keyboard-style keypad lights its Num/Caps/Scroll Lock LEDs as LEDs 0..2 (blinking timed here,
// as the hanvisa firmware does). The device is found by enumeration, reopened with backoff after it
// goes, and the last frame is replayed (reopen.ts). Bad reports are counted and reported through fault(), never thrown.
import { createLogger, type Logger } from '../../log/logger.js';
import { Blinker } from '../blink.js';
import type { KeyPanel, LedFrame, PanelDescription, PanelListener } from '../port.js';
import { Reopen } from '../reopen.js';
import { type HidAccess, type HidDevice, type HidDeviceInfo, nodeHidAccess, usbId } from './access.js';
import type { HidKeypadProfile } from './profiles.js';
import { decodeReport, keyboardLedByte, keyChanges, type ReportRejectReason } from './report.js';

export interface GenericKeypadOptions {
  profile: HidKeypadProfile;
  /** the hidraw path (e.g. /dev/hidraw3); otherwise the first device matching the ids */
  path?: string;
  /** override the profile's ids */
  vendorId?: number;
  productId?: number;
  /** node-hid by default; tests pass a fake */
  access?: HidAccess;
  /** enumeration backoff while the keypad is absent */
  retryMinMs?: number;
  retryMaxMs?: number;
  log?: Logger;
}

export class GenericKeypad implements KeyPanel {
  /** reports we dropped, by reason */
  readonly rejected = new Map<ReportRejectReason | 'unknown-key', number>();

  private readonly profile: HidKeypadProfile;
  private readonly options: GenericKeypadOptions & { retryMinMs: number; retryMaxMs: number };
  private readonly log: Logger;
  private access: HidAccess | undefined;
  private listener: PanelListener | undefined;
  private device: HidDevice | undefined;
  private readonly reopen: Reopen;
  private held = new Set<number>();
  private lastUnknown = '';
  private ledByte: number | undefined;
  private readonly blinker = new Blinker((phaseMs) => this.writeLeds(phaseMs));

  constructor(options: GenericKeypadOptions) {
    this.options = { retryMinMs: 500, retryMaxMs: 4000, ...options };
    this.profile = options.profile;
    this.access = options.access;
    this.log = options.log ?? createLogger('hid-keypad');
    this.reopen = new Reopen({
      attempt: () => void this.connect(),
      replay: () => this.applyLeds(),
      retryMinMs: this.options.retryMinMs,
      retryMaxMs: this.options.retryMaxMs,
    });
  }

  async open(listener: PanelListener): Promise<void> {
    this.listener = listener;
    this.access ??= await nodeHidAccess();
    this.reopen.start(listener);
  }

  show(frame: LedFrame): void {
    this.reopen.show(frame);
  }

  async close(): Promise<void> {
    this.reopen.stop();
    this.blinker.stop();
    const device = this.device;
    this.device = undefined; // a close we asked for is no fault
    if (device) {
      device.removeAllListeners();
      await device.close().catch(() => {});
    }
  }

  private matches(info: HidDeviceInfo): boolean {
    if (this.options.path) return info.path === this.options.path;
    const vendorId = this.options.vendorId ?? this.profile.vendorId;
    const productId = this.options.productId ?? this.profile.productId;
    if (vendorId === undefined || info.vendorId !== vendorId) return false;
    if (productId !== undefined && info.productId !== productId) return false;
    // a keypad often shows several interfaces (keyboard, consumer keys); take the profile's
    const { usagePage, usage } = this.profile;
    if (usagePage !== undefined && info.usagePage !== undefined && info.usagePage !== usagePage) return false;
    if (usage !== undefined && info.usage !== undefined && info.usage !== usage) return false;
    return true;
  }

  private async connect(): Promise<void> {
    if (this.reopen.closing || !this.access) return;
    let found: HidDeviceInfo | undefined;
    let device: HidDevice | undefined;
    try {
      found = (await this.access.devices()).find((d) => this.matches(d) && d.path);
      if (found?.path) device = await this.access.open(found.path);
    } catch (e) {
      this.absent(`cannot open ${found?.path ?? 'keypad'}: ${(e as Error).message}`);
      return;
    }
    if (!found || !device) {
      this.absent(`no HID device matches ${this.wanted()}`);
      return;
    }
    if (this.reopen.closing) {
      await device.close().catch(() => {});
      return;
    }
    this.device = device;
    this.held.clear();
    this.lastUnknown = '';
    this.ledByte = undefined;
    device.on('data', (data) => {
      if (this.device === device) this.receive(data);
    });
    device.on('error', (error) => {
      if (this.device === device) void this.lost(device, error.message);
    });
    const description: PanelDescription = {
      hardwareId: `hid-${usbId(found.vendorId, found.productId)}${found.serialNumber ? `-${found.serialNumber}` : ''}`,
      model: this.profile.model,
      keys: this.profile.keys,
      leds: this.profile.keyboardLeds ? 3 : 0,
      ...(found.release !== undefined ? { firmware: found.release.toString(16) } : {}),
      reportsLongPress: false,
      colors: false,
    };
    this.log.info('HID keypad open', { path: found.path, product: found.product, ...description });
    this.reopen.connected(description);
  }

  private wanted(): string {
    if (this.options.path) return this.options.path;
    const vendorId = this.options.vendorId ?? this.profile.vendorId;
    if (vendorId === undefined) return 'the config (set driver.vendorId or driver.path)';
    const productId = this.options.productId ?? this.profile.productId;
    return productId === undefined ? `vendor 0x${vendorId.toString(16)}` : usbId(vendorId, productId);
  }

  /** Not there (yet): said once per outage, then enumeration again with backoff. */
  private absent(why: string): void {
    this.log.debug('HID keypad absent', { why });
    this.reopen.absent(why);
  }

  private async lost(device: HidDevice, why: string): Promise<void> {
    this.device = undefined;
    this.blinker.stop();
    device.removeAllListeners();
    await device.close().catch(() => {});
    const was = this.reopen.description;
    // A key held while the keypad went never sends its release; it is forgotten, not released,
    // so an unplug cannot act as a key press.
    this.held.clear();
    if (was) this.reopen.lost(new Error(`HID keypad ${was.hardwareId}: ${why}`));
    this.reopen.retry();
  }

  private receive(data: Buffer): void {
    const report = decodeReport(this.profile.report, data);
    if (!report.ok) {
      this.reject(report.reason, `${report.detail} (${data.toString('hex')})`);
      return;
    }
    // an unknown key is reported when it goes down, not again in every report while it is held
    const unknown = report.unknown.join(',');
    if (unknown && unknown !== this.lastUnknown) {
      this.reject('unknown-key', `usage/bit ${unknown} is not in profile ${this.profile.model}`);
    }
    this.lastUnknown = unknown;
    for (const change of keyChanges(this.held, report.keys)) {
      if (change.type === 'press') this.held.add(change.key);
      else this.held.delete(change.key);
      this.listener?.key(change);
    }
  }

  private reject(reason: ReportRejectReason | 'unknown-key', detail: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    this.log.warn('bad report from HID keypad', { reason, detail });
    this.listener?.fault(new Error(`bad report from HID keypad (${reason}): ${detail}`));
  }

  private applyLeds(): void {
    if (!this.profile.keyboardLeds || !this.device) return;
    this.blinker.update(this.reopen.frame, 3);
  }

  /** Writes the output report when the lit LEDs change: report id 0 (none), then the LED bits. */
  private writeLeds(phaseMs: number): void {
    const device = this.device;
    if (!device) return;
    const byte = keyboardLedByte(this.reopen.frame, phaseMs);
    if (byte === this.ledByte) return;
    this.ledByte = byte;
    device.write([0x00, byte]).catch((e: Error) => {
      this.ledByte = undefined;
      this.listener?.fault(new Error(`HID keypad LED report not written: ${e.message}`));
    });
  }
}
