// The virtualised list: only the visible rows (plus a few) exist in the DOM, absolutely positioned in
// a spacer as tall as the list, so 50,000 people cost no more than 40. Also the order and the
// selection (search.ts filters the view).
import type { WholeRow } from '../wire-rows.js';
import { decodeRest, firstScreen } from './data.js';
import { renderDetail } from './detail.js';
import { input, list, spacer } from './elements.js';
import { stateOf } from './format.js';
import { firstInOrder, sortedIndex } from './order.js';
import { CELLS } from './row-cells.js';
import { compareKeys, departmentOf, indexSearch, schedule, state, summaryOf, t, tallyAll } from './state.js';
import { ROW_MARKUP, VISIBLE_COLUMNS, type VisibleColumnId } from './visible-columns.js';

export const ROW_HEIGHT = 30;
const OVERSCAN = 6;

/**
 * The list's scroll position and height, kept from its scroll events and size changes, so that a frame
 * reads no layout: a read after the frame's first write would force a layout of its own (and a second
 * one when the frame ends).
 */
export const viewport = { top: 0, height: 0 };
export function scrollListTo(top: number): void {
  list.scrollTop = top;
  viewport.top = top;
}
const TICK_MS = 5_000;

/**
 * Keeps `order` sorted by name. A few people added, renamed or removed (a desk, a directory edit) are
 * moved by binary search, so a busy board never re-sorts 50,000 names per frame; a snapshot or a bulk
 * import sorts once.
 */
const RESORT_ABOVE = 200;
export function reorder(): void {
  const { moved } = state.dirty;
  if (!state.dirty.sort && moved.size === 0) return;
  state.viewEpoch++;
  state.dirty.view = true;
  state.dirty.chrome = true;
  if (state.dirty.sort === 'first' && !input.value && viewport.top === 0) {
    // The first view: the first screen in order now, and the whole sort, the counters and the search
    // index in the next task, so the operator sees people sooner (50,000 names through the collator).
    // Chosen from the snapshot's rows still undecoded (data.ts), or from the rows if a delta decoded them.
    const n = Math.ceil(viewport.height / ROW_HEIGHT) + OVERSCAN;
    state.order = firstScreen(n) ?? firstInOrder(state.rows.keys(), n, compareKeys);
    setTimeout(() => {
      decodeRest();
      indexSearch();
      state.dirty.sort = true;
      schedule();
    });
    return;
  }
  decodeRest(); // a key typed before the first screen's next task: every row is needed now
  tallyAll(); // a first snapshot's rows are counted with the whole sort
  if (state.dirty.sort || moved.size > RESORT_ABOVE) {
    state.order = [...state.rows.keys()].sort(compareKeys);
    return;
  }
  const order = state.order;
  for (const key of moved) {
    const at = order.indexOf(key);
    if (at >= 0) order.splice(at, 1);
    if (state.rows.has(key)) order.splice(sortedIndex(order, key, compareKeys), 0, key);
  }
  state.order = order;
}

/** A row element and its cells (visible-columns.ts), kept to be filled again. */
interface PooledRow {
  el: HTMLDivElement;
  cell: Record<VisibleColumnId, HTMLElement>;
}

const pool: PooledRow[] = [];
// parsed once and cloned: the first screen's 40 rows parsed their markup one by one (~20 ms in the
// first view's profile)
let rowTemplate: HTMLDivElement | undefined;
function newRow(): HTMLDivElement {
  if (!rowTemplate) {
    rowTemplate = document.createElement('div');
    rowTemplate.className = 'row';
    rowTemplate.setAttribute('role', 'option');
    rowTemplate.dataset.testid = 'row';
    rowTemplate.innerHTML = ROW_MARKUP;
  }
  return rowTemplate.cloneNode(true) as HTMLDivElement;
}
function rowElement(i: number): PooledRow {
  let pooled = pool[i];
  if (!pooled) {
    const el = newRow();
    el.id = `row-${i}`;
    const cell = Object.fromEntries(
      [...el.children].map((c) => [c.className.slice('c-'.length), c]),
    ) as Record<VisibleColumnId, HTMLElement>;
    el.addEventListener('mousedown', (e) => {
      e.preventDefault(); // keep the caret in the search box
      select(el.dataset.key ?? '', true);
    });
    spacer.append(el);
    pooled = { el, cell };
    pool[i] = pooled;
  }
  return pooled;
}

