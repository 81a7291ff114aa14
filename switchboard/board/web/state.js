// What the page knows: the board as the server sent it (already reduced to what the session may see),
// the sorted order and the search view, and what changed since the last frame. A change marks the
// state dirty and schedules one frame; app.js says what a frame draws.

import { DEFAULT_LANGUAGE } from '../../../protocol/languages.js';
import { summariseTally, Tallies } from './departments.js';
import { fold } from './fold.js';
import { reasonLabel, TEXT } from './format.js';

export const state = {
  lang: /** @type {import('../../../protocol/languages.js').Language} */ (DEFAULT_LANGUAGE),
  // the page's one clock: the tick (list.js startClock) moves it, and rows, counters, panels and the
  // header clock all read it, so a row turns overdue in the same frame as the count
  now: Date.now(),
  orgs: new Map(),
  departments: new Map(), // org/id → department
  queues: new Map(), // org/id → queue
  phoneLinks: new Map(), // org → phone/link body
  rows: /** @type {Map<string, import('../wire-rows.js').WholeRow>} */ (new Map()), // org/ext → row
  tallies: /** @type {Tallies<import('../wire-rows.js').WholeRow>} */ (new Tallies()), // counters and department tallies, kept as rows change
  search: /** @type {Map<string, string>} */ (new Map()), // org/ext → lower-case search text
  indexed: true, // false while a first snapshot's rows are not yet in `search` (indexSearch)
  reasons: /** @type {import('../../../protocol/index.js').ReasonDefinition[]} */ ([]),
  order: /** @type {string[]} */ ([]), // all keys, sorted
  view: /** @type {string[]} */ ([]), // keys matching the search, in order
  selected: /** @type {string | null} */ (null), // key
  detailOpen: false,
  deptOpen: /** @type {string | null} */ (null), // org/department key of the open department panel
  // sort: true, or 'first' for the first snapshot (its first screen is drawn before the full sort)
  dirty: {
    sort: /** @type {boolean | 'first'} */ (false),
    moved: /** @type {Set<string>} */ (new Set()),
    view: false,
    rows: /** @type {Set<string>} */ (new Set()),
    chrome: false,
  },
};

export const collator = new Intl.Collator('sv', { sensitivity: 'base', numeric: true });
export const keyOf = (row) => `${row.org}/${row.ext}`;
export const t = () => TEXT[state.lang];
/** Department results in the search view have keys of their own: "dept:org/department". */
export const DEPT = 'dept:';
export const departmentOf = (viewKey) => (viewKey?.startsWith(DEPT) ? viewKey.slice(DEPT.length) : null);
export const orgOf = (key) => key.slice(0, key.indexOf('/'));

/** Opens a department's panel in place of a person's details. */
export function openDepartment(key) {
  state.deptOpen = key;
  state.detailOpen = false;
  schedule();
}

let frame = 0;
let draw = () => {};
/** What a frame draws. */
export function drawWith(render) {
  draw = render;
}
export function schedule() {
  if (!frame)
    frame = requestAnimationFrame(() => {
      frame = 0;
      draw();
    });
}

export function timeZoneOf(org) {
  return state.orgs.get(org)?.timeZone;
}
export function catalogueOf(org) {
  return state.orgs.get(org)?.reasons ?? state.reasons;
}
/** With several organisations on one board (SAMSA: four municipalities), the department says whose. */
export function departmentName(row) {
  const dept = row.department
    ? (state.departments.get(`${row.org}/${row.department}`)?.name ?? row.department)
    : '';
  if (state.orgs.size < 2) return dept;
  const org = state.orgs.get(row.org)?.name ?? row.org;
  return dept ? `${dept} · ${org}` : org;
}

/** A department at `now` from the tallies: its summary (departments.js), queue and display name. */
export function summaryOf(key, now) {
  const dept = state.departments.get(key);
  if (!dept) return undefined;
  const org = orgOf(key);
  const summary = summariseTally(dept, state.tallies.department(key, now), now, timeZoneOf(org));
  const queue = dept.queue ? state.queues.get(`${org}/${dept.queue}`) : undefined;
  const name = departmentName({ org, department: key.slice(org.length + 1) });
  return { key, org, dept, summary, queue, name };
}

/** What search matches, folded (fold.js): name, extension, department, title, and the reason while away. */
export function searchText(row) {
  const reason = row.status === 'away' ? reasonLabel(row.reason, state.lang, catalogueOf(row.org)) : '';
  return fold([row.name ?? '', row.ext, departmentName(row), row.title ?? '', reason].join(' '));
}

/** The reason labels are in the board's language: a language switch indexes every row again. */
export function reindexSearch() {
  for (const [key, row] of state.rows) state.search.set(key, searchText(row));
}

/** Fills the search index for every row (once after a snapshot; deltas keep it current). */
export function indexSearch() {
  if (state.indexed) return;
  reindexSearch();
  state.indexed = true;
}

export function compareKeys(a, b) {
  // keys come from state.order, which holds only keys of rows
  const ra = /** @type {import('../wire-rows.js').WholeRow} */ (state.rows.get(a));
  const rb = /** @type {import('../wire-rows.js').WholeRow} */ (state.rows.get(b));
  return collator.compare(ra.name ?? '\uffff', rb.name ?? '\uffff') || collator.compare(ra.ext, rb.ext);
}

/** A forward without a name gets the colleague's name from the directory: "→ 2103 Cecilia Lund". */
export function named(row) {
  const alt = row.alt;
  if (alt?.kind !== 'forward' || alt.name) return alt;
  const name = state.rows.get(`${row.org}/${alt.to}`)?.name;
  return name ? { ...alt, name } : alt;
}
