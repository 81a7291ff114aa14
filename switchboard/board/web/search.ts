// Search as you type over 50,000 people: the view is the people whose search text (state.ts
// searchText) holds every word typed, in the list's order, with matching departments above them.
// Four things keep a keystroke and a busy board within a frame:
// - a query that only narrows the last one ("ann" → "anna", "anna" → "anna lind") filters the last
//   hits, not everyone;
// - a row whose search text changed (a reason set, a name edited) moves in or out of the view by
//   itself (binary search in the order), instead of filtering 50,000 rows again per frame;
// - a search through everyone finds its longest word in the board's texts joined in one string
//   (haystack.ts), jumping from one row that holds it to the next;
// - departments' folded names are kept until a department or organisation changes.
// Anything that changes many texts or the order at once (a snapshot, a sort, a department renamed,
// the language) bumps state.viewEpoch, and the next search filters everyone again.
import { $, input } from './elements.js';
import { fold } from './fold.js';
import { type Haystack, haystack, rowAt } from './haystack.js';
import { ROW_HEIGHT, viewport } from './list.js';
import { collator, compareKeys, DEPT, departmentName, indexSearch, orgOf, schedule, state } from './state.js';

/** What the view was last filtered for: its words, its people (in order), its department results. */
const current = { tokens: [] as string[], people: [] as string[], depts: [] as string[], epoch: -1 };

/** Every earlier word is inside a word of the new query: the new hits are among the old ones. */
const narrows = (before: readonly string[], after: readonly string[]) =>
  before.length > 0 && before.every((b) => after.some((a) => a.includes(b)));

function matches(text: string | undefined, tokens: readonly string[]): boolean {
  if (text === undefined) return false;
  for (const tok of tokens) if (!text.includes(tok)) return false;
  return true;
}

/** Stretches of keys to filter, each from an index on: the earlier hits, or the rest of a scan. */
interface Segment {
  keys: readonly string[];
  from: number;
}

/**
 * A filter under way: a keystroke shows its first screen of hits at the next frame, and the rest of
 * 50,000 rows is filtered in slices after it (a search for "a" holds most of the board). Whatever
 * needs the whole view (arrows, Page Down, Enter, the scroll bar) finishes it first (finishSearch).
 */
interface Scan {
  tokens: string[];
  depts: string[];
  people: string[];
  segments: Segment[];
  seg: number;
  at: number;
  /** rows whose search text changed meanwhile: moved in or out once the scan is done */
  late: Set<string>;
  timer: ReturnType<typeof setTimeout> | undefined;
  /** the board's texts as one string, when a segment is the whole order (haystack.ts) */
  hay: Haystack | null;
  /** the longest word, looked for in `hay` */
  word: string;
}
let scan: Scan | null = null;
/** a slice of the filter after the first screen: short enough to leave the next keystroke a frame */
const SLICE_MS = 4;

/** Filters on until done (true), or stops (false) past `deadline` once it has `need` hits. */
function advance(s: Scan, deadline: number, need: number): boolean {
  const search = state.search;
  const { tokens, people, segments } = s;
  for (; s.seg < segments.length; s.seg++, s.at = segments[s.seg]?.from ?? 0) {
    const { keys } = segments[s.seg] as Segment;
    const hay = s.hay?.order === keys ? s.hay : null;
    // through the whole order: from one row holding the word to the next, by indexOf
    while (hay && s.at < keys.length) {
      const pos = hay.text.indexOf(s.word, hay.starts[s.at]);
      if (pos < 0) s.at = keys.length;
      else {
        const row = rowAt(hay, pos, s.at);
        s.at = row + 1;
        const key = keys[row] as string;
        if (matches(search.get(key), tokens)) people.push(key);
        if (people.length >= need && (people.length & 63) === 0 && performance.now() > deadline) return false;
      }
    }
    while (s.at < keys.length) {
      const key = keys[s.at++] as string;
      if (matches(search.get(key), tokens)) people.push(key);
      if ((s.at & 511) === 0 && people.length >= need && performance.now() > deadline) return false;
    }
  }
  return true;
}

/** Where the keys to filter for `tokens` come from: the last hits (brought up to date) if it narrows. */
function sourceFor(tokens: readonly string[]): Segment[] {
  const whole = [{ keys: state.order, from: 0 }];
  if (scan) {
    const s = scan;
    stopScan();
    if (s.late.size || current.epoch !== state.viewEpoch || !narrows(s.tokens, tokens)) return whole;
    // the hits so far, then what the unfinished scan had still to read
    const rest = s.segments.slice(s.seg);
    if (rest[0]) rest[0] = { keys: rest[0].keys, from: s.at };
    return [{ keys: s.people, from: 0 }, ...rest];
  }
  return applySearched() && narrows(current.tokens, tokens) ? [{ keys: current.people, from: 0 }] : whole;
}

function stopScan(): void {
  if (scan?.timer !== undefined) clearTimeout(scan.timer);
  scan = null;
}

let typed = false;
/** The search box changed: the next filter may show its first screen before it has read every row. */
export function searchTyped(): void {
  typed = true;
}

