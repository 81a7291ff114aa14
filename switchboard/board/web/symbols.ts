// One symbol per meaning, each with a colour and a legend entry, so a state reads without colour:
// the reason's icon on a row (and its own colour), ✓ available, ? unknown; ✉ phone messages and
// ✇ voicemail on a person, ☎ waiting calls only on a department or queue, ⚠ a desk's warning.
import type { RowState } from './format.js';

const REASON_ICONS: Record<string, string> = {
  lunch: '☕',
  meeting: '◎',
  trip: '✈',
  out: '↗',
  course: '✎',
  sick: '✚',
  vacation: '☀',
  gone: '⌂',
};
export const ICONS = {
  available: '✓',
  unknown: '?',
  messages: '✉',
  voicemail: '✇',
  calls: '☎',
  deviceWarning: '⚠',
};

/** A reason's icon; a code outside the default catalogue gets its label's first letter. */
export function reasonIcon(code: string | null, label?: string): string {
  return REASON_ICONS[code ?? ''] ?? (label ? label.charAt(0).toUpperCase() : '•');
}

/** The icon a row's state shows: the reason's while away or overdue. */
export function stateIcon(st: RowState, reason: string | null, label?: string): string {
  if (st === 'available') return ICONS.available;
  if (st === 'unknown') return ICONS.unknown;
  return reasonIcon(reason, label);
}
