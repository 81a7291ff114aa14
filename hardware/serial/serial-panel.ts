// KeyPanel driver for the hanvisa serial key panel (firmware/, protocol in docs/panel-protocol.md).
// Opens the port with serialport, splits frames on 0x00 with its DelimiterParser, keeps the last LED
// frame and replays it after every (re)open and every hello (a panel that reset lost it), heartbeats
// both ways, and reopens with backoff when the port disappears (reopen.ts). Bad bytes are counted and reported
// through fault(), never thrown.
import type { SerialPortStream } from '@serialport/stream';
import { DelimiterParser, SerialPort } from 'serialport';
import { createLogger, type Logger } from '../../log/logger.js';
import type { KeyPanel, LedFrame, PanelDescription, PanelListener, PanelSettings } from '../port.js';
import { hanvisa8k8l } from '../profiles/hanvisa-8k8l.js';
import { Reopen } from '../reopen.js';
import type { SerialBinding } from './binding.js';
import {
  Capability,
  decodeFrame,
  encodeFrame,
  type FrameRejectReason,
  MAX_ENCODED_FRAME,
  type PanelMessage,
  type PanelStatus,
  ResetCause,
} from './frame.js';
import { PortOpener } from './port-opener.js';

export interface SerialPanelOptions {
  /** e.g. /dev/ttyACM0, or /dev/serial/by-id/... which survives re-enumeration */
  path: string;
  /** the firmware's rate; the profile's (250000) by default */
  baudRate?: number;
  /** how to reach the port; the operating system's by default. Tests pass a binding wired to the emulator. */
  binding?: SerialBinding;
  /** host heartbeat period; the panel goes offline after ~3 periods without one */
  heartbeatMs?: number;
  /** the panel counts as gone after this long without a frame from it */
  silenceMs?: number;
  /** reopen backoff after the port fails or disappears */
  retryMinMs?: number;
  retryMaxMs?: number;
  log?: Logger;
}

export class SerialPanel implements KeyPanel {
  /** frames from the panel we dropped, by reason */
  readonly rejected = new Map<FrameRejectReason | 'unexpected', number>();
  /** the panel's own counters from its last heartbeat */
  panelStatus: PanelStatus | undefined;

  private readonly options: Required<Omit<SerialPanelOptions, 'binding' | 'log'>>;
  private readonly binding: SerialBinding;
  private readonly log: Logger;
  private listener: PanelListener | undefined;
  private port: SerialPortStream | undefined;
  private capabilities = 0;
  private settings: PanelSettings | undefined;
  /** tag of the frame last sent, and whether the panel answered it (it is resent until then) */
  private tag = 0;
  private answered = true;
  private lastSeq: number | undefined;
  private lastHeard = 0;
  private readonly reopen: Reopen;
  private readonly opener: PortOpener;
  private heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(options: SerialPanelOptions) {
    this.options = {
      baudRate: hanvisa8k8l.baudRate,
      heartbeatMs: 1000,
      silenceMs: 3000,
      retryMinMs: 250,
      retryMaxMs: 5000,
      ...options,
    };
    this.binding = options.binding ?? (SerialPort.binding as SerialBinding);
    this.log = options.log ?? createLogger('serial-panel');
    this.reopen = new Reopen({
      attempt: () => this.connect(),
      replay: () => this.sendFrame(),
      retryMinMs: this.options.retryMinMs,
      retryMaxMs: this.options.retryMaxMs,
    });
    this.opener = new PortOpener(
      { binding: this.binding, path: this.options.path, baudRate: this.options.baudRate },
      (error) => this.listener?.fault(error),
      this.log,
    );
  }

  async open(listener: PanelListener): Promise<void> {
    this.listener = listener;
    this.heartbeat = setInterval(() => this.tick(), this.options.heartbeatMs);
    this.reopen.start(listener);
  }

  show(frame: LedFrame): void {
    this.tag = (this.tag + 1) & 0xff;
    this.reopen.show(frame);
  }

  configure(settings: PanelSettings): void {
    this.settings = { ...settings };
    this.sendSettings();
  }

