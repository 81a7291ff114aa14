// TEST FAKE at the true hardware edge: an Arduino Uno running StandardFirmata 2.5, at the byte level of
// the Firmata protocol (https://github.com/firmata/protocol). It sits behind test/firmware's serialport
// binding where the USB cable would be, so FirmataPanel, serialport, firmata-io and johnny-five all run
// for real. It introduces itself when the port opens (DTR resets an Uno), answers the version, firmware,
// capability and analog-mapping queries with an Uno's answers, takes pin modes, report-digital and
// digital/analog writes, and records the levels the host drives. press()/release() pull a key's pin
// low/high and send the DIGITAL_MESSAGE a real board sends.
import type { SerialDevice } from '../firmware/emulated-port.js';

const DIGITAL_MESSAGE = 0x90;
const ANALOG_MESSAGE = 0xe0;
const REPORT_ANALOG = 0xc0;
const REPORT_DIGITAL = 0xd0;
const SET_PIN_MODE = 0xf4;
const SET_DIGITAL_PIN_VALUE = 0xf5;
const REPORT_VERSION = 0xf9;
const SYSTEM_RESET = 0xff;
const START_SYSEX = 0xf0;
const END_SYSEX = 0xf7;
const ANALOG_MAPPING_QUERY = 0x69;
const ANALOG_MAPPING_RESPONSE = 0x6a;
const CAPABILITY_QUERY = 0x6b;
const CAPABILITY_RESPONSE = 0x6c;
const REPORT_FIRMWARE = 0x79;

export const MODE = { INPUT: 0, OUTPUT: 1, ANALOG: 2, PWM: 3, SERVO: 4, I2C: 6, PULLUP: 0x0b } as const;

/** An Uno: D0/D1 are the serial link, 20 pins, A0–A5 are pins 14–19. */
const PINS = 20;
const PWM_PINS = new Set([3, 5, 6, 9, 10, 11]);
const FIRMWARE = 'StandardFirmata.ino';

/** StandardFirmata's capability response for an Uno: mode, resolution pairs per pin, 0x7F between pins. */
function capabilities(): number[] {
  const out: number[] = [];
  for (let pin = 0; pin < PINS; pin++) {
    if (pin >= 2) out.push(MODE.INPUT, 1, MODE.OUTPUT, 1, MODE.PULLUP, 1);
    if (PWM_PINS.has(pin)) out.push(MODE.PWM, 8);
    if (pin >= 14) out.push(MODE.ANALOG, 10);
    if (pin >= 2) out.push(MODE.SERVO, 14);
    if (pin === 18 || pin === 19) out.push(MODE.I2C, 1);
    out.push(0x7f);
  }
  return out;
}

/** Length of a host command by its first byte (sysex is framed by its end byte instead). */
function commandLength(status: number): number {
  if (status === REPORT_VERSION || status === SYSTEM_RESET) return 1;
  const high = status & 0xf0;
  if (high === REPORT_ANALOG || high === REPORT_DIGITAL) return 2;
  return 3;
}

export class FakeFirmataBoard implements SerialDevice {
  onTransmit: ((byte: number) => void) | undefined;
  /** false: a board that does not reset when the port opens (no DTR reset), so it says nothing first */
  resetsOnOpen = true;
  /** false: another sketch runs on it, which ignores Firmata and says nothing */
  runsFirmata = true;
  /** how many times it (re)started its sketch */
  boots = 0;
  /** every level the host drove onto an output pin, in order, with Date.now() (fake clocks welcome) */
  readonly changes: { pin: number; level: 0 | 1; at: number }[] = [];
  private modes = new Map<number, number>();
  private outputs = new Map<number, 0 | 1>();
  private pullups = new Set<number>();
  private reporting = new Set<number>();
  private readonly pressed = new Set<number>();
  private rx: number[] = [];

  opened(): void {
    if (!this.resetsOnOpen) return;
    // a reset forgets everything the host set up; the keys stay as the fingers hold them
    this.modes = new Map();
    this.outputs = new Map();
    this.pullups = new Set();
    this.reporting = new Set();
    this.rx = [];
    this.boots++;
    if (!this.runsFirmata) return;
    this.send([REPORT_VERSION, 2, 5]);
    this.sendFirmware();
  }

  receive(bytes: Iterable<number>): void {
    if (!this.runsFirmata) return;
    for (const byte of bytes) {
      if (byte & 0x80 && byte !== END_SYSEX) this.rx = []; // a status byte starts a command
      this.rx.push(byte);
      const first = this.rx[0];
      if (first === undefined || !(first & 0x80)) {
        this.rx = []; // data bytes with no command: StandardFirmata ignores them too
        continue;
      }
      if (first === START_SYSEX) {
        if (byte === END_SYSEX) this.sysex(this.rx.slice(1, -1));
        else continue;
      } else if (this.rx.length < commandLength(first)) continue;
      else this.command(this.rx);
      this.rx = [];
    }
  }