export function refilter(): void {
  const tokens = fold(input.value).split(/\s+/).filter(Boolean);
  const partial = typed;
  typed = false;
  if (!tokens.length) {
    stopScan();
    done(tokens, [], state.order);
    return;
  }
  indexSearch();
  const depts = departmentHits(tokens);
  const s: Scan = {
    tokens,
    depts,
    people: [],
    segments: sourceFor(tokens),
    seg: 0,
    at: 0,
    late: new Set(state.dirty.searched),
    timer: undefined,
    hay: null,
    word: tokens.reduce((a, b) => (b.length > a.length ? b : a)),
  };
  if (s.segments.some((seg) => seg.keys === state.order)) s.hay = haystack();
  s.at = s.segments[0]?.from ?? 0;
  state.dirty.searched.clear();
  current.epoch = state.viewEpoch;
  const screen = Math.ceil((viewport.top + viewport.height) / ROW_HEIGHT) + 1;
  if (!partial || advance(s, Number.NEGATIVE_INFINITY, screen - depts.length)) {
    finish(s);
    return;
  }
  // the first screen now; the scroll bar and the count when the rest is read
  scan = s;
  state.view = depts.length ? [...depts, ...s.people] : s.people;
  if (state.selected === null || !state.view.includes(state.selected)) state.selected = state.view[0] ?? null;
  $('[data-testid="hits"]').textContent = '';
  const slice = () => {
    if (scan !== s) return;
    if (!advance(s, performance.now() + SLICE_MS, 0)) s.timer = setTimeout(slice);
    else {
      finish(s);
      schedule();
    }
  };
  s.timer = setTimeout(slice);
}

/** Completes a filter under way now (the keys that need the whole view). */
export function finishSearch(): void {
  if (scan) finish(scan);
}

function finish(s: Scan): void {
  advance(s, Number.POSITIVE_INFINITY, 0);
  // rows whose text changed since the string was built: found or passed by their old text
  for (const key of s.hay?.stale ?? []) s.late.add(key);
  if (scan === s) stopScan();
  done(s.tokens, s.depts, s.people);
  applySearched(s.late);
}

function done(tokens: string[], depts: string[], people: string[]): void {
  Object.assign(current, { tokens, people, depts, epoch: state.viewEpoch });
  state.dirty.searched.clear();
  state.view = depts.length ? [...depts, ...people] : people;
  // A search selects its first hit (Enter opens what was typed for); the whole list, searched for
  // nothing, selects nobody until the operator moves there: a highlighted row would be read as chosen.
  if (state.selected === null || !state.view.includes(state.selected))
    state.selected = tokens.length ? (state.view[0] ?? null) : null;
  showHits();
}

function showHits(): void {
  $('[data-testid="hits"]').textContent = current.tokens.length
    ? `${current.people.length} / ${state.order.length}`
    : '';
}

/**
 * Moves the rows whose search text changed since the last filter (state.dirty.searched) in or out of
 * the view. Without a search every row is in view already. False when the view cannot be brought up
 * to date this way: the order changed, or rows were added, renamed or removed (the frame's reorder
 * bumps the epoch, and the view is filtered again).
 */
export function applySearched(changed = state.dirty.searched): boolean {
  if (scan) {
    // a filter under way reads texts as they are now; those it has passed are corrected at its end
    for (const key of changed) scan.late.add(key);
    changed.clear();
    return true;
  }
  if (current.epoch !== state.viewEpoch || state.dirty.sort || state.dirty.moved.size > 0) return false;
  if (changed.size === 0 || current.tokens.length === 0) return true;
  const { people, depts, tokens } = current;
  let moved = false;
  for (const key of changed) {
    const at = indexIn(people, key);
    const found = at < people.length && people[at] === key;
    const match = matches(state.search.get(key), tokens);
    if (found === match) continue;
    moved = true;
    if (match) people.splice(at, 0, key);
    else people.splice(at, 1);
    if (state.view !== people) {
      if (match) state.view.splice(depts.length + at, 0, key);
      else state.view.splice(depts.length + at, 1);
    }
  }
  changed.clear();
  if (!moved) return true;
  if (state.selected !== null && !state.selected.startsWith(DEPT) && !state.view.includes(state.selected))
    state.selected = state.view[0] ?? null;
  showHits();
  return true;
}

/** Where `key` is, or would go, in the sorted `keys` (binary search; equal names stand by key). */
function indexIn(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid] as string, key) < 0) lo = mid + 1;
    else hi = mid;
  }
  // rows that sort equal (the same name and extension in two organisations) stand in either order
  for (let i = lo; i < keys.length && compareKeys(keys[i] as string, key) === 0; i++)
    if (keys[i] === key) return i;
  return lo;
}

/** A department's folded name and notice, with its organisation's name, and its view key. */
interface DepartmentWords {
  name: string;
  whose: string;
  key: string;
}
/** every department's words in the order the results show them (by name), kept for an epoch */
let words: DepartmentWords[] = [];
let wordsEpoch = -1;

function departmentWords(): DepartmentWords[] {
  if (wordsEpoch === state.viewEpoch) return words;
  const shown: { words: DepartmentWords; name: string }[] = [];
  for (const [key, dept] of state.departments) {
    const name = fold(`${dept.name} ${dept.notice ?? ''}`);
    const org = orgOf(key);
    shown.push({
      words: { name, whose: fold(`${name} ${state.orgs.get(org)?.name ?? ''}`), key: `${DEPT}${key}` },
      name: departmentName({ org, department: key.slice(key.indexOf('/') + 1) }),
    });
  }
  words = shown.sort((a, b) => collator.compare(a.name, b.name)).map((d) => d.words);
  wordsEpoch = state.viewEpoch;
  return words;
}

/**
 * Departments whose name the search names (every word in the name or its organisation's, one at
 * least in the name: "bygglov malå"), as results above the people, so arrows and Enter open one. The
 * department's notice counts as its name (issue 23: "strandskydd" finds the department that told the
 * switchboard it now handles it).
 */
function departmentHits(tokens: readonly string[]): string[] {
  const hits: string[] = [];
  for (const w of departmentWords())
    if (tokens.some((tok) => w.name.includes(tok)) && tokens.every((tok) => w.whose.includes(tok)))
      hits.push(w.key);
  return hits;
}
