// Types for symbols.js (plain ES module served to the browser as is), so Node tests can import it.
import type { RowState } from './format.js';

export const ICONS: Record<'available' | 'unknown' | 'messages' | 'voicemail' | 'calls', string>;
export function reasonIcon(code: string | null, label?: string): string;
export function stateIcon(st: RowState, reason: string | null, label?: string): string;