  /** the level of a pin as a voltmeter would read it (output driven, or input pulled up/pressed) */
  level(pin: number): 0 | 1 {
    const mode = this.modes.get(pin);
    if (mode === MODE.OUTPUT || mode === MODE.PWM) return this.outputs.get(pin) ?? 0;
    if (this.pressed.has(pin)) return 0;
    return this.pullups.has(pin) ? 1 : 0;
  }

  mode(pin: number): number | undefined {
    return this.modes.get(pin);
  }

  /** a key on this pin shorts it to GND */
  press(pin: number): void {
    this.pressed.add(pin);
    this.reportPort(pin >> 3);
  }

  release(pin: number): void {
    this.pressed.delete(pin);
    this.reportPort(pin >> 3);
  }

  /** raw bytes from the board: noise, or a crafted message */
  send(bytes: readonly number[]): void {
    for (const byte of bytes) this.onTransmit?.(byte);
  }

  private command(bytes: number[]): void {
    const [status = 0, a = 0, b = 0] = bytes;
    const high = status & 0xf0;
    if (status === REPORT_VERSION) this.send([REPORT_VERSION, 2, 5]);
    else if (status === SET_PIN_MODE) this.setMode(a, b);
    else if (status === SET_DIGITAL_PIN_VALUE) this.writePin(a, b ? 1 : 0);
    else if (high === DIGITAL_MESSAGE) this.writePort(status & 0x0f, a | (b << 7));
    else if (high === ANALOG_MESSAGE) this.writePin(status & 0x0f, a | (b << 7) ? 1 : 0);
    else if (high === REPORT_DIGITAL) {
      const port = status & 0x0f;
      if (a) {
        this.reporting.add(port);
        this.reportPort(port); // StandardFirmata answers with the port's value at once
      } else this.reporting.delete(port);
    }
  }

  private sysex(body: number[]): void {
    const [command] = body;
    if (command === REPORT_FIRMWARE) this.sendFirmware();
    else if (command === CAPABILITY_QUERY)
      this.send([START_SYSEX, CAPABILITY_RESPONSE, ...capabilities(), END_SYSEX]);
    else if (command === ANALOG_MAPPING_QUERY) {
      const channels = Array.from({ length: PINS }, (_, pin) => (pin >= 14 ? pin - 14 : 0x7f));
      this.send([START_SYSEX, ANALOG_MAPPING_RESPONSE, ...channels, END_SYSEX]);
    }
  }

  private sendFirmware(): void {
    const name = [...Buffer.from(FIRMWARE)].flatMap((c) => [c & 0x7f, c >> 7]);
    this.send([START_SYSEX, REPORT_FIRMWARE, 2, 5, ...name, END_SYSEX]);
  }

  private setMode(pin: number, mode: number): void {
    this.modes.set(pin, mode);
    if (mode === MODE.PULLUP) this.pullups.add(pin);
    else if (mode === MODE.INPUT) this.pullups.delete(pin);
  }

  /** DIGITAL_MESSAGE: outputs take their bit; an INPUT pin written high gets its pull-up (Firmata 2.5) */
  private writePort(port: number, value: number): void {
    for (let bit = 0; bit < 8; bit++) {
      const pin = port * 8 + bit;
      const high = (value >> bit) & 1 ? 1 : 0;
      const mode = this.modes.get(pin);
      if (mode === MODE.OUTPUT) this.writePin(pin, high);
      else if (mode === MODE.INPUT && high) this.pullups.add(pin);
    }
  }

  private writePin(pin: number, level: 0 | 1): void {
    if ((this.outputs.get(pin) ?? 0) === level && this.outputs.has(pin)) return;
    this.outputs.set(pin, level);
    this.changes.push({ pin, level, at: Date.now() });
  }

  /** the DIGITAL_MESSAGE a board sends when an input of a reported port changes */
  private reportPort(port: number): void {
    if (!this.reporting.has(port)) return;
    let value = 0;
    for (let bit = 0; bit < 8; bit++) {
      const pin = port * 8 + bit;
      const mode = this.modes.get(pin);
      if ((mode === MODE.INPUT || mode === MODE.PULLUP) && this.level(pin)) value |= 1 << bit;
    }
    this.send([DIGITAL_MESSAGE | port, value & 0x7f, value >> 7]);
  }
}
