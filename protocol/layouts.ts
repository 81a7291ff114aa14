// The key layout a desk starts with before IT pushes one: 12 keys with an LED each.
import type { KeyLayout } from './schemas.js';

const REASON_KEYS = ['lunch', 'meeting', 'out', 'sick', 'trip', 'course', 'vacation', 'gone'] as const;

/** The queue the default layout's queue LED shows. */
export const DEFAULT_QUEUE = 'main';

export const DEFAULT_LAYOUT: KeyLayout = {
  keys: [
    { key: 0, action: { type: 'open' } },
    ...REASON_KEYS.map((reason, i) => ({ key: i + 1, action: { type: 'reason' as const, reason } })),
    { key: 9, action: { type: 'extend', minutes: 15 } },
    { key: 10, action: { type: 'shorten', minutes: 15 } },
    { key: 11, action: { type: 'message-handled' } },
  ],
  leds: [
    { led: 0, role: { type: 'available' } },
    ...REASON_KEYS.map((reason, i) => ({ led: i + 1, role: { type: 'reason' as const, reason } })),
    { led: 9, role: { type: 'message' } },
    { led: 10, role: { type: 'queue', queue: DEFAULT_QUEUE } },
    { led: 11, role: { type: 'link' } },
  ],
};
