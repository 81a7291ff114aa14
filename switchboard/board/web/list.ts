// The virtualised list: only the visible rows (plus a few) exist in the DOM, absolutely positioned in
// a spacer as tall as the list, so 50,000 people cost no more than 40. Also the order, the search
// filter, and the selection.
import type { WholeRow } from '../wire-rows.js';
import { renderDetail } from './detail.js';
import { $, badge, input, list, spacer } from './elements.js';
import { fold } from './fold.js';
import { altText, deskText, nextAbsenceText, returnText, stateOf, stateText } from './format.js';
import { showLine } from './line.js';
import {
  catalogueOf,
  collator,
  compareKeys,
  DEPT,
  type DepartmentView,
  departmentName,
  departmentOf,
  indexSearch,
  named,
  orgOf,
  schedule,
  state,
  summaryOf,
  t,
  timeZoneOf,
} from './state.js';
import { alarmText, inText, nextClock } from './strip.js';
import { ICONS, stateIcon } from './symbols.js';
import { ROW_MARKUP, VISIBLE_COLUMNS, type VisibleColumnId } from './visible-columns.js';

export const ROW_HEIGHT = 30;
const OVERSCAN = 6;
const TICK_MS = 5_000;

export function refilter(): void {
  const tokens = fold(input.value).split(/\s+/).filter(Boolean);
  let people = state.order;
  let depts: string[] = [];
  if (tokens.length) {
    indexSearch();
    people = state.order.filter((key) => {
      const text = state.search.get(key) ?? '';
      return tokens.every((tok) => text.includes(tok));
    });
    depts = departmentHits(tokens);
  }
  state.view = depts.length ? [...depts, ...people] : people;
  // A search selects its first hit (Enter opens what was typed for); the whole list, searched for
  // nothing, selects nobody until the operator moves there: a highlighted row would be read as chosen.
  if (state.selected === null || !state.view.includes(state.selected))
    state.selected = tokens.length ? (state.view[0] ?? null) : null;
  $('[data-testid="hits"]').textContent = tokens.length ? `${people.length} / ${state.order.length}` : '';
}

/**
 * Departments whose name the search names (every word in the name or its organisation's, one at
 * least in the name: "bygglov malå"), as results above the people, so arrows and Enter open one. The
 * department's notice counts as its name (issue 23: "strandskydd" finds the department that told the
 * switchboard it now handles it).
 */
function departmentHits(tokens: readonly string[]): string[] {
  const hits: { key: string; name: string }[] = [];
  for (const [key, dept] of state.departments) {
    const name = fold(`${dept.name} ${dept.notice ?? ''}`);
    const whose = fold(`${name} ${state.orgs.get(orgOf(key))?.name ?? ''}`);
    if (tokens.some((tok) => name.includes(tok)) && tokens.every((tok) => whose.includes(tok)))
      hits.push({
        key: `${DEPT}${key}`,
        name: departmentName({ org: orgOf(key), department: key.slice(key.indexOf('/') + 1) }),
      });
  }
  return hits.sort((a, b) => collator.compare(a.name, b.name)).map((h) => h.key);
}

/**
 * Keeps `order` sorted by name. A few people added, renamed or removed (a desk, a directory edit) are
 * moved by binary search, so a busy board never re-sorts 50,000 names per frame; a snapshot or a bulk
 * import sorts once.
 */
const RESORT_ABOVE = 200;
export function reorder(): void {
  const { moved } = state.dirty;
  if (!state.dirty.sort && moved.size === 0) return;
  state.dirty.view = true;
  state.dirty.chrome = true;
  if (state.dirty.sort === 'first' && !input.value && list.scrollTop === 0) {
    // The first view: the first screen in order now, and the whole sort and search index in the next
    // task, so the operator sees people ~0.3 s sooner (50,000 names through the collator).
    state.order = firstInOrder(Math.ceil(list.clientHeight / ROW_HEIGHT) + OVERSCAN);
    setTimeout(() => {
      indexSearch();
      state.dirty.sort = true;
      schedule();
    });
    return;
  }
  if (state.dirty.sort || moved.size > RESORT_ABOVE) {
    state.order = [...state.rows.keys()].sort(compareKeys);
    return;
  }
  const order = state.order;
  for (const key of moved) {
    const at = order.indexOf(key);
    if (at >= 0) order.splice(at, 1);
    if (state.rows.has(key)) order.splice(sortedIndex(order, key), 0, key);
  }
  state.order = order;
}

/** The first n keys in order, in one pass (a bounded insertion), without sorting them all. */
function firstInOrder(n: number): string[] {
  const top: string[] = [];
  for (const key of state.rows.keys()) {
    if (top.length === n && compareKeys(key, top[n - 1] as string) >= 0) continue;
    top.splice(sortedIndex(top, key), 0, key);
    if (top.length > n) top.pop();
  }
  return top;
}

