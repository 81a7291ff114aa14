// The one blink timing every driver that blinks by itself uses (GPIO, HID keyboard LEDs, Stream Deck
// redraws): the hanvisa firmware's half periods, slow 1 Hz and fast 4 Hz, both patterns starting lit.
// The firmware and johnny-five (Firmata) blink in their own code with the same profile values.
import type { LedFrame, LedPattern } from './port.js';
import { hanvisa8k8l } from './profiles/hanvisa-8k8l.js';

export const SLOW_HALF_MS = hanvisa8k8l.slowHalfMs;
export const FAST_HALF_MS = hanvisa8k8l.fastHalfMs;

/** Whether a pattern is lit `ms` into the blink cycle (both patterns start lit). */
export function litAt(pattern: LedPattern, ms: number): boolean {
  switch (pattern) {
    case 'off':
      return false;
    case 'on':
      return true;
    case 'slow':
      return Math.floor(ms / SLOW_HALF_MS) % 2 === 0;
    case 'fast':
      return Math.floor(ms / FAST_HALF_MS) % 2 === 0;
  }
}

/** Whether any of the first `leds` LEDs blinks, i.e. the driver needs a blink timer. */
export function blinks(frame: LedFrame, leds = frame.length): boolean {
  return frame.slice(0, leds).some((s) => s.pattern === 'slow' || s.pattern === 'fast');
}

/**
 * Calls `draw(phaseMs)` now and, while the frame blinks, every fast half period (which is also a
 * slow half-period boundary), so every blinking LED of a panel shares one phase. Nothing runs while
 * no LED blinks. `draw` decides what changed, with litAt.
 */
export class Blinker {
  private start = 0;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly draw: (phaseMs: number) => void,
    private readonly now: () => number = Date.now,
  ) {}

  update(frame: LedFrame, leds = frame.length): void {
    if (blinks(frame, leds)) {
      if (!this.timer) {
        this.start = this.now();
        this.timer = setInterval(() => this.draw(this.now() - this.start), FAST_HALF_MS);
      }
    } else {
      this.stop();
    }
    this.draw(this.now() - this.start);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
  }
}
