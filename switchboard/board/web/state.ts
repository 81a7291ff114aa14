// What the page knows: the board as the server sent it (already reduced to what the session may see),
// the sorted order and the search view, and what changed since the last frame. A change marks the
// state dirty and schedules one frame; app.ts says what a frame draws.

import type {
  AltAnswer,
  Department,
  OrgInfo,
  PhoneLink,
  Queue,
  ReasonDefinition,
} from '../../../protocol/index.js';
import { DEFAULT_LANGUAGE, type Language } from '../../../protocol/languages.js';
import type { WholeRow } from '../wire-rows.js';
import { type DepartmentSummary, summariseTally } from './departments.js';
import { fold } from './fold.js';
import { reasonLabel, TEXT } from './format.js';
import { Tallies } from './tallies.js';

/** What changed since the last frame. */
export interface Dirty {
  /** true, or 'first' for the first snapshot (its first screen is drawn before the full sort) */
  sort: boolean | 'first';
  /** keys of rows added, renamed or removed: moved in the order */
  moved: Set<string>;
  /** the search view is to be filtered again */
  view: boolean;
  /** keys of rows whose search text changed: moved in or out of the search view (search.ts) */
  searched: Set<string>;
  /** keys of rows whose line is to be drawn again */
  rows: Set<string>;
  /** the counters, the strip and the panels are to be drawn again */
  chrome: boolean;
}

export const cleanDirty = (): Dirty => ({
  sort: false,
  moved: new Set(),
  view: false,
  searched: new Set(),
  rows: new Set(),
  chrome: false,
});

export const state = {
  lang: DEFAULT_LANGUAGE as Language,
  // the page's one clock: the tick (list.ts startClock) moves it, and rows, counters, panels and the
  // header clock all read it, so a row turns overdue in the same frame as the count
  now: Date.now(),
  orgs: new Map<string, OrgInfo>(),
  departments: new Map<string, Department>(), // org/id → department
  queues: new Map<string, Queue>(), // org/id → queue
  phoneLinks: new Map<string, PhoneLink>(), // org → phone/link body
  rows: new Map<string, WholeRow>(), // org/ext → row
  tallies: new Tallies<WholeRow>(), // counters and department tallies, kept as rows change
  tallied: true, // false while a first snapshot's rows are not yet in `tallies` (tallyAll)
  search: new Map<string, string>(), // org/ext → lower-case search text
  indexed: true, // false while a first snapshot's rows are not yet in `search` (indexSearch)
  reasons: [] as readonly ReasonDefinition[],
  order: [] as string[], // all keys, sorted
  view: [] as string[], // keys matching the search, in order
  // bumped when the order or many search texts change at once: the search filters everyone again
  viewEpoch: 0,
  selected: null as string | null, // key
  detailOpen: false,
  deptOpen: null as string | null, // org/department key of the open department panel
  // since when what the page shows is not current (the stream or the board's broker lost); null while live
  staleSince: null as number | null,
  dirty: cleanDirty(),
};

export const collator = new Intl.Collator('sv', { sensitivity: 'base', numeric: true });

const isLetter = (folded: number) => folded >= 0x61 && folded <= 0x7a;
/** Not a combining mark: "A\u030A" is Å, which sorts after z (NaN past the end counts as not one). */
const plain = (next: number) => !(next >= 0x300);

/**
 * Two names in the collator's order, without the collator while they are ASCII letters (case aside)
 * and spaces: those letters sort a–z in Swedish, before å ä ö, each one weight, and no contraction
 * starts with one, so the first letters that differ decide (a property test holds it to the
 * collator). Anything else from there on goes to the collator. The first screen and the full sort
 * compare 50,000 names; in the page's profile the collator was most of their time.
 */
export function compareNames(a: string, b: string): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const ca = a.charCodeAt(i);
    const cb = b.charCodeAt(i);
    if (ca === 0x20 && cb === 0x20) continue;
    const x = ca | 0x20;
    const y = cb | 0x20;
    if (!isLetter(x) || !isLetter(y)) break;
    if (x === y) continue;
    if (plain(a.charCodeAt(i + 1)) && plain(b.charCodeAt(i + 1))) return x < y ? -1 : 1;
    break;
  }
  return collator.compare(a, b);
}
export const keyOf = (row: { org: string; ext: string }): string => `${row.org}/${row.ext}`;
export const t = () => TEXT[state.lang];
/**
 * The moment a queue's wait is read at: now, or during an outage the moment it began. A wait is
 * measured by the phone system, so it stands still while the board hears nothing rather than count on
 * as if live; a return time is a promise and is judged against the clock throughout.
 */
export const queueNow = (now: number): number => state.staleSince ?? now;
/** Department results in the search view have keys of their own: "dept:org/department". */
export const DEPT = 'dept:';
export const departmentOf = (viewKey: string | null | undefined): string | null =>
  viewKey?.startsWith(DEPT) ? viewKey.slice(DEPT.length) : null;
export const orgOf = (key: string): string => key.slice(0, key.indexOf('/'));

/** Opens a department's panel in place of a person's details. */
export function openDepartment(key: string): void {
  state.deptOpen = key;
  state.detailOpen = false;
  schedule();
}

