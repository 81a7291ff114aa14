// KeyPanel driver for an Arduino running the stock StandardFirmata sketch (docs/firmata-panels.md):
// serialport 13 carries the bytes, firmata-io speaks the Firmata protocol over it, and johnny-five's
// Buttons (pull-up, debounced) and Leds do the keys and LEDs. johnny-five never opens a port itself:
// we hand it the io, so its own serialport 8 is never loaded. The driver keeps the last LED frame and
// replays it on every (re)connect, reopens with backoff when the port goes (both reopen.ts), and counts what the board
// sends that is not Firmata (framer.ts) or that firmata-io cannot take, never throwing.
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { basename } from 'node:path';
import type { SerialPortStream } from '@serialport/stream';
import five from 'johnny-five';
import { SerialPort } from 'serialport';
import { createLogger, type Logger } from '../../log/logger.js';
import type { KeyEvent, KeyPanel, LedFrame, LedPattern, PanelDescription, PanelListener } from '../port.js';
import { type FirmataPins, firmataUno } from '../profiles/firmata-uno.js';
import { Reopen } from '../reopen.js';
import type { SerialBinding } from '../serial/binding.js';
import { PortOpener } from '../serial/port-opener.js';
import { FirmataFramer } from './framer.js';
import { type FirmataIo, resolvePins } from './pins.js';

// firmata-io ships no types and is CommonJS; this is the part of it we use.
const { Firmata } = createRequire(import.meta.url)('firmata-io') as {
  Firmata: new (transport: EventEmitter, options: { reportVersionTimeout: number }) => FirmataIo;
};

/** johnny-five's own bookkeeping that its type declarations leave out */
type J5Board = five.Board & EventEmitter & { timer: ReturnType<typeof setTimeout> | null };
type J5Button = five.Button & EventEmitter & { isDown: boolean };
const j5 = five.Board as unknown as { cache: unknown[]; Pins: { normalize: { clear(): void } } };

export type FirmataRejectReason = 'stray-bytes' | 'malformed';

export interface FirmataPanelOptions {
  /** e.g. /dev/ttyACM0, or /dev/serial/by-id/... which survives re-plugging */
  path: string;
  /** which pins are keys and LEDs; the Uno profile's (hardware/profiles/firmata-uno.ts) by default */
  pins?: FirmataPins;
  /** StandardFirmata's 57600 by default */
  baudRate?: number;
  /** how to reach the port; the operating system's by default. Tests pass a binding to a fake board. */
  binding?: SerialBinding;
  /** firmata-io asks for the version itself after this long, for boards that do not reset on open */
  versionTimeoutMs?: number;
  /** the board counts as not answering (not Firmata?) after this long without becoming ready */
  readyTimeoutMs?: number;
  /** reopen backoff after the port fails, disappears or never answers */
  retryMinMs?: number;
  retryMaxMs?: number;
  log?: Logger;
}

/** firmata-io's transport: the open port, and nothing written once it is closed. */
class PortTransport extends EventEmitter {
  constructor(private readonly port: SerialPortStream) {
    super();
  }

  write(data: Buffer, done: () => void): void {
    if (this.port.isOpen) this.port.write(data, done);
    else done();
  }
}

/** One open port and what johnny-five built on it; a reconnect builds a new one. */
interface Link {
  port: SerialPortStream;
  transport: PortTransport;
  io: FirmataIo;
  board: J5Board;
  framer: FirmataFramer;
  readyTimer: ReturnType<typeof setTimeout> | undefined;
  buttons: J5Button[];
  leds: five.Led[];
  /** keys reported pressed, so a release without its press (bounce inside j5's 7 ms) is dropped */
  down: Set<number>;
}

export class FirmataPanel implements KeyPanel {
  /** what the board sent that we dropped, by reason */
  readonly rejected = new Map<FirmataRejectReason, number>();

  private readonly options: Required<Omit<FirmataPanelOptions, 'binding' | 'log'>>;
  private readonly log: Logger;
  private readonly reopen: Reopen;
  private readonly opener: PortOpener;
  private listener: PanelListener | undefined;
  private link: Link | undefined;
  /** the patterns on the LEDs now, so an unchanged frame does not restart the blinking */
  private shown: LedPattern[] | undefined;

