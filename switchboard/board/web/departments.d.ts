// Types for departments.js (plain ES module served to the browser as is), so Node tests can import it.
import type { Department, PhoneHours } from '../../../protocol/index.js';
import type { RowLike } from './format.js';

export interface DepartmentSummary {
  total: number;
  known: number;
  available: number;
  nextBack: number | null;
  open: boolean | null;
  alarm: 'must-answer' | 'all-away' | null;
}
export function localTime(now: number, timeZone?: string): { day: number; hm: string };
export function inPhoneHours(phoneHours: readonly PhoneHours[], now: number, timeZone?: string): boolean;
export function summarise(
  department: Pick<Department, 'phoneHours' | 'mustAnswer'>,
  rows: readonly RowLike[],
  now: number,
  timeZone?: string,
): DepartmentSummary;
