// Types for departments.js (a module of the bundled page), for the Node tests and TypeScript that import it.
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
export interface DepartmentTally {
  total: number;
  known: number;
  available: number;
  nextBack: number | null;
}
export interface TallyRow extends RowLike {
  org: string;
  department: string | null;
  online: boolean | null;
}
export function tallyRows(rows: readonly RowLike[], now: number): DepartmentTally;
export function summariseTally(
  department: Pick<Department, 'phoneHours' | 'mustAnswer'>,
  tally: DepartmentTally,
  now: number,
  timeZone?: string,
): DepartmentSummary;
/** Generic in the row kept, so members() gives back the page's whole rows. */
export class Tallies<R extends TallyRow = TallyRow> {
  put(key: string, row: R): void;
  remove(key: string): void;
  counts(now: number): { available: number; away: number; overdue: number; offline: number };
  department(key: string, now: number): DepartmentTally;
  members(key: string): Iterable<R>;
  version(key: string): number;
}
export interface RosterRow extends RowLike {
  name?: string | null;
  ext?: string;
}
export function roster<R extends RosterRow>(
  rows: Iterable<R>,
  now: number,
  compare?: (a: R, b: R) => number,
): { in: R[]; away: R[]; unknown: R[] };
export function hoursToday(
  phoneHours: readonly PhoneHours[],
  now: number,
  timeZone?: string,
): { from: string; to: string }[];
export function weekHours(phoneHours: readonly PhoneHours[], dayNames: readonly string[]): string;
export function summarise(
  department: Pick<Department, 'phoneHours' | 'mustAnswer'>,
  rows: readonly RowLike[],
  now: number,
  timeZone?: string,
): DepartmentSummary;
