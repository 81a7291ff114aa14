// The key layouts a desk starts with before IT pushes one: 12 keys with an LED each (virtual panel, HID,
// X-keys, Stream Deck), and 8 keys with 8 LEDs for the hanvisa panel, Firmata and Pi GPIO desks.
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

const EIGHT_KEY_REASONS = ['lunch', 'meeting', 'out', 'gone'] as const;

/**
 * 8 keys, 8 LEDs (hanvisa-8k8l, Firmata Uno, Pi GPIO): four reasons instead of eight, so the message,
 * queue and link lamps keep a LED each. The message lamp sits beside its "message done" key; a long
 * press on a reason still means "until further notice". docs/agent-behaviour.md has the table.
 */
export const EIGHT_KEY_LAYOUT: KeyLayout = {
  keys: [
    { key: 0, action: { type: 'open' } },
    ...EIGHT_KEY_REASONS.map((reason, i) => ({ key: i + 1, action: { type: 'reason' as const, reason } })),
    { key: 5, action: { type: 'message-handled' } },
    { key: 6, action: { type: 'extend', minutes: 15 } },
    { key: 7, action: { type: 'shorten', minutes: 15 } },
  ],
  leds: [
    { led: 0, role: { type: 'available' } },
    ...EIGHT_KEY_REASONS.map((reason, i) => ({ led: i + 1, role: { type: 'reason' as const, reason } })),
    { led: 5, role: { type: 'message' } },
    { led: 6, role: { type: 'queue', queue: DEFAULT_QUEUE } },
    { led: 7, role: { type: 'link' } },
  ],
};

/** The layouts a config file may name instead of spelling one out. */
export const NAMED_LAYOUTS = { default: DEFAULT_LAYOUT, '8-key': EIGHT_KEY_LAYOUT } as const;
export type LayoutName = keyof typeof NAMED_LAYOUTS;
