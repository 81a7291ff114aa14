// Types for errors.js (a module of the bundled page), for the Node tests and TypeScript that import it.
import type { ReasonDefinition } from '../../../protocol/index.js';
import type { Lang } from './format.js';

export interface Refusal {
  field?: string;
  code?: string;
}
export function errorText(refusal: Refusal | undefined, lang: Lang): { field: string; text: string };
export function hhmm(text: string): string | null;
export type Checked =
  | { ok: true; body: Record<string, unknown> }
  | { ok: false; field: string; code: string };
export function checkReferral(
  form: {
    reason: ReasonDefinition;
    until: string;
    /** YYYY-MM-DD from the date field; '' or absent: none */
    untilDate?: string;
    furtherNotice: boolean;
    altForward?: string;
    altInfo?: string;
    note: string;
  },
  catalogue: readonly ReasonDefinition[],
): Checked;
export function checkMessage(form: { from: string; number: string; text: string }): Checked;