/** Where `key` goes in the sorted `keys`, after any equal to it (binary search). */
function sortedIndex(keys: readonly string[], key: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (compareKeys(keys[mid] as string, key) <= 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A row element and its cells (visible-columns.ts), kept to be filled again. */
interface PooledRow {
  el: HTMLDivElement;
  cell: Record<VisibleColumnId, HTMLElement>;
}

const pool: PooledRow[] = [];
function rowElement(i: number): PooledRow {
  let pooled = pool[i];
  if (!pooled) {
    const el = document.createElement('div');
    el.className = 'row';
    el.setAttribute('role', 'option');
    el.id = `row-${i}`;
    el.dataset.testid = 'row';
    el.innerHTML = ROW_MARKUP;
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
  const first = Math.max(0, Math.floor(list.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(
    state.view.length,
    Math.ceil((list.scrollTop + list.clientHeight) / ROW_HEIGHT) + OVERSCAN,
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

/** What each visible column's cell shows: for a person's row, and for a department result. */
interface CellFill {
  person(cell: HTMLElement, row: WholeRow, now: number): void;
  department(cell: HTMLElement, c: DepartmentView, now: number): void;
}

/** A part of a cell's fixed markup (visible-columns.ts): the cell has each one its fill asks for. */
const part = (cell: HTMLElement, selector: string) => cell.querySelector(selector) as HTMLElement;

const CELLS: Record<VisibleColumnId, CellFill> = {
  state: {
    person(cell, row, now) {
      const label = stateText(row, state.lang, catalogueOf(row.org));
      // the reason's own icon and colour, so states differ without relying on colour (symbols.ts)
      part(cell, '.ico').textContent = stateIcon(stateOf(row, now), row.reason, label);
      part(cell, '.label').textContent = label;
    },
    department(cell) {
      part(cell, '.ico').textContent = '▦';
      part(cell, '.label').textContent = t().department;
    },
  },
  name: {
    person(cell, row, now) {
      part(cell, '.name').textContent = row.name ?? `(${row.ext})`;
      part(cell, '.title').textContent = row.title ?? '';
      // beside the name, where the operator's eye is before a transfer
      showLine(cell, row, now);
    },
    department(cell, c, now) {
      part(cell, '.name').textContent = c.dept.name;
      part(cell, '.title').textContent = state.orgs.get(c.org)?.name ?? '';
      showLine(cell, null, now);
    },
  },
  ext: {
    person(cell, row) {
      cell.textContent = row.ext;
    },
    department(cell) {
      cell.textContent = '';
    },
  },
  dept: {
    person(cell, row) {
      cell.textContent = departmentName(row);
    },
    department(cell, c) {
      cell.textContent = inText(c.summary);
    },
  },
  back: {
    person(cell, row, now) {
      const zone = timeZoneOf(row.org);
      const text = returnText(row, now, state.lang, zone);
      // "tillbaka" in a span of its own: a phone drops it (the column's head says it), so the name
      // gets the room (controls.css)
      const word = `${t().back} `;
      if (text.startsWith(word)) {
        const span = document.createElement('span');
        span.className = 'word';
        span.textContent = word;
        cell.replaceChildren(span, text.slice(word.length));
      } else if (text) cell.textContent = text;
      // someone in now: when they will be gone next, so the operator can say "she is in until two"
      else cell.textContent = nextAbsenceText(row.nextAbsence, now, state.lang, catalogueOf(row.org), zone);
      cell.dataset.testid = 'back';
    },
    department(cell, c, now) {
      cell.textContent = c.summary.nextBack === null ? '' : `${t().next} ${nextClock(c, now)}`;
      cell.dataset.testid = 'back';
    },
  },
  alt: {
    person(cell, row) {
      cell.textContent = altText(named(row), state.lang);
    },
    department(cell, c) {
      cell.textContent = c.summary.alarm
        ? alarmText(c.summary.alarm)
        : c.summary.open === false
          ? t().closed
          : '';
    },
  },
  msg: {
    person(cell, row) {
      const h = t();
      cell.textContent = '';
      if (row.messages)
        cell.append(badge('msg', `${ICONS.messages} ${row.messages}`, `${row.messages} ${h.messages}`));
      // the notifier could not (yet) mail or text the person: the operator may want to phone instead
      if (row.undelivered)
        cell.append(
          badge(
            'undelivered',
            `${ICONS.messages}✗ ${row.undelivered}`,
            `${row.undelivered} ${h.undelivered}`,
          ),
        );
      if (row.voicemail)
        cell.append(badge('vm', `${ICONS.voicemail} ${row.voicemail}`, `${row.voicemail} ${h.voicemail}`));
    },
    department(cell, c) {
      cell.textContent = '';
      if (c.queue?.waiting)
        cell.append(
          badge('calls', `${ICONS.calls} ${c.queue.waiting}`, `${c.queue.waiting} ${t().waitingCalls}`),
        );
    },
  },
  desk: {
    person(cell, row) {
      const h = t();
      cell.textContent = '';
      if (row.online !== null) {
        // an agent online with its keypad unplugged cannot be pressed: never "online" (device-state)
        const s = badge(row.online && !row.panelUnplugged ? 'on' : 'off', deskText(row, state.lang), h.desk);
        s.dataset.testid = 'desk-state';
        cell.append(s);
      }
      // a desk whose layout does not fit its panel says so here, never silently (docs/board.md)
      if (row.deviceWarnings) {
        const w = badge('warn', ICONS.deviceWarning, `${h.deviceWarnings}: ${row.deviceWarnings.join('; ')}`);
        w.dataset.testid = 'desk-warnings';
        cell.append(w);
      }
    },
    department(cell) {
      cell.textContent = '';
    },
  },
};

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
    if (top < list.scrollTop) list.scrollTop = top;
    else if (top + ROW_HEIGHT > list.scrollTop + list.clientHeight)
      list.scrollTop = top + ROW_HEIGHT - list.clientHeight;
  }
  renderList(false);
  renderDetail();
}

export function bindList(): void {
  list.addEventListener('scroll', () => renderList(false), { passive: true });
  window.addEventListener('resize', () => renderList(false));
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
