// Types for symbols.js (a module of the bundled page), for the Node tests and TypeScript that import it.
import type { RowState } from './format.js';

export const ICONS: Record<
  'available' | 'unknown' | 'messages' | 'voicemail' | 'calls' | 'deviceWarning',
  string
>;
export function reasonIcon(code: string | null, label?: string): string;
export function stateIcon(st: RowState, reason: string | null, label?: string): string;