  constructor(options: FirmataPanelOptions) {
    this.options = {
      pins: firmataUno.pins,
      baudRate: firmataUno.baudRate,
      versionTimeoutMs: 5000,
      readyTimeoutMs: 10_000,
      retryMinMs: 250,
      retryMaxMs: 5000,
      ...options,
    };
    this.log = options.log ?? createLogger('firmata-panel');
    this.reopen = new Reopen({
      attempt: () => this.connect(),
      replay: () => {
        if (this.link) this.render(this.link);
      },
      retryMinMs: this.options.retryMinMs,
      retryMaxMs: this.options.retryMaxMs,
    });
    this.opener = new PortOpener(
      {
        binding: options.binding ?? (SerialPort.binding as SerialBinding),
        path: this.options.path,
        baudRate: this.options.baudRate,
      },
      (error) => this.listener?.fault(error),
      this.log,
    );
  }

  async open(listener: PanelListener): Promise<void> {
    this.listener = listener;
    this.reopen.start(listener);
  }

  show(frame: LedFrame): void {
    this.reopen.show(frame);
  }

  /** Switches the LEDs off (a stopped agent must not leave a referral lit) and lets go of everything. */
  async close(): Promise<void> {
    this.reopen.stop();
    const link = this.link;
    this.link = undefined;
    if (!link) return;
    for (const led of link.leds) led.stop().off();
    const port = link.port;
    this.release(link);
    if (!port.isOpen) return;
    await new Promise<void>((resolve) => port.drain(() => resolve()));
    await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  private connect(): void {
    const port = this.opener.open(
      (open) => {
        if (this.reopen.closing) open.close();
        else this.attach(open);
      },
      () => this.reopen.retry(),
    );
    port.on('error', (error: Error) => this.listener?.fault(error));
    port.on('close', (error: (Error & { disconnected?: boolean }) | null) => {
      if (this.link?.port === port)
        this.drop(error?.disconnected ? 'the serial port disappeared' : 'the serial port closed');
    });
  }

  /** firmata-io and a johnny-five Board on the open port; the board says hello by itself (DTR reset). */
  private attach(port: SerialPortStream): void {
    const transport = new PortTransport(port);
    const io = new Firmata(transport, { reportVersionTimeout: this.options.versionTimeoutMs });
    // repl, debug and sigint off: no console output, and no SIGINT handler that exits the process
    const board = new five.Board({
      io,
      repl: false,
      debug: false,
      sigint: false,
    } as five.BoardOption) as J5Board;
    const link: Link = {
      port,
      transport,
      io,
      board,
      framer: new FirmataFramer(),
      readyTimer: undefined,
      buttons: [],
      leds: [],
      down: new Set(),
    };
    this.link = link;
    board.on('error', (error: unknown) => this.listener?.fault(asError(error)));
    board.once('ready', () => this.ready(link));
    link.readyTimer = setTimeout(
      () =>
        this.drop(`no Firmata answer within ${this.options.readyTimeoutMs} ms (is StandardFirmata on it?)`),
      this.options.readyTimeoutMs,
    );
    port.on('data', (chunk: Buffer) => this.receive(link, chunk));
    this.log.info('Firmata port open', { path: this.options.path });
    transport.emit('open'); // firmata-io → johnny-five "connect"; the port opened before they existed
  }

  /** Whole messages only go on to firmata-io, one at a time, so one it chokes on costs only itself. */
  private receive(link: Link, chunk: Buffer): void {
    const { messages, stray } = link.framer.push(chunk);
    if (stray > 0) this.reject('stray-bytes', `${stray} byte(s) that are no Firmata message`);
    for (const message of messages) {
      if (this.link !== link) return; // a message before this one ended the link
      try {
        link.transport.emit('data', Buffer.from(message));
      } catch (error) {
        // firmata-io trusts the board: a reply about a pin it does not have throws inside its parser
        link.io.buffer.length = 0;
        this.reject('malformed', asError(error).message);
      }
    }
  }

  private ready(link: Link): void {
    clearTimeout(link.readyTimer);
    const pins = resolvePins(link.io, this.options.pins);
    if (typeof pins === 'string') {
      // another board needs another cable: say why and wait, reopening would only reset it again
      this.listener?.fault(new Error(`Firmata board on ${this.options.path}: ${pins}`));
      return;
    }
    const { board } = link;
    link.buttons = pins.keys.map((pin, key) => {
      const button = new five.Button({ board, pin, isPullup: true }) as J5Button;
      button.on('press', () => this.key(link, { type: 'press', key }));
      button.on('release', () => this.key(link, { type: 'release', key }));
      return button;
    });
    link.leds = pins.leds.map((pin) => new five.Led({ board, pin }));
    const { name = 'Firmata', version } = link.io.firmware;
    const description: PanelDescription = {
      hardwareId: `firmata-${basename(this.options.path).slice(-56)}`,
      model: firmataUno.model,
      keys: pins.keys.length,
      leds: pins.leds.length,
      firmware: `${name.replace(/\.ino$/, '')}${version ? ` ${version.major}.${version.minor}` : ''}`.slice(
        0,
        32,
      ),
      reportsLongPress: false, // StandardFirmata reports levels; the agent times long presses
      colors: false,
    };
    this.log.info('Firmata board ready', { ...description });
    this.shown = undefined;
    this.reopen.connected(description);
  }

  private key(link: Link, event: KeyEvent): void {
    if (link !== this.link) return;
    if (event.type === 'press') {
      if (link.down.has(event.key)) return;
      link.down.add(event.key);
    } else if (!link.down.delete(event.key)) return;
    this.listener?.key(event);
  }

  /** Every changed frame restarts all blinking LEDs together, so they share one phase (as the firmware's do). */
  private render(link: Link): void {
    const patterns = link.leds.map((_, i) => this.reopen.frame[i]?.pattern ?? 'off');
    if (this.shown?.every((p, i) => p === patterns[i])) return;
    this.shown = patterns;
    link.leds.forEach((led, i) => {
      const pattern = patterns[i];
      led.stop();
      if (pattern === 'off') led.off();
      else led.on();
      if (pattern === 'slow') led.blink(firmataUno.slowHalfMs);
      if (pattern === 'fast') led.blink(firmataUno.fastHalfMs);
    });
  }

  private reject(reason: FirmataRejectReason, detail: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    this.log.warn('bad bytes from Firmata board', { reason, detail });
    this.listener?.fault(new Error(`bad bytes from Firmata board (${reason}): ${detail}`));
  }

  /** The port closed, disappeared or never answered: let go of it, say so, and try again later. */
  private drop(why: string): void {
    const link = this.link;
    if (!link) return;
    this.link = undefined;
    this.release(link);
    if (link.port.isOpen) link.port.close();
    this.reopen.lost(new Error(`Firmata panel on ${this.options.path}: ${why}`));
    this.reopen.retry();
  }

  /** Stops every timer johnny-five and firmata-io started on this link and forgets the j5 board. */
  private release(link: Link): void {
    clearTimeout(link.readyTimer);
    for (const led of link.leds) led.stop();
    for (const button of link.buttons) {
      button.removeAllListeners();
      // a held button keeps a hold interval running until it sees the key go up: show it one
      if (button.isDown) link.io.emit(`digital-read-${button.pin}`, button.upValue);
    }
    clearTimeout(link.io.reportVersionTimeoutId);
    if (link.board.timer) clearTimeout(link.board.timer);
    link.io.removeAllListeners();
    link.board.removeAllListeners();
    link.board.on('error', () => {}); // late j5 log events must not throw
    link.port.removeAllListeners('data');
    // johnny-five keeps every board ever made in a module-level list (and a pin normaliser per board)
    const index = j5.cache.indexOf(link.board);
    if (index >= 0) j5.cache.splice(index, 1);
    j5.Pins.normalize.clear();
  }
}

function asError(error: unknown): Error {
  if (error instanceof Error) return error;
  const message = (error as { message?: unknown } | null)?.message;
  return new Error(typeof message === 'string' ? message : String(error));
}