  async close(): Promise<void> {
    this.reopen.stop();
    clearInterval(this.heartbeat);
    const port = this.port;
    this.port = undefined; // a close we asked for is no fault
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private connect(): void {
    const port = this.opener.open(
      (open) => {
        if (this.reopen.closing) {
          open.close();
          return;
        }
        this.port = open;
        this.lastHeard = Date.now();
        this.log.info('panel port open', { path: this.options.path });
        const frames = open.pipe(new DelimiterParser({ delimiter: [0] }));
        frames.on('data', (bytes: Buffer) => this.receive(bytes));
        // The parser buffers without limit until a 0x00; a stream of noise without one must not grow it.
        open.on('data', () => {
          if (frames.buffer.length <= MAX_ENCODED_FRAME) return;
          this.reject('too-long', `${frames.buffer.length} bytes without a delimiter`);
          frames.buffer = Buffer.alloc(0);
        });
        this.send({ type: 'hello-request' });
      },
      () => this.reopen.retry(),
    );
    port.on('error', (error: Error) => this.listener?.fault(error));
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
      if (this.port !== port) return;
      this.port = undefined;
      this.lost(error?.disconnected ? 'the serial port disappeared' : 'the serial port closed');
      this.reopen.retry();
    });
  }

  private lost(why: string): void {
    const was = this.reopen.description;
    if (was) this.reopen.lost(new Error(`key panel ${was.hardwareId}: ${why}`));
  }

  private tick(): void {
    if (!this.port) return;
    if (this.reopen.description && Date.now() - this.lastHeard > this.options.silenceMs) {
      this.lost(`silent for ${this.options.silenceMs} ms`);
    }
    if (!this.reopen.description) {
      this.send({ type: 'hello-request' });
      return;
    }
    this.send({ type: 'heartbeat' });
    if (!this.answered) this.sendFrame();
  }

  private receive(bytes: Buffer): void {
    const result = decodeFrame(bytes);
    if (!result.ok) {
      this.reject(result.reason, result.detail);
      return;
    }
    this.lastHeard = Date.now();
    this.handle(result.message);
  }

  private reject(reason: FrameRejectReason | 'unexpected', detail: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    this.log.warn('bad frame from key panel', { reason, detail });
    this.listener?.fault(new Error(`bad frame from key panel (${reason}): ${detail}`));
  }

  private handle(message: PanelMessage): void {
    switch (message.type) {
      case 'hello': {
        if (message.resetCause & ResetCause.watchdog) {
          this.listener?.fault(new Error(`key panel ${message.hardwareId} was reset by its watchdog`));
        }
        const description: PanelDescription = {
          hardwareId: `hanvisa-${message.hardwareId}`,
          model: hanvisa8k8l.model,
          keys: message.keys,
          leds: message.leds,
          firmware: message.firmware,
          reportsLongPress: (message.capabilities & Capability.longPress) !== 0,
          colors: false,
        };
        this.lastSeq = undefined;
        this.log.info('key panel hello', { ...description, resetCause: message.resetCause });
        this.capabilities = message.capabilities;
        // a hello is also a panel that reset and lost its LEDs: the kept frame goes on again
        this.reopen.connected(description);
        this.sendSettings();
        return;
      }
      case 'key': {
        const description = this.reopen.description;
        if (!description) {
          // keys from a panel that has not introduced itself since we opened: ask, drop the key
          this.send({ type: 'hello-request' });
          return;
        }
        if (message.key >= description.keys) {
          this.reject('body', `key ${message.key} on a panel with ${description.keys} keys`);
          return;
        }
        if (this.lastSeq !== undefined && message.seq !== ((this.lastSeq + 1) & 0xff)) {
          const lost = (message.seq - this.lastSeq - 1) & 0xff;
          this.listener?.fault(new Error(`key panel: ${lost} key event(s) lost before seq ${message.seq}`));
        }
        this.lastSeq = message.seq;
        this.listener?.key({ type: message.kind, key: message.key, seq: message.seq });
        return;
      }
      case 'led-ack':
        if (message.tag !== this.tag) return; // an ack for a frame since replaced
        this.answered = true;
        if (!message.ok) this.listener?.fault(new Error('key panel refused the LED frame'));
        return;
      case 'settings-ack':
        if (!message.ok) this.listener?.fault(new Error('key panel refused the long-press time'));
        return;
      case 'heartbeat':
        this.panelStatus = message.status;
        if (!this.reopen.description) this.send({ type: 'hello-request' });
        return;
      default:
        this.reject('unexpected', `${message.type} is a host message`);
    }
  }

  private sendFrame(): void {
    const leds = this.reopen.description?.leds;
    if (leds === undefined) return; // sent on the hello, when we know how many LEDs there are
    this.answered = false;
    const patterns = Array.from({ length: leds }, (_, i) => this.reopen.frame[i]?.pattern ?? 'off');
    this.send({ type: 'led-set', tag: this.tag, patterns });
  }

  /** Only to a panel that said it takes settings: firmware 1.0 keeps its own 800 ms. */
  private sendSettings(): void {
    if (!this.settings || !this.reopen.description || !(this.capabilities & Capability.settings)) return;
    this.send({ type: 'settings', longPressMs: this.settings.longPressMs });
  }

  private send(message: PanelMessage): void {
    if (this.port?.isOpen) this.port.write(Buffer.from(encodeFrame(message)));
  }
}
