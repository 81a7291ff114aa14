// KeyPanel driver for an Elgato Stream Deck (docs/streamdeck.md), through @elgato-stream-deck/node: its
// node-hid wrapper, model table and JPEG encoder. Each key is drawn (face.ts) with its label, the return
// time and the lamp's colour; blinking is a redraw on the shared Blinker. Like the X-keys driver the deck
// is found by polling the HID enumeration, so it may come and go; the last frame and faces are redrawn
// after every reconnect. We open the device through our HidAccess and hand the library a guard over it
// that checks each input report first: the library reads a short report as "every key up" and ignores a
// foreign report id silently, so those are counted and dropped here instead.
import { EventEmitter } from 'node:events';
import type { StreamDeck, StreamDeckButtonControlDefinitionLcdFeedback } from '@elgato-stream-deck/core';
import { createLogger, type Logger } from '../../log/logger.js';
import { Blinker, litAt } from '../blink.js';
import { type HidAccess, type HidDevice, type HidDeviceInfo, nodeHidAccess } from '../hid/access.js';
import type { KeyFace, KeyPanel, LedFrame, PanelDescription, PanelListener } from '../port.js';
import { drawFace } from './face.js';

/** node-hid's HIDAsync as the Stream Deck library uses it: feature reports besides the HidDevice part. */
export interface StreamDeckHid extends HidDevice {
  sendFeatureReport(data: number[] | Buffer): Promise<number>;
  getFeatureReport(reportId: number, length: number): Promise<Buffer>;
  getDeviceInfo(): Promise<{ vendorId: number; productId: number; path?: string | undefined }>;
}

export interface StreamDeckAccess extends HidAccess {
  open(path: string): Promise<StreamDeckHid>;
}

export interface StreamDeckPanelOptions {
  /** the hidraw path of one deck; otherwise the first Stream Deck found (of serialNumber, if given) */
  path?: string;
  serialNumber?: string;
  /** 0..100; the keys are the desk's lamps, bright enough to read across a room */
  brightness?: number;
  /** node-hid by default; tests pass a fake bus */
  access?: StreamDeckAccess;
  pollMs?: number;
  log?: Logger;
}

/** The input report id of every Stream Deck's key report. */
const KEY_REPORT = 0x01;

/** The HIDAsync surface the library's NodeHIDDevice takes, with each input report checked first. */
class ReportGuard extends EventEmitter {
  /** the shortest key report this model sends, known once the model is */
  minLength = 1;

  constructor(
    readonly device: StreamDeckHid,
    reject: (detail: string) => void,
    gone: (why: string) => void,
  ) {
    super();
    device.on('data', (data) => {
      if (data[0] !== KEY_REPORT) reject(`report id ${data[0]} (${data.subarray(0, 8).toString('hex')})`);
      else if (data.length < this.minLength) reject(`${data.length}-byte key report, need ${this.minLength}`);
      else this.emit('data', data);
    });
    // node-hid fails the read when the device goes
    device.on('error', (error) => gone(error.message));
  }
  write = (data: number[] | Buffer) => this.device.write(data);
  sendFeatureReport = (data: number[] | Buffer) => this.device.sendFeatureReport(data);
  getFeatureReport = (id: number, length: number) => this.device.getFeatureReport(id, length);
  getDeviceInfo = () => this.device.getDeviceInfo();
  close = async () => {
    this.device.removeAllListeners();
    await this.device.close();
  };
}

interface Attached {
  deck: StreamDeck;
  guard: ReportGuard;
  buttons: StreamDeckButtonControlDefinitionLcdFeedback[];
  /** what each key shows now, to redraw only changes */
  shown: string[];
  /** per key, the draw in flight: JPEG encoding is asynchronous, so a later picture must wait for the one before */
  drawing: Promise<void>[];
  down: Set<number>;
}

type Libraries = {
  core: typeof import('@elgato-stream-deck/core');
  node: typeof import('@elgato-stream-deck/node');
  NodeHIDDevice: typeof import('@elgato-stream-deck/node/dist/hid-device.js').NodeHIDDevice;
  encodeJPEG: typeof import('@elgato-stream-deck/node-lib').encodeJPEG;
  canvas: typeof import('@napi-rs/canvas');
};

