// The agent's one timer: armed at the next instant anything changes by time alone (a referral ends, a
// lamp blinks on, a long press completes, identify ends), so nothing polls while the desk is idle.
import type { Clock } from '../../rules/clock.js';

/** The earliest of these instants; undefined when none is due. */
export function earliest(instants: readonly (number | undefined)[]): number | undefined {
  let first: number | undefined;
  for (const t of instants) if (t !== undefined && (first === undefined || t < first)) first = t;
  return first;
}

/** The longest delay setTimeout keeps: Node fires a longer one after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A single re-armable timer: arming replaces whatever was armed before. A delay past MAX_TIMER_MS
 * wakes early, at MAX_TIMER_MS: the agent works out what is due and arms again. */
export class WakeTimer {
  private handle: unknown;
  /** the instant the armed timer is for */
  private due: number | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  /**
   * Arms the wake at `atMs` (at once when that has passed), or none when undefined. A wake already
   * armed for that very instant stays: most changes (a queue count, a line) move no instant, and
   * then cost no timer.
   */
  armAt(atMs: number | undefined): void {
    if (atMs !== undefined && atMs === this.due && this.handle !== undefined) return;
    this.cancel();
    if (atMs === undefined) return;
    this.due = atMs;
    this.handle = this.clock.setTimeout(
      () => {
        this.handle = undefined;
        this.due = undefined;
        this.fire();
      },
      Math.min(Math.max(0, atMs - this.clock.now()), MAX_TIMER_MS),
    );
  }

  cancel(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
    this.due = undefined;
  }
}
