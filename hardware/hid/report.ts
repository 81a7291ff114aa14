// Pure decoding of keypad input reports and encoding of the keyboard-LED output report.
import { litAt } from '../blink.js';
import type { LedFrame } from '../port.js';
import { type ReportLayout, USAGE_ERROR_MAX } from './profiles.js';

export type ReportRejectReason = 'short' | 'report-id' | 'rollover';

export type DecodedReport =
  | {
      ok: true;
      /** held keys, ascending */
      keys: number[];
      /** usage codes (or bit numbers) held that the profile does not know, ascending */
      unknown: number[];
    }
  | { ok: false; reason: ReportRejectReason; detail: string };

export function decodeReport(layout: ReportLayout, bytes: Uint8Array): DecodedReport {
  if (bytes.length < layout.length) {
    return { ok: false, reason: 'short', detail: `${bytes.length} bytes, need ${layout.length}` };
  }
  if (layout.reportId !== undefined && bytes[0] !== layout.reportId) {
    return { ok: false, reason: 'report-id', detail: `report id ${bytes[0]}, expected ${layout.reportId}` };
  }
  const keys = new Set<number>();
  const unknown = new Set<number>();
  if (layout.kind === 'usage-array') {
    const slots = bytes.subarray(layout.firstByte, layout.firstByte + layout.slots);
    // Too many keys held: the device says so in every slot and tells nothing about which keys.
    if (slots.some((u) => u !== 0 && u <= USAGE_ERROR_MAX)) {
      return { ok: false, reason: 'rollover', detail: 'keypad reports an error/rollover state' };
    }
    for (const usage of slots) {
      if (usage === 0) continue;
      const key = layout.usages.get(usage);
      if (key === undefined) unknown.add(usage);
      else keys.add(key);
    }
  } else {
    const bits = (bytes.length - layout.firstByte) * 8;
    for (let bit = 0; bit < bits; bit++) {
      const byte = bytes[layout.firstByte + (bit >> 3)] ?? 0;
      if (!(byte & (1 << (bit & 7)))) continue;
      if (bit < layout.keys) keys.add(bit);
      else unknown.add(bit);
    }
  }
  const ascending = (a: number, b: number) => a - b;
  return { ok: true, keys: [...keys].sort(ascending), unknown: [...unknown].sort(ascending) };
}

/** The press/release events that take a keypad from `before` to `after` held keys: releases first. */
export function keyChanges(
  before: ReadonlySet<number>,
  after: readonly number[],
): { type: 'press' | 'release'; key: number }[] {
  const now = new Set(after);
  const released = [...before].filter((k) => !now.has(k)).sort((a, b) => a - b);
  const pressed = after.filter((k) => !before.has(k));
  return [
    ...released.map((key) => ({ type: 'release' as const, key })),
    ...pressed.map((key) => ({ type: 'press' as const, key })),
  ];
}

/** Boot keyboard output report: LEDs 0..2 of the frame as Num, Caps and Scroll Lock (bits 0..2). */
export function keyboardLedByte(frame: LedFrame, ms: number): number {
  let byte = 0;
  for (let led = 0; led < 3; led++) {
    if (litAt(frame[led]?.pattern ?? 'off', ms)) byte |= 1 << led;
  }
  return byte;
}