async function loadLibraries(): Promise<Libraries> {
  const [core, node, hid, lib, canvas] = await Promise.all([
    import('@elgato-stream-deck/core'),
    import('@elgato-stream-deck/node'),
    import('@elgato-stream-deck/node/dist/hid-device.js'),
    import('@elgato-stream-deck/node-lib'),
    import('@napi-rs/canvas'),
  ]);
  return { core, node, NodeHIDDevice: hid.NodeHIDDevice, encodeJPEG: lib.encodeJPEG, canvas };
}

export class StreamDeckPanel implements KeyPanel {
  /** input reports dropped */
  rejected = 0;

  private readonly options: StreamDeckPanelOptions & { pollMs: number; brightness: number };
  private readonly log: Logger;
  private readonly blinker = new Blinker((phaseMs) => this.draw(phaseMs));
  private libs: Libraries | undefined;
  private access: StreamDeckAccess | undefined;
  private listener: PanelListener | undefined;
  private attached: Attached | undefined;
  private attaching = false;
  private frame: LedFrame = [];
  private faces: readonly KeyFace[] = [];
  private poll: ReturnType<typeof setInterval> | undefined;
  private absentReported = false;
  private closing = false;

  constructor(options: StreamDeckPanelOptions = {}) {
    this.options = { pollMs: 2000, brightness: 70, ...options };
    this.log = options.log ?? createLogger('streamdeck-panel');
    this.access = options.access;
  }

  async open(listener: PanelListener): Promise<void> {
    this.listener = listener;
    this.closing = false;
    this.libs = await loadLibraries();
    this.access ??= (await nodeHidAccess()) as StreamDeckAccess;
    this.poll = setInterval(() => void this.scan(), this.options.pollMs);
    void this.scan();
  }

  show(frame: LedFrame): void {
    this.frame = frame.slice();
    this.redraw();
  }

  label(faces: readonly KeyFace[]): void {
    this.faces = faces.slice();
    this.redraw();
  }

  /** Keys dark (a stopped agent must not leave a referral lit), device let go. */
  async close(): Promise<void> {
    this.closing = true;
    clearInterval(this.poll);
    this.blinker.stop();
    const attached = this.attached;
    this.attached = undefined;
    if (!attached) return;
    await attached.deck.clearPanel().catch(() => {});
    await attached.deck.close().catch(() => {});
  }

  private wanted(info: HidDeviceInfo): boolean {
    const { path, serialNumber } = this.options;
    return (
      (path === undefined || info.path === path) &&
      (serialNumber === undefined || info.serialNumber === serialNumber)
    );
  }

  private async scan(): Promise<void> {
    const { libs, access } = this;
    if (this.closing || this.attached || this.attaching || !libs || !access) return;
    this.attaching = true;
    try {
      const found = (await access.devices()).find(
        (d) =>
          this.wanted(d) && libs.node.getStreamDeckDeviceInfo({ ...d, release: d.release ?? 0 }) !== null,
      );
      if (!found?.path) {
        if (!this.absentReported) this.listener?.fault(new Error('no Stream Deck found'));
        this.absentReported = true;
        return;
      }
      await this.attach(libs, access, found.path);
    } catch (e) {
      this.fault(`Stream Deck not opened: ${(e as Error).message}`);
    } finally {
      this.attaching = false;
    }
  }

