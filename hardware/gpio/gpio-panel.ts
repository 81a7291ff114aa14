// KeyPanel driver for keys and LEDs on a Raspberry Pi's own header (docs/gpio-panels.md), through the GPIO
// character device with node-libgpiod. Keys are sampled every pollMs and debounced here (node-libgpiod
// requests edge events but cannot read them, so the lines are polled: 8 reads every 5 ms); press and
// release go to the agent, which times long presses from the organisation's policy as for every driver
// that reports levels. LEDs blink with the shared Blinker. A chip that cannot be opened (not there,
// lines busy, no permission) is retried with backoff (reopen.ts, which also replays the last frame);
// reads that keep failing count as the chip gone.
import { createLogger, type Logger } from '../../log/logger.js';
import { Blinker, litAt } from '../blink.js';
import type { KeyPanel, LedFrame, PanelDescription, PanelListener } from '../port.js';
import type { GpioPanelProfile } from '../profiles/raspberry-pi.js';
import { Reopen } from '../reopen.js';
import { type DebounceState, debounce, settled } from './debounce.js';
import { type GpioChip, type GpioLibrary, type GpioLine, loadLibgpiod } from './library.js';

export type GpioRejectReason = 'read-error' | 'bad-value';

/** failed reads in a row (over all keys) before the chip counts as gone */
const READ_FAILURES_GONE = 3;
const CONSUMER = 'hanvisa';

export interface GpioPanelOptions {
  profile: GpioPanelProfile;
  /** a chip name (gpiochip0) instead of finding the profile's chip by label */
  chip?: string;
  /** node-libgpiod by default; tests pass a fake */
  library?: GpioLibrary;
  retryMinMs?: number;
  retryMaxMs?: number;
  log?: Logger;
}

interface Lines {
  chipName: string;
  keys: GpioLine[];
  leds: GpioLine[];
  debounce: DebounceState[];
  /** what each LED line shows now, to write only changes */
  shown: (0 | 1 | undefined)[];
  poll: ReturnType<typeof setInterval>;
}

export class GpioPanel implements KeyPanel {
  /** samples we dropped, by reason */
  readonly rejected = new Map<GpioRejectReason, number>();

  private readonly profile: GpioPanelProfile;
  private readonly log: Logger;
  private readonly reopen: Reopen;
  private readonly blinker = new Blinker((phaseMs) => this.writeLeds(phaseMs));
  private library: GpioLibrary | undefined;
  private listener: PanelListener | undefined;
  private lines: Lines | undefined;
  private readFailures = 0;

  constructor(private readonly options: GpioPanelOptions) {
    this.profile = options.profile;
    this.library = options.library;
    this.log = options.log ?? createLogger('gpio-panel');
    this.reopen = new Reopen({
      attempt: () => this.connect(),
      replay: (frame) => this.blinker.update(frame, this.profile.leds.length),
      retryMinMs: options.retryMinMs ?? 500,
      retryMaxMs: options.retryMaxMs ?? 5000,
    });
  }

  async open(listener: PanelListener): Promise<void> {
    this.listener = listener;
    this.library ??= await loadLibgpiod();
    this.reopen.start(listener);
  }

  show(frame: LedFrame): void {
    this.reopen.show(frame);
  }

  /** LEDs off (a stopped agent must not leave a referral lit), lines released for the next user. */
  async close(): Promise<void> {
    this.reopen.stop();
    const lines = this.lines;
    this.lines = undefined;
    this.blinker.stop();
    if (!lines) return;
    for (const led of lines.leds) {
      try {
        led.setValue(0);
      } catch {
        // the chip went; nothing is lit on a chip that is gone
      }
    }
    this.release(lines);
  }

  private chipName(library: GpioLibrary): { name: string; chip: GpioChip } {
    if (this.options.chip) return { name: this.options.chip, chip: new library.Chip(this.options.chip) };
    // the profile's usual chip first, then every other: the Pi 5's RP1 moved from gpiochip4 to gpiochip0
    const names = library.getChipNames();
    const order = [this.profile.chip, ...names.filter((n) => n !== this.profile.chip)];
    for (const name of order) {
      if (!names.includes(name)) continue;
      const chip = new library.Chip(name);
      if (chip.label === this.profile.chipLabel) return { name, chip };
    }
    throw new Error(`no GPIO chip labelled ${this.profile.chipLabel} (found: ${names.join(', ') || 'none'})`);
  }

