// Runs the real firmware image (firmware/build/panel.hex) on avr8js: an ATmega328P at 16 MHz with
// ports B/C/D, timers 0/1/2, USART0, the watchdog and EEPROM. Time is emulated: it advances only in
// run(), by CPU cycles, so tests measure periods and latencies in cycles and never sleep.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  AVRClock,
  AVREEPROM,
  AVRIOPort,
  AVRTimer,
  AVRUSART,
  AVRWatchdog,
  avrInstruction,
  CPU,
  EEPROMMemoryBackend,
  PinState,
  portBConfig,
  portCConfig,
  portDConfig,
  timer0Config,
  timer1Config,
  timer2Config,
  usart0Config,
  watchdogConfig,
} from 'avr8js';
import { hanvisa8k8l, type PanelPin, type SerialPanelProfile } from '../../hardware/profiles/hanvisa-8k8l.js';

export const FIRMWARE_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../firmware');
export const HEX_PATH = join(FIRMWARE_DIR, 'build/panel.hex');
const ELF_PATH = join(FIRMWARE_DIR, 'build/panel.elf');

/**
 * Builds the firmware with its Makefile (as a fresh clone needs); returns make's output incl. avr-size.
 * Test files run in parallel workers, so the build holds a lock: two makes must not write one build/.
 */
export function buildFirmware(): string {
  const lock = join(tmpdir(), 'hanvisa-firmware-build.lock');
  return execFileSync('flock', [lock, 'make', '-C', FIRMWARE_DIR], { encoding: 'utf8' });
}

/** Intel HEX → program memory words. */
export function loadHex(text: string, flashBytes = 0x8000): Uint16Array {
  const flash = new Uint8Array(flashBytes);
  let base = 0;
  for (const line of text.split(/\r?\n/)) {
    if (!line.startsWith(':')) continue;
    const bytes = Buffer.from(line.slice(1), 'hex');
    const count = bytes[0] ?? 0;
    const address = ((bytes[1] ?? 0) << 8) | (bytes[2] ?? 0);
    const type = bytes[3];
    const data = bytes.subarray(4, 4 + count);
    if (type === 0x00) flash.set(data, base + address);
    else if (type === 0x02) base = (((data[0] ?? 0) << 8) | (data[1] ?? 0)) << 4;
    else if (type === 0x04) base = (((data[0] ?? 0) << 8) | (data[1] ?? 0)) << 16;
  }
  return new Uint16Array(flash.buffer);
}

/** Byte address of a symbol in the ELF (avr-nm is part of binutils-avr, which the build needs anyway). */
function symbolAddress(name: string): number {
  const line = execFileSync('avr-nm', [ELF_PATH], { encoding: 'utf8' })
    .split('\n')
    .find((l) => l.endsWith(` ${name}`));
  if (!line) throw new Error(`symbol ${name} not in ${ELF_PATH}`);
  return Number.parseInt(line.split(' ')[0] ?? '', 16);
}

const MCUSR = 0x54;
const UCSR0A = usart0Config.UCSRA;
const UCSR0A_FE = 0x10;
const SREG = 0x5f;
const SREG_I = 0x80;
export const MCUSR_EXTRF = 0x02;

export interface TransmittedByte {
  /** emulated cycle at which the byte has fully left the TX pin */
  cycle: number;
  byte: number;
}

export class PanelEmulator {
  readonly profile: SerialPanelProfile;
  readonly frequency: number;
  /** everything the panel sent, with timing */
  readonly transmitted: TransmittedByte[] = [];
  /** called for every byte the panel sends (the serial bridge listens here) */
  onTransmit: ((byte: number) => void) | undefined;
  /** every change of an LED pin, with timing */
  readonly ledChanges: { cycle: number; index: number; lit: boolean }[] = [];
  /** how many times the CPU was reset (watchdog or reset pin) */
  resets = 0;

  private readonly program: Uint16Array;
  private readonly eeprom = new EEPROMMemoryBackend(1024);
  private readonly keysDown = new Set<number>();
  /** bytes for the UART; `garbled` ones arrive with the framing-error flag, as line noise gives them */
  private readonly rxQueue: { byte: number; garbled: boolean }[] = [];
  /** whether the byte on its way into the UART (one at a time) is a garbled one */
  private garbledInFlight = false;
  /** cycles run by earlier CPU instances, so emulated time keeps counting across resets */
  private cycleBase = 0;
  private pendingReset: number | undefined;
  private cpu!: CPU;
  private usart!: AVRUSART;
  private ports!: Record<'B' | 'C' | 'D', AVRIOPort>;

  constructor(options: { hardwareId?: Uint8Array; profile?: SerialPanelProfile } = {}) {
    this.profile = options.profile ?? hanvisa8k8l;
    this.frequency = this.profile.clockHz;
    this.program = loadHex(readFileSync(HEX_PATH, 'utf8'));
    this.eeprom.memory.fill(0xff);
    if (options.hardwareId) this.eeprom.memory.set(options.hardwareId);
    this.boot(0x01); // PORF: power on
  }

  /** Emulated time since power-on. */
  get cycles(): number {
    return this.cycleBase + this.cpu.cycles;
  }

  get ms(): number {
    return (this.cycles * 1000) / this.frequency;
  }

  /** Cycles per UART character at the firmware's configured baud rate. */
  get cyclesPerByte(): number {
    return (this.frequency / this.usart.baudRate) * 10;
  }

  /** Runs the CPU for `ms` of emulated time. */
  run(ms: number): void {
    this.runCycles(Math.round((ms * this.frequency) / 1000));
  }

