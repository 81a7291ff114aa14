// What a panel whose keys are displays (Stream Deck) draws on each key: the key's caption, and under a
// reason key the return time while that reason is in force. Pure; the agent hands it to panel.label.
import type { KeyFace } from '../../hardware/port.js';
import type { KeyLayout, Presence, ReasonDefinition } from '../../protocol/index.js';
import { formatLocal } from '../../rules/time.js';
import { keyLabels } from '../desk/labels.js';

export function keyFaces(
  layout: KeyLayout,
  presence: Presence | undefined,
  reasons: readonly ReasonDefinition[],
  timeZone: string,
): KeyFace[] {
  return keyLabels(layout, reasons).map((text, key): KeyFace => {
    const action = layout.keys.find((k) => k.key === key)?.action;
    const current =
      action?.type === 'reason' &&
      presence?.status === 'away' &&
      presence.reason === action.reason &&
      presence.until !== null;
    return current && presence.until
      ? { text, detail: formatLocal(new Date(presence.until), timeZone) }
      : { text };
  });
}

export function sameFaces(a: readonly KeyFace[], b: readonly KeyFace[]): boolean {
  return a.length === b.length && a.every((f, i) => f.text === b[i]?.text && f.detail === b[i]?.detail);
}
