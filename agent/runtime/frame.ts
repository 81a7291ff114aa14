// What the panel shows: the rendered LED frame, overridden while IT asks the desk to identify itself.
import type { LedFrame } from '../../hardware/port.js';

/** Every lamp blinking fast white while identifying; the rendered frame otherwise. */
export function shownFrame(rendered: LedFrame, identifying: boolean): LedFrame {
  return identifying ? rendered.map(() => ({ pattern: 'fast' as const, color: 'white' as const })) : rendered;
}

export function sameFrame(a: LedFrame, b: LedFrame): boolean {
  return a.length === b.length && a.every((l, i) => l.pattern === b[i]?.pattern && l.color === b[i]?.color);
}