let frame = 0;
let draw = () => {};
/** What a frame draws. */
export function drawWith(render: () => void): void {
  draw = render;
}
export function schedule(): void {
  if (!frame)
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
}

export function timeZoneOf(org: string): string | undefined {
  return state.orgs.get(org)?.timeZone;
}
export function catalogueOf(org: string): readonly ReasonDefinition[] {
  return state.orgs.get(org)?.reasons ?? state.reasons;
}
/** With several organisations on one board (SAMSA: four municipalities), the department says whose. */
export function departmentName(row: { org: string; department: string | null }): string {
  const dept = row.department
    ? (state.departments.get(`${row.org}/${row.department}`)?.name ?? row.department)
    : '';
  if (state.orgs.size < 2) return dept;
  const org = state.orgs.get(row.org)?.name ?? row.org;
  return dept ? `${dept} · ${org}` : org;
}

/** A department as the strip, the search results and its panel show it. */
export interface DepartmentView {
  key: string;
  org: string;
  dept: Department;
  summary: DepartmentSummary;
  queue: Queue | undefined;
  name: string;
}

/** A department at `now` from the tallies: its summary (departments.ts), queue and display name. */
export function summaryOf(key: string, now: number): DepartmentView | undefined {
  const dept = state.departments.get(key);
  if (!dept) return undefined;
  const org = orgOf(key);
  const summary = summariseTally(dept, state.tallies.department(key, now), now, state.orgs.get(org));
  const queue = dept.queue ? state.queues.get(`${org}/${dept.queue}`) : undefined;
  const name = departmentName({ org, department: key.slice(org.length + 1) });
  return { key, org, dept, summary, queue, name };
}

/**
 * What search matches, folded (fold.ts): name, extension, department, title, what the person handles
 * (their keywords, issue 23), and last the reason while away (so that a change of reason alone keeps
 * the rest: searchTextAfter). Search words hold no spaces, so the parts' order matters to nobody.
 */
export function searchText(row: WholeRow): string {
  const keywords = row.keywords?.join(' ') ?? '';
  const person = fold([row.name ?? '', row.ext, departmentName(row), row.title ?? '', keywords].join(' '));
  return `${person} ${reasonWords(row)}`;
}

/** The folded reason labels (a handful per language), so a presence change folds nothing. */
const foldedReasons = new Map<string, string>();
function reasonWords(row: WholeRow): string {
  if (row.status !== 'away') return '';
  const label = reasonLabel(row.reason ?? '', state.lang, catalogueOf(row.org));
  let folded = foldedReasons.get(label);
  if (folded === undefined) {
    folded = fold(label);
    foldedReasons.set(label, folded);
  }
  return folded;
}

/** The columns of a row's search text other than its reason (departmentName reads org and department). */
const PERSON_WORDS = ['name', 'ext', 'org', 'department', 'title'] as const;

/**
 * The search text of `row` from `old` and its text: when only the status or reason changed (most
 * changes on a busy board) the person's folded words are kept and the reason's replaced.
 */
export function searchTextAfter(old: WholeRow, oldText: string | undefined, row: WholeRow): string {
  if (
    oldText === undefined ||
    PERSON_WORDS.some((c) => old[c] !== row[c]) ||
    old.keywords?.join(' ') !== row.keywords?.join(' ')
  )
    return searchText(row);
  return oldText.slice(0, oldText.length - reasonWords(old).length) + reasonWords(row);
}

/** The reason labels are in the board's language: a language switch indexes every row again. */
export function reindexSearch(): void {
  reindexRows(() => true);
}

/** Indexes again the rows `which` picks (their department or organisation was renamed). */
export function reindexRows(which: (row: WholeRow) => boolean): void {
  for (const [key, row] of state.rows) if (which(row)) state.search.set(key, searchText(row));
  state.viewEpoch++;
}

/** Counts every row into the tallies (once after a first snapshot; deltas keep them current). */
export function tallyAll(): void {
  if (state.tallied) return;
  for (const [key, row] of state.rows) state.tallies.put(key, row);
  state.tallied = true;
}

/** Fills the search index for every row (once after a snapshot; deltas keep it current). */
export function indexSearch(): void {
  if (state.indexed) return;
  reindexSearch();
  state.indexed = true;
}

/** The list's order: by name (a row without one last), then by extension. */
export const compareListed = (aName: string | null, aExt: string, bName: string | null, bExt: string) =>
  compareNames(aName ?? '\uffff', bName ?? '\uffff') || collator.compare(aExt, bExt);

export function compareKeys(a: string, b: string): number {
  // keys come from state.order, which holds only keys of rows
  const ra = state.rows.get(a) as WholeRow;
  const rb = state.rows.get(b) as WholeRow;
  return compareListed(ra.name, ra.ext, rb.name, rb.ext);
}

/** A forward without a name gets the colleague's name from the directory: "→ 2103 Cecilia Lund". */
export function named(row: WholeRow): AltAnswer | null {
  const alt = row.alt;
  if (alt?.kind !== 'forward' || alt.name) return alt;
  const name = state.rows.get(`${row.org}/${alt.to}`)?.name;
  return name ? { ...alt, name } : alt;
}