/** Fills the visible window; a row element is rewritten only when its person or the window changed. */
export function renderList(force: boolean): void {
  spacer.style.height = `${state.view.length * ROW_HEIGHT}px`;
  const first = Math.max(0, Math.floor(viewport.top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(
    state.view.length,
    Math.ceil((viewport.top + viewport.height) / ROW_HEIGHT) + OVERSCAN,
  );
  const now = state.now;
  let used = 0;
  // the focus stays in the search, which points a screen reader at the selected row (a combobox)
  input.removeAttribute('aria-activedescendant');
  for (let i = first; i < last; i++, used++) {
    const key = state.view[i] as string;
    const pooled = rowElement(used);
    const { el } = pooled;
    el.hidden = false;
    el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
    const dept = departmentOf(key);
    if (dept) {
      // department results are few, and their tallies change with any of their rows: always redrawn
      fillDepartment(pooled, dept, now);
      el.dataset.key = key;
      el.dataset.tick = '';
    } else if (
      force ||
      el.dataset.key !== key ||
      state.dirty.rows.has(key) ||
      el.dataset.tick !== String(tick)
    ) {
      // the view holds only keys of rows and department results
      fillRow(pooled, state.rows.get(key) as WholeRow, now);
      el.dataset.key = key;
      el.dataset.tick = String(tick);
    }
    el.setAttribute('aria-selected', String(key === state.selected));
    if (key === state.selected) input.setAttribute('aria-activedescendant', el.id);
  }
  for (const { el } of pool.slice(used)) {
    // a hidden row names nobody (department results shift people to other pool rows)
    el.hidden = true;
    el.dataset.key = '';
    el.dataset.ext = '';
  }
  let empty = list.querySelector<HTMLElement>('.empty');
  if (state.view.length === 0) {
    if (!empty) {
      empty = document.createElement('p');
      empty.className = 'empty';
      empty.dataset.testid = 'empty';
      list.append(empty);
    }
    // nothing at all yet: the directory has not arrived (or the broker holds none)
    empty.textContent = state.order.length > 0 ? t().none : t().waitingForData;
  } else empty?.remove();
}

const COLUMN_IDS = VISIBLE_COLUMNS.map((c) => c.id);

function fillRow(pooled: PooledRow, row: WholeRow, now: number): void {
  const { el } = pooled;
  el.dataset.testid = 'row';
  el.dataset.state = stateOf(row, now);
  el.dataset.ext = row.ext;
  el.dataset.online = String(row.online);
  el.dataset.reason = row.status === 'away' ? (row.reason ?? '') : '';
  for (const id of COLUMN_IDS) CELLS[id].person(pooled.cell[id], row, now);
}

/** A department result: its name and organisation, who is in, the next back, the alarm or "closed". */
function fillDepartment(pooled: PooledRow, key: string, now: number): void {
  const c = summaryOf(key, now);
  if (!c) return;
  const { el } = pooled;
  el.dataset.testid = 'dept-row';
  el.dataset.ext = '';
  el.dataset.state = c.summary.alarm ? 'overdue' : c.summary.available ? 'available' : 'away';
  el.dataset.online = 'null';
  el.dataset.reason = '';
  for (const id of COLUMN_IDS) CELLS[id].department(pooled.cell[id], c, now);
}

/**
 * Selects a person or a department result (and opens its panel), scrolling the list to keep the
 * selection in view.
 */
export function select(key: string, open = false): void {
  state.selected = key;
  if (open) {
    state.deptOpen = departmentOf(key);
    state.detailOpen = state.deptOpen === null;
    schedule();
  }
  const i = state.view.indexOf(key);
  if (i >= 0) {
    const top = i * ROW_HEIGHT;
    if (top < viewport.top) scrollListTo(top);
    else if (top + ROW_HEIGHT > viewport.top + viewport.height)
      scrollListTo(top + ROW_HEIGHT - viewport.height);
  }
  renderList(false);
  renderDetail();
}

export function bindList(): void {
  viewport.top = list.scrollTop;
  viewport.height = list.clientHeight;
  list.addEventListener(
    'scroll',
    () => {
      viewport.top = list.scrollTop;
      renderList(false);
    },
    { passive: true },
  );
  // after the browser's layout: the height is read where it costs nothing
  new ResizeObserver(() => {
    if (viewport.height === list.clientHeight) return;
    viewport.height = list.clientHeight;
    renderList(false);
  }).observe(list);
}

// Return times become overdue as the clock runs: one timer moves the page's clock and repaints the
// visible rows, the counters and the header clock together, on the wall clock's 5-second marks (the
// minute turns on time).
let tick = 0;
export function startClock(): void {
  setTimeout(
    () => {
      state.now = Date.now();
      tick++;
      state.dirty.chrome = true;
      schedule();
      startClock();
    },
    TICK_MS - (Date.now() % TICK_MS),
  );
}
