// How every panel blinks: the one table of blink rates (the firmware's panel_config.h is checked
// against it through the panel profile) and the one rule for "is it lit now", for drivers that blink
// by redrawing (HID keypads, the terminal, a Stream Deck) instead of in the device.
import type { LedFrame, LedPattern } from './port.js';

/** Half periods: slow blink 1 Hz (Grästorp/Essunga's "extend now"), fast 4 Hz (the queue past its limit). */
export const BLINK_HALF_MS = { slow: 500, fast: 125 } as const;

/** Whether a pattern is lit `ms` into the blink cycle (both patterns start lit). */
export function litAt(pattern: LedPattern, ms: number): boolean {
  if (pattern === 'on' || pattern === 'off') return pattern === 'on';
  return Math.floor(ms / BLINK_HALF_MS[pattern]) % 2 === 0;
}

/** Whether any of the first `leds` LEDs blinks, i.e. a redrawing driver needs a blink timer. */
export function blinks(frame: LedFrame, leds = frame.length): boolean {
  return frame.slice(0, leds).some((s) => s.pattern === 'slow' || s.pattern === 'fast');
}