  private async attach(libs: Libraries, access: StreamDeckAccess, path: string): Promise<void> {
    const hid = await access.open(path);
    const guard = new ReportGuard(
      hid,
      (detail) => this.reject(detail),
      (why) => void this.lost(guard, why),
    );
    let deck: StreamDeck | undefined;
    try {
      const info = await hid.getDeviceInfo();
      const model = libs.core.DEVICE_MODELS.find(
        (m) => m.vendorId === info.vendorId && m.productIds.includes(info.productId),
      );
      if (!model) throw new Error(`${path} is no Stream Deck model the library knows`);
      const device = new libs.NodeHIDDevice(
        guard as unknown as ConstructorParameters<Libraries['NodeHIDDevice']>[0],
      );
      deck = await model.factory(device, { encodeJPEG: (b, w, h) => libs.encodeJPEG(b, w, h, undefined) });
      const buttons = deck.CONTROLS.filter(
        (c): c is StreamDeckButtonControlDefinitionLcdFeedback =>
          c.type === 'button' && c.feedbackType === 'lcd',
      );
      const offset = (deck as unknown as { deviceProperties?: { KEY_DATA_OFFSET?: number } }).deviceProperties
        ?.KEY_DATA_OFFSET;
      guard.minLength = 1 + (offset ?? 0) + Math.max(0, ...buttons.map((b) => b.hidIndex + 1));
      const [firmware, serial] = await Promise.all([deck.getFirmwareVersion(), deck.getSerialNumber()]);
      await deck.setBrightness(this.options.brightness);
      if (this.closing) throw new Error('closing');
      const attached: Attached = { deck, guard, buttons, shown: [], drawing: [], down: new Set() };
      deck.on('down', (c) => this.key(attached, 'press', c.index, c.type));
      deck.on('up', (c) => this.key(attached, 'release', c.index, c.type));
      deck.on('error', (e) => this.fault(`Stream Deck: ${e instanceof Error ? e.message : String(e)}`));
      this.attached = attached;
      this.absentReported = false;
      const description: PanelDescription = {
        hardwareId: `streamdeck-${serial}`.slice(0, 64),
        model: `streamdeck ${deck.PRODUCT_NAME}`.slice(0, 64),
        keys: buttons.length,
        leds: buttons.length,
        firmware: firmware.slice(0, 32),
        reportsLongPress: false,
        colors: true,
      };
      this.log.info('Stream Deck connected', { path, ...description });
      this.listener?.connection(true, description);
      this.redraw();
    } catch (e) {
      guard.removeAllListeners();
      await (deck ? deck.close() : guard.close()).catch(() => {});
      throw e;
    }
  }

  private key(attached: Attached, type: 'press' | 'release', index: number, control: string): void {
    if (attached !== this.attached || control !== 'button') return;
    if (type === 'press') attached.down.add(index);
    else if (!attached.down.delete(index)) return;
    this.listener?.key({ type, key: index });
  }

  private redraw(): void {
    if (this.attached) this.blinker.update(this.frame, this.attached.buttons.length);
  }

  private draw(phaseMs: number): void {
    const attached = this.attached;
    const canvas = this.libs?.canvas;
    if (!attached || !canvas) return;
    for (const button of attached.buttons) {
      const i = button.index;
      const state = this.frame[i] ?? { pattern: 'off' };
      const color = litAt(state.pattern, phaseMs) ? (state.color ?? 'white') : 'off';
      const face = this.faces[i];
      const shown = `${color}|${face?.text ?? ''}|${face?.detail ?? ''}`;
      if (attached.shown[i] === shown) continue;
      attached.shown[i] = shown;
      const pixels = drawFace(canvas, button.pixelSize.width, face, color);
      attached.drawing[i] = (attached.drawing[i] ?? Promise.resolve())
        .then(() => attached.deck.fillKeyBuffer(i, pixels, { format: 'rgba' }))
        .catch((e: Error) => {
          attached.shown[i] = '';
          this.fault(`Stream Deck key ${i} not drawn: ${e.message}`);
        });
    }
  }

  private reject(detail: string): void {
    this.rejected++;
    this.fault(`bad report from Stream Deck: ${detail}`);
  }

  /** The deck went: let go, say so; the poll finds it again. A key held then is forgotten. */
  private async lost(guard: ReportGuard, why: string): Promise<void> {
    const attached = this.attached;
    if (!attached || attached.guard !== guard) return;
    this.attached = undefined;
    this.blinker.stop();
    await attached.deck.close().catch(() => {});
    if (this.closing) return;
    this.fault(`Stream Deck disconnected: ${why}`);
    this.listener?.connection(false);
  }

  private fault(message: string): void {
    this.log.warn('Stream Deck fault', { message });
    this.listener?.fault(new Error(message));
  }
}
