import { describe, expect, it } from 'vitest';
import { BLINK_HALF_MS, blinks, litAt } from './blink.js';
import type { LedPattern } from './port.js';

describe('blink timing', () => {
  it('blinks slow at 1 Hz and fast at 4 Hz, both starting lit', () => {
    const at = (p: LedPattern) => [0, 1, 2, 3].map((i) => litAt(p, i * BLINK_HALF_MS.fast));
    expect(at('fast')).toEqual([true, false, true, false]);
    expect(at('slow')).toEqual([true, true, true, true]);
    expect(litAt('slow', BLINK_HALF_MS.slow)).toBe(false);
    expect(at('on')).toEqual([true, true, true, true]);
    expect(at('off')).toEqual([false, false, false, false]);
  });

  it('needs a blink timer only for the LEDs that blink', () => {
    const frame = [{ pattern: 'on' as const }, { pattern: 'off' as const }, { pattern: 'slow' as const }];
    expect(blinks(frame)).toBe(true);
    expect(blinks(frame, 2)).toBe(false);
  });
});
