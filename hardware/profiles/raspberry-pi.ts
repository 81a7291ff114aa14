// A desk built on a Raspberry Pi's 40-pin header: 8 keys and 8 LEDs, like the hanvisa key panel.
// Keys switch a GPIO to GND (internal pull-up, so a pressed key reads low); each LED hangs from a GPIO
// through a 330 Ω resistor to GND (high = lit). Pins avoid I²C (2, 3), UART (14, 15) and SPI0 (7–11),
// so a HAT or a serial console can share the header. docs/gpio-panels.md has the wiring table.
// The Pi 4's header is on the SoC's own chip (label pinctrl-bcm2711, gpiochip0); the Pi 5's on the RP1
// south bridge (label pinctrl-rp1: gpiochip4 on kernels before 6.6.45, gpiochip0 since). The driver
// finds the chip by label, so the same profile works on either kernel.
import { hanvisa8k8l } from './hanvisa-8k8l.js';

export interface GpioPin {
  /** the line offset on the chip: the BCM GPIO number */
  gpio: number;
  /** the physical pin on the 40-pin header */
  header: number;
}

export interface GpioPanelProfile {
  model: string;
  /** the GPIO chip's label; found among /dev/gpiochip* */
  chipLabel: string;
  /** where to look first (and the name the udev rule and docs use) */
  chip: string;
  /** index = key number */
  keys: readonly GpioPin[];
  /** index = LED number in a frame */
  leds: readonly GpioPin[];
  debounceMs: number;
  /** how often the key lines are sampled */
  pollMs: number;
}

const KEYS: readonly GpioPin[] = [
  { gpio: 5, header: 29 },
  { gpio: 6, header: 31 },
  { gpio: 13, header: 33 },
  { gpio: 19, header: 35 },
  { gpio: 26, header: 37 },
  { gpio: 16, header: 36 },
  { gpio: 20, header: 38 },
  { gpio: 21, header: 40 },
];

const LEDS: readonly GpioPin[] = [
  { gpio: 4, header: 7 },
  { gpio: 17, header: 11 },
  { gpio: 27, header: 13 },
  { gpio: 22, header: 15 },
  { gpio: 23, header: 16 },
  { gpio: 24, header: 18 },
  { gpio: 25, header: 22 },
  { gpio: 12, header: 32 },
];

const common = {
  keys: KEYS,
  leds: LEDS,
  // the firmware panel's debounce: the same switches feel the same on every desk
  debounceMs: hanvisa8k8l.debounceMs,
  pollMs: 5,
};

export const raspberryPi4: GpioPanelProfile = {
  model: 'rpi4-gpio-8k8l',
  chipLabel: 'pinctrl-bcm2711',
  chip: 'gpiochip0',
  ...common,
};

export const raspberryPi5: GpioPanelProfile = {
  model: 'rpi5-gpio-8k8l',
  chipLabel: 'pinctrl-rp1',
  chip: 'gpiochip4',
  ...common,
};

export const GPIO_PROFILES: readonly GpioPanelProfile[] = [raspberryPi4, raspberryPi5];

/** 'pi4' / 'pi5' or a full model name; undefined when unknown. */
export function findGpioProfile(name: string): GpioPanelProfile | undefined {
  const short: Record<string, GpioPanelProfile> = { pi4: raspberryPi4, pi5: raspberryPi5 };
  return short[name] ?? GPIO_PROFILES.find((p) => p.model === name);
}
