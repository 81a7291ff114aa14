// The agent's one timer: armed at the next instant anything changes by time alone (a referral ends, a
// lamp blinks on, a long press completes, identify ends), so nothing polls while the desk is idle.
import type { Clock } from '../../rules/clock.js';

/** How long until the earliest of these instants (never negative); undefined when none is due. */
export function wakeDelay(nowMs: number, instants: readonly (number | undefined)[]): number | undefined {
  const due = instants.filter((x): x is number => x !== undefined);
  return due.length > 0 ? Math.max(0, Math.min(...due) - nowMs) : undefined;
}

/** The longest delay setTimeout keeps: Node fires a longer one after 1 ms (TimeoutOverflowWarning). */
export const MAX_TIMER_MS = 2 ** 31 - 1;

/** A single re-armable timer: arming replaces whatever was armed before. A delay past MAX_TIMER_MS
 * wakes early, at MAX_TIMER_MS: the agent works out what is due and arms again. */
export class WakeTimer {
  private handle: unknown;

  constructor(
    private readonly clock: Clock,
    private readonly fire: () => void,
  ) {}

  /** Cancels the armed wake and arms one `delayMs` from now, or none when undefined. */
  arm(delayMs: number | undefined): void {
    this.cancel();
    if (delayMs === undefined) return;
    this.handle = this.clock.setTimeout(
      () => {
        this.handle = undefined;
        this.fire();
      },
      Math.min(delayMs, MAX_TIMER_MS),
    );
  }

  cancel(): void {
    if (this.handle !== undefined) this.clock.clearTimeout(this.handle);
    this.handle = undefined;
  }
}
