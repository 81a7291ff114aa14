// Key gestures: from what a panel reports (press/release, or its own long press) to desk actions.
import type { KeyEvent } from '../../hardware/port.js';
import type { KeyLayout } from '../../protocol/index.js';
import type { DeskAction } from '../../rules/referral.js';

/** The action a key stands for; a long press on a reason key means "until further notice". */
export function actionForKey(layout: KeyLayout, key: number, long: boolean): DeskAction | undefined {
  const action = layout.keys.find((k) => k.key === key)?.action;
  if (!action) return undefined;
  if (long && action.type === 'reason') return { type: 'until-further-notice', reason: action.reason };
  // Other keys have no long meaning: a long press does what a short one does.
  return action;
}

export interface GestureState {
  /** keys held down, not yet fired: key -> pressed at (ms) */
  down: ReadonlyMap<number, number>;
  /** keys still held whose long press already fired: their release fires nothing */
  held?: ReadonlySet<number>;
}

export const NO_GESTURE: GestureState = { down: new Map(), held: new Set() };

export interface GestureResult {
  state: GestureState;
  fired: { key: number; long: boolean }[];
  /** when to send the next tick: the earliest long-press deadline of a key held down */
  wakeAtMs?: number;
}

/**
 * A key released before longPressMs fires short on release; one held to longPressMs fires long once
 * (on the tick at the deadline, or on its release if the tick came late) and its release then fires
 * nothing. Panels that detect long presses send `long` themselves: it fires at once; pass
 * longPressMs = Infinity for them so the agent's own timing never fires a second long.
 * A release without a press (a lost event) fires nothing: better a missed key than a wrong one.
 */
export function gesture(
  state: GestureState,
  event: KeyEvent | { type: 'tick' },
  nowMs: number,
  longPressMs: number,
): GestureResult {
  const down = new Map(state.down);
  const held = new Set(state.held ?? []);
  const fired: { key: number; long: boolean }[] = [];
  const fireLong = (key: number) => {
    down.delete(key);
    held.add(key);
    fired.push({ key, long: true });
  };

  switch (event.type) {
    case 'press':
      // A repeated press while down (key bounce, auto-repeat) keeps the first press time.
      if (!down.has(event.key)) {
        held.delete(event.key);
        down.set(event.key, nowMs);
      }
      break;
    case 'release': {
      const at = down.get(event.key);
      if (at !== undefined) {
        if (nowMs - at >= longPressMs) fireLong(event.key);
        else fired.push({ key: event.key, long: false });
      }
      down.delete(event.key);
      held.delete(event.key);
      break;
    }
    case 'long':
      if (!held.has(event.key)) fireLong(event.key);
      break;
    case 'tick':
      break;
  }
  for (const [key, at] of down) if (nowMs - at >= longPressMs) fireLong(key);

  let wakeAtMs: number | undefined;
  for (const at of down.values()) {
    const deadline = at + longPressMs;
    if (Number.isFinite(deadline) && (wakeAtMs === undefined || deadline < wakeAtMs)) wakeAtMs = deadline;
  }
  const result: GestureResult = { state: { down, held }, fired };
  if (wakeAtMs !== undefined) result.wakeAtMs = wakeAtMs;
  return result;
}
