// The GPIO edge: the part of node-libgpiod the driver uses. node-libgpiod binds libgpiod 1.6 (Debian 12 /
// Raspberry Pi OS bookworm), which drives the Linux GPIO character device (/dev/gpiochipN). It is a native
// module built against libgpiod-dev at install time, so it is an optional dependency, loaded on first use:
// an agent on another driver never loads it. Tests inject a fake of exactly this surface.
import { createRequire } from 'node:module';

/** The flags of libgpiod's line requests (node-libgpiod's Line.RequestFlags). */
export interface GpioRequestFlags {
  ACTIVE_LOW: number;
  BIAS_PULL_UP: number;
}

export interface GpioChip {
  readonly label: string;
}

/** One requested line. A failed ioctl throws an errno error (code ENODEV when the chip went). */
export interface GpioLine {
  requestInputModeFlags(consumer: string, flags: number): void;
  requestOutputMode(consumer?: string, defaultValue?: 0 | 1): void;
  getValue(): number;
  setValue(value: 0 | 1): void;
  release(): void;
}

export interface GpioLibrary {
  /** gpiochip0, gpiochip4, ... */
  getChipNames(): string[];
  Chip: new (name: string) => GpioChip;
  Line: (new (chip: GpioChip, offset: number) => GpioLine) & { RequestFlags: GpioRequestFlags };
}

export async function loadLibgpiod(): Promise<GpioLibrary> {
  try {
    return createRequire(import.meta.url)('node-libgpiod') as GpioLibrary;
  } catch (e) {
    throw new Error(
      "the GPIO driver needs node-libgpiod, which did not install or build here: install Debian's " +
        `libgpiod-dev, then \`npm rebuild node-libgpiod\` (deploy/pi/install.sh does both): ${(e as Error).message}`,
    );
  }
}
