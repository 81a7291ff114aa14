// Types for format.js (plain ES module served to the browser as is), so Node tests can import it.
import type { AltAnswer, ReasonDefinition } from '../../../protocol/index.js';

export type Lang = 'sv' | 'da' | 'en';
export type RowState = 'available' | 'away' | 'overdue' | 'unknown';
export interface RowLike {
  status: 'available' | 'away' | null;
  reason: string | null;
  until: string | null;
}
export const TEXT: Record<Lang, Record<string, string> & { days: string[] }>;
export const LANGS: Lang[];
export function stateOf(row: RowLike, now: number): RowState;
export function clock(iso: string, now: number, lang: Lang, timeZone?: string): string;
export function duration(ms: number): string;
export function returnText(row: RowLike, now: number, lang: Lang, timeZone?: string): string;
export function reasonLabel(code: string, lang: Lang, catalogue: readonly ReasonDefinition[]): string;
export function stateText(row: RowLike, lang: Lang, catalogue: readonly ReasonDefinition[]): string;
export function altText(alt: AltAnswer | null, lang: Lang): string;
export function waited(iso: string | null, now: number): string;
export function localParts(ms: number, timeZone?: string): Record<string, string>;