  private connect(): void {
    const library = this.library;
    if (this.reopen.closing || !library) return;
    const requested: GpioLine[] = [];
    let chipName = this.options.chip ?? this.profile.chip;
    try {
      const found = this.chipName(library);
      chipName = found.name;
      const { ACTIVE_LOW, BIAS_PULL_UP } = library.Line.RequestFlags;
      const line = (gpio: number) => {
        const l = new library.Line(found.chip, gpio);
        requested.push(l);
        return l;
      };
      // a key switches to GND: pull-up, and active-low so 1 reads as pressed
      const keys = this.profile.keys.map((p) => {
        const l = line(p.gpio);
        l.requestInputModeFlags(CONSUMER, ACTIVE_LOW | BIAS_PULL_UP);
        return l;
      });
      const leds = this.profile.leds.map((p) => {
        const l = line(p.gpio);
        l.requestOutputMode(CONSUMER, 0);
        return l;
      });
      const now = Date.now();
      // a key held while the driver starts counts once it is let go and pressed again
      const debounced = keys.map((k) => settled(k.getValue() === 1, now));
      this.lines = {
        chipName,
        keys,
        leds,
        debounce: debounced,
        shown: leds.map(() => 0),
        poll: setInterval(() => this.sample(), this.profile.pollMs),
      };
    } catch (e) {
      for (const l of requested) this.releaseLine(l);
      this.absent(`GPIO ${chipName}: ${(e as Error).message}`);
      return;
    }
    this.readFailures = 0;
    const description: PanelDescription = {
      hardwareId: `gpio-${chipName}`,
      model: this.profile.model,
      keys: this.profile.keys.length,
      leds: this.profile.leds.length,
      reportsLongPress: false,
      colors: false,
    };
    this.log.info('GPIO panel ready', { chip: chipName, ...description });
    this.reopen.connected(description);
  }

  private sample(): void {
    const lines = this.lines;
    if (!lines) return;
    const now = Date.now();
    for (let key = 0; key < lines.keys.length; key++) {
      let value: number;
      try {
        value = lines.keys[key]?.getValue() ?? 0;
      } catch (e) {
        this.readFailures++;
        if (this.readFailures >= READ_FAILURES_GONE) {
          this.lost(lines, `reads keep failing: ${(e as Error).message}`);
          return;
        }
        this.reject('read-error', `key ${key}: ${(e as Error).message}`);
        continue;
      }
      this.readFailures = 0;
      if (value !== 0 && value !== 1) {
        this.reject('bad-value', `key ${key} read ${String(value)}`);
        continue;
      }
      const state = lines.debounce[key];
      if (!state) continue;
      const { state: next, change } = debounce(state, value === 1, now, this.profile.debounceMs);
      lines.debounce[key] = next;
      if (change) this.listener?.key({ type: change, key });
    }
  }

  private writeLeds(phaseMs: number): void {
    const lines = this.lines;
    if (!lines) return;
    lines.leds.forEach((led, i) => {
      const value = litAt(this.reopen.frame[i]?.pattern ?? 'off', phaseMs) ? 1 : 0;
      if (lines.shown[i] === value) return;
      try {
        led.setValue(value);
        lines.shown[i] = value;
      } catch (e) {
        // written again on the next change; a chip that went is noticed by the key reads
        lines.shown[i] = undefined;
        this.listener?.fault(new Error(`GPIO LED ${i} not set: ${(e as Error).message}`));
      }
    });
  }

  private reject(reason: GpioRejectReason, detail: string): void {
    this.rejected.set(reason, (this.rejected.get(reason) ?? 0) + 1);
    this.log.warn('bad GPIO sample', { reason, detail });
    this.listener?.fault(new Error(`bad GPIO sample (${reason}): ${detail}`));
  }

  /** The chip went: let go, say so, try again. A key held then is forgotten, never released. */
  private lost(lines: Lines, why: string): void {
    this.lines = undefined;
    this.blinker.stop();
    this.release(lines);
    this.reopen.lost(new Error(`GPIO ${lines.chipName}: ${why}`));
    this.reopen.retry();
  }

  private absent(why: string): void {
    this.log.debug('GPIO chip not available', { why });
    this.reopen.absent(why);
  }

  private release(lines: Lines): void {
    clearInterval(lines.poll);
    for (const l of [...lines.keys, ...lines.leds]) this.releaseLine(l);
  }

  private releaseLine(line: GpioLine): void {
    try {
      line.release();
    } catch {
      // released with the chip's file descriptor anyway
    }
  }
}
