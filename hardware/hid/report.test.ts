// Keypad report decoding against the fixture reports, and properties over random bytes.
import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAST_HALF_MS, litAt, SLOW_HALF_MS } from '../blink.js';
import type { LedPattern } from '../port.js';
import { findKeypadProfile, type ReportLayout } from './profiles.js';
import { decodeReport, keyboardLedByte, keyChanges } from './report.js';

interface FixtureReport {
  hex: string;
  keys?: number[];
  unknown?: number[];
  error?: string;
  description: string;
}
const fixture = JSON.parse(
  readFileSync(new URL('../../test/support/hid-fixtures/keypad-boot.json', import.meta.url), 'utf8'),
) as {
  reports: FixtureReport[];
};
const keypad = findKeypadProfile('keypad-boot');
const buttonBox = findKeypadProfile('buttonbox-16');
if (!keypad || !buttonBox) throw new Error('profiles missing');

describe('decodeReport', () => {
  it.each(fixture.reports)('boot keypad: $description', (r) => {
    const decoded = decodeReport(keypad.report, Buffer.from(r.hex, 'hex'));
    if (r.error) {
      expect(decoded).toMatchObject({ ok: false, reason: r.error });
    } else {
      expect(decoded).toEqual({ ok: true, keys: r.keys, unknown: r.unknown ?? [] });
    }
  });

  it('rejects a report shorter than the layout, and one with another report id', () => {
    expect(decodeReport(keypad.report, Buffer.from('00005900', 'hex'))).toMatchObject({
      ok: false,
      reason: 'short',
    });
    const numbered: ReportLayout = { ...buttonBox.report, reportId: 3, length: 3, firstByte: 1 };
    expect(decodeReport(numbered, Buffer.from('020100', 'hex'))).toMatchObject({
      ok: false,
      reason: 'report-id',
    });
    expect(decodeReport(numbered, Buffer.from('030180', 'hex'))).toEqual({
      ok: true,
      keys: [0, 15],
      unknown: [],
    });
  });

  it('bitmap: bits beyond the profile keys are unknown', () => {
    expect(decodeReport(buttonBox.report, Buffer.from('050001', 'hex'))).toEqual({
      ok: true,
      keys: [0, 2],
      unknown: [16],
    });
  });

  it('never throws on any bytes, and every key it returns is one of the profile', () => {
    for (const profile of [keypad, buttonBox]) {
      fc.assert(
        fc.property(fc.uint8Array({ maxLength: 40 }), (bytes) => {
          const d = decodeReport(profile.report, bytes);
          if (d.ok) for (const k of d.keys) expect(k >= 0 && k < profile.keys).toBe(true);
        }),
      );
    }
  });
});

describe('keyChanges', () => {
  it('takes the held set from before to after, releases first, each key once', () => {
    const keySet = fc.uniqueArray(fc.integer({ min: 0, max: 20 }), { maxLength: 8 });
    fc.assert(
      fc.property(keySet, keySet, (before, after) => {
        const held = new Set(before);
        const changes = keyChanges(held, after);
        const firstPress = changes.findIndex((c) => c.type === 'press');
        if (firstPress >= 0) expect(changes.slice(firstPress).every((c) => c.type === 'press')).toBe(true);
        for (const c of changes) {
          if (c.type === 'press') {
            expect(held.has(c.key)).toBe(false);
            held.add(c.key);
          } else {
            expect(held.delete(c.key)).toBe(true);
          }
        }
        expect([...held].sort()).toEqual([...after].sort());
      }),
    );
  });
});

describe('keyboard LEDs', () => {
  it('blinks slow at 1 Hz and fast at 4 Hz, both starting lit', () => {
    const at = (p: LedPattern) => [0, 1, 2, 3].map((i) => litAt(p, i * FAST_HALF_MS));
    expect(at('fast')).toEqual([true, false, true, false]);
    expect(at('slow')).toEqual([true, true, true, true]);
    expect(litAt('slow', SLOW_HALF_MS)).toBe(false);
    expect(at('on')).toEqual([true, true, true, true]);
    expect(at('off')).toEqual([false, false, false, false]);
  });

  it('maps LEDs 0..2 to Num, Caps and Scroll Lock and ignores the rest', () => {
    const frame = [
      { pattern: 'on' as const },
      { pattern: 'off' as const },
      { pattern: 'fast' as const },
      { pattern: 'on' as const },
    ];
    expect(keyboardLedByte(frame, 0)).toBe(0b101);
    expect(keyboardLedByte(frame, FAST_HALF_MS)).toBe(0b001);
    expect(keyboardLedByte([], 0)).toBe(0);
  });
});
