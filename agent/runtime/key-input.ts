// Key events and the timer's ticks through the gesture recogniser: which keys fired (short or long),
// and when a held key needs the next tick to become a long press.
import type { KeyEvent } from '../../hardware/port.js';
import { type GestureState, gesture, NO_GESTURE } from '../desk/keys.js';

export class KeyInput {
  private state: GestureState = NO_GESTURE;
  private wake: number | undefined;

  constructor(private readonly fire: (key: number, long: boolean) => void) {}

  /** The earliest long-press deadline of a key held down. */
  get wakeAtMs(): number | undefined {
    return this.wake;
  }

  feed(event: KeyEvent | { type: 'tick' }, nowMs: number, longPressMs: number): void {
    const g = gesture(this.state, event, nowMs, longPressMs);
    this.state = g.state;
    this.wake = g.wakeAtMs;
    for (const f of g.fired) this.fire(f.key, f.long);
  }
}
