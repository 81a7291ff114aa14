// What the panel shows: the rendered frame, or every lamp blinking fast white while IT asks the desk to
// identify itself. Only a frame that differs from the one shown goes to the panel.
import { type KeyPanel, type LedFrame, sameFrame } from '../../hardware/port.js';

export function shownFrame(rendered: LedFrame, identifying: boolean): LedFrame {
  return identifying ? rendered.map(() => ({ pattern: 'fast' as const, color: 'white' as const })) : rendered;
}

export class Lamps {
  private shown: LedFrame = [];
  private identifyUntil: number | undefined;

  constructor(private readonly panel: KeyPanel) {}

  get frame(): LedFrame {
    return this.shown;
  }

  identify(untilMs: number): void {
    this.identifyUntil = untilMs;
  }

  /** When identifying ends, while that is still ahead of `nowMs`. */
  nextChange(nowMs: number): number | undefined {
    return this.identifyUntil !== undefined && this.identifyUntil > nowMs ? this.identifyUntil : undefined;
  }

  /** Ends identifying once its time is up. */
  tick(nowMs: number): void {
    if (this.identifyUntil !== undefined && nowMs >= this.identifyUntil) this.identifyUntil = undefined;
  }

  show(rendered: LedFrame, nowMs: number): void {
    const next = shownFrame(rendered, this.identifyUntil !== undefined && nowMs < this.identifyUntil);
    if (sameFrame(next, this.shown)) return;
    this.shown = next;
    this.panel.show(next);
  }

  /** A panel that comes back shows the truth at once (drivers also replay the last frame). */
  resend(): void {
    this.shown = [];
  }
}