  runCycles(count: number): void {
    const end = this.cycles + count;
    while (this.cycles < end) {
      const { cpu, usart, rxQueue } = this;
      const stop = end - this.cycleBase;
      while (cpu.cycles < stop && this.pendingReset === undefined) {
        const next = rxQueue[0];
        if (next && !usart.rxBusy) {
          rxQueue.shift();
          // A byte arriving while the receiver is off is lost, as on the real UART.
          this.garbledInFlight = next.garbled;
          usart.writeByte(next.byte);
        }
        avrInstruction(cpu);
        cpu.tick();
      }
      if (this.pendingReset !== undefined) this.boot(this.pendingReset);
    }
  }

  /** Bytes from the host, clocked into the UART one character time apart. */
  receive(bytes: Iterable<number>): void {
    for (const byte of bytes) this.rxQueue.push({ byte, garbled: false });
  }

  /** A byte the UART receives with a framing error (noise on the line, a wrong baud rate). */
  receiveGarbled(byte: number): void {
    this.rxQueue.push({ byte, garbled: true });
  }

  /** Presses (true) or releases a key: the switch pulls the pin to GND. */
  setKey(key: number, down: boolean): void {
    if (down) this.keysDown.add(key);
    else this.keysDown.delete(key);
    const pin = this.pinOf(this.profile.keys, key);
    this.ports[pin.port].setPin(pin.bit, !down);
  }

  /** Contact bounce: `edges` extra toggles `gapMs` apart, ending in the new state. */
  bounce(key: number, down: boolean, edges: number, gapMs: number): void {
    for (let i = 0; i < edges; i++) {
      this.setKey(key, i % 2 === 0 ? down : !down);
      this.run(gapMs);
    }
    this.setKey(key, down);
  }

  led(index: number): boolean {
    const pin = this.pinOf(this.profile.leds, index);
    return this.ports[pin.port].pinState(pin.bit) === PinState.High;
  }

  leds(): boolean[] {
    return this.profile.leds.map((_, i) => this.led(i));
  }

  /** Makes the main loop hang for good: jumps into avr-libc's endless loop with interrupts on. */
  hang(): void {
    this.cpu.pc = symbolAddress('__stop_program') / 2;
  }

  /** A main-loop stall of `ms` (interrupts keep running, as during a slow EEPROM or flash write):
   * the loop is parked in avr-libc's endless loop, `during` runs at its end, and the loop resumes
   * where it was. Shorter than the watchdog's 500 ms. */
  stall(ms: number, during: () => void = () => {}): void {
    // not inside an atomic block: the stall is the loop being slow, the millisecond tick goes on
    while (!((this.cpu.data[SREG] ?? 0) & SREG_I)) this.runCycles(1);
    const pc = this.cpu.pc;
    this.cpu.pc = symbolAddress('__stop_program') / 2;
    this.run(ms);
    during();
    this.runCycles(8);
    this.cpu.pc = pc;
  }

  /** Pulls the reset pin. */
  reset(): void {
    this.boot(MCUSR_EXTRF);
  }

  private pinOf(pins: readonly PanelPin[], index: number): PanelPin {
    const pin = pins[index];
    if (!pin) throw new Error(`no pin ${index} on ${this.profile.model}`);
    return pin;
  }

  /** A fresh CPU and peripherals, as after a real reset; EEPROM, the keys held and time carry over. */
  private boot(resetCause: number): void {
    if (this.cpu) {
      // every pin floats during reset: lit LEDs go dark
      for (const [index, lit] of this.leds().entries()) {
        if (lit) this.ledChanges.push({ cycle: this.cycles, index, lit: false });
      }
      this.cycleBase += this.cpu.cycles;
      this.resets++;
    }
    this.pendingReset = undefined;
    const cpu = new CPU(this.program);
    const clock = new AVRClock(cpu, this.frequency);
    new AVRTimer(cpu, timer0Config);
    new AVRTimer(cpu, timer1Config);
    new AVRTimer(cpu, timer2Config);
    new AVRWatchdog(cpu, watchdogConfig, clock);
    new AVREEPROM(cpu, this.eeprom);
    this.usart = new AVRUSART(cpu, usart0Config, this.frequency);
    // avr8js has no line errors: FE is set (or cleared) as each byte lands, as the silicon does
    this.usart.onRxComplete = () => {
      const flags = cpu.data[UCSR0A] ?? 0;
      cpu.data[UCSR0A] = this.garbledInFlight ? flags | UCSR0A_FE : flags & ~UCSR0A_FE;
    };
    this.usart.onByteTransmit = (byte) => {
      this.transmitted.push({ cycle: this.cycles + this.cyclesPerByte, byte });
      this.onTransmit?.(byte);
    };
    this.ports = {
      B: new AVRIOPort(cpu, portBConfig),
      C: new AVRIOPort(cpu, portCConfig),
      D: new AVRIOPort(cpu, portDConfig),
    };
    this.cpu = cpu;
    const lit = this.leds();
    for (const port of Object.values(this.ports)) {
      port.addListener(() => {
        for (const [index, was] of lit.entries()) {
          const now = this.led(index);
          if (now !== was) {
            lit[index] = now;
            this.ledChanges.push({ cycle: this.cycles, index, lit: now });
          }
        }
      });
    }
    for (const key of this.profile.keys.keys()) this.setKey(key, this.keysDown.has(key));
    cpu.data[MCUSR] = resetCause;
    // The watchdog resets the CPU from inside tick(); rebuild everything once the tick is over.
    cpu.reset = () => {
      this.pendingReset = 0x08; // WDRF
    };
  }
}
