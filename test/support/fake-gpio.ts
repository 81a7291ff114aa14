// TEST FAKE at the true hardware edge: node-libgpiod's chips and lines (hardware/gpio/library.ts), since
// this machine has no GPIO chip and its kernel has no gpio-sim module (`modprobe gpio-sim`: not found).
// A line behaves as libgpiod's does: it must be requested before use, honours ACTIVE_LOW and the pull-up
// bias (an input left floating without it reads noise, here: 0), and a chip that goes makes every call
// fail with ENODEV. Key contacts are driven by replaying edges (fixtures/gpio-*.txt, gpiomon's format).
import { readFileSync } from 'node:fs';
import type { GpioChip, GpioLibrary, GpioLine, GpioRequestFlags } from '../../hardware/gpio/library.js';

const FLAGS: GpioRequestFlags = { ACTIVE_LOW: 1 << 2, BIAS_PULL_UP: 1 << 5 };

function errno(code: string, message: string): Error {
  return Object.assign(new Error(`${message}, ${code}`), { code });
}

interface LineState {
  /** the physical level on the pin */
  level: 0 | 1;
  mode: 'free' | 'input' | 'output';
  flags: number;
  /** output levels written, with the time */
  writes: { at: number; level: 0 | 1 }[];
  /** the next reads fail with this errno */
  failReads: string[];
}

export interface FakeChipSpec {
  name: string;
  label: string;
  lines: number;
}

/** One edge of a recorded trace: ms from the trace's start, the GPIO, the level after it. */
export interface Edge {
  atMs: number;
  gpio: number;
  level: 0 | 1;
}

/** gpiomon's lines: `event: FALLING EDGE offset: 5 timestamp: [     1.000120000]` */
export function readGpiomonTrace(name: string): Edge[] {
  const text = readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
  const edges: Edge[] = [];
  let start: number | undefined;
  for (const line of text.split('\n')) {
    const m = /event:\s+(RISING|FALLING) EDGE offset: (\d+) timestamp: \[\s*([\d.]+)\]/.exec(line);
    if (!m) continue;
    const seconds = Number(m[3]);
    start ??= seconds;
    edges.push({ atMs: (seconds - start) * 1000, gpio: Number(m[2]), level: m[1] === 'RISING' ? 1 : 0 });
  }
  return edges;
}

export class FakeGpio {
  private readonly chips = new Map<string, { spec: FakeChipSpec; lines: LineState[] }>();
  private readonly gone = new Set<string>();

  constructor(specs: FakeChipSpec[]) {
    for (const spec of specs) {
      const lines = Array.from(
        { length: spec.lines },
        (): LineState => ({
          level: 1, // pulled up: a key not pressed
          mode: 'free',
          flags: 0,
          writes: [],
          failReads: [],
        }),
      );
      this.chips.set(spec.name, { spec, lines });
    }
  }

  /** What the driver gets instead of node-libgpiod. */
  readonly library: GpioLibrary = (() => {
    const fake = this;
    class Chip implements GpioChip {
      constructor(readonly name: string) {
        if (!fake.chips.has(name) || fake.gone.has(name))
          throw errno('ENOENT', `failed to open chip ${name}`);
      }
      get label(): string {
        return fake.chip(this.name).spec.label;
      }
    }
    class Line implements GpioLine {
      static RequestFlags = FLAGS;
      private readonly chipName: string;
      constructor(
        chip: GpioChip,
        private readonly offset: number,
      ) {
        this.chipName = (chip as Chip).name;
        if (offset >= fake.chip(this.chipName).spec.lines) throw errno('EINVAL', `no line ${offset}`);
      }
      private state(): LineState {
        if (fake.gone.has(this.chipName)) throw errno('ENODEV', '::getValue');
        const s = fake.chip(this.chipName).lines[this.offset];
        if (!s) throw errno('EINVAL', `no line ${this.offset}`);
        return s;
      }
      requestInputModeFlags(_consumer: string, flags: number): void {
        const s = this.state();
        if (s.mode !== 'free') throw errno('EBUSY', '::requestInputModeFlags');
        s.mode = 'input';
        s.flags = flags;
      }
      requestOutputMode(_consumer?: string, defaultValue: 0 | 1 = 0): void {
        const s = this.state();
        if (s.mode !== 'free') throw errno('EBUSY', '::requestOutputMode');
        s.mode = 'output';
        s.level = defaultValue;
        s.writes.push({ at: Date.now(), level: defaultValue });
      }
      getValue(): number {
        const s = this.state();
        if (s.mode === 'free') throw errno('EPERM', '::getValue');
        const failure = s.failReads.shift();
        if (failure) throw errno(failure, '::getValue');
        const level = s.mode === 'input' && !(s.flags & FLAGS.BIAS_PULL_UP) && s.level === 1 ? 0 : s.level;
        return s.flags & FLAGS.ACTIVE_LOW ? 1 - level : level;
      }
      setValue(value: 0 | 1): void {
        const s = this.state();
        if (s.mode !== 'output') throw errno('EPERM', '::setValue');
        s.level = value;
        s.writes.push({ at: Date.now(), level: value });
      }
      release(): void {
        const s = fake.chip(this.chipName).lines[this.offset];
        if (s) s.mode = 'free';
      }
    }
    return {
      getChipNames: () => [...fake.chips.keys()].filter((n) => !fake.gone.has(n)),
      Chip,
      Line,
    };
  })();

  private chip(name: string) {
    const c = this.chips.get(name);
    if (!c) throw new Error(`no fake chip ${name}`);
    return c;
  }

  private line(gpio: number, chip?: string): LineState {
    const name = chip ?? [...this.chips.keys()][0];
    const s = name ? this.chip(name).lines[gpio] : undefined;
    if (!s) throw new Error(`no fake line ${gpio}`);
    return s;
  }

  /** A contact: the level on an input pin (0 = switched to GND, i.e. pressed). */
  drive(gpio: number, level: 0 | 1, chip?: string): void {
    this.line(gpio, chip).level = level;
  }

  /** Plays a trace from now, on the (fake) timers: each edge at its time. */
  replay(edges: readonly Edge[], chip?: string): void {
    for (const e of edges) setTimeout(() => this.drive(e.gpio, e.level, chip), e.atMs);
  }

  /** The output level on a pin now (an LED lit at 1). */
  level(gpio: number, chip?: string): 0 | 1 {
    return this.line(gpio, chip).level;
  }

  /** How the line was requested: what the driver asked the kernel for. */
  request(gpio: number, chip?: string): { mode: string; flags: number } {
    const s = this.line(gpio, chip);
    return { mode: s.mode, flags: s.flags };
  }

  /** The next read of this line fails with errno code (EIO: a transient error). */
  failRead(gpio: number, code = 'EIO', chip?: string): void {
    this.line(gpio, chip).failReads.push(code);
  }

  /** The chip goes (driver unbound, HAT expander unplugged): every call fails, it is no longer listed. */
  unplug(chip: string): void {
    this.gone.add(chip);
  }

  /** Back, with every line free and the contacts open. */
  replug(chip: string): void {
    this.gone.delete(chip);
    for (const s of this.chip(chip).lines) {
      s.mode = 'free';
      s.level = 1;
    }
  }
}
