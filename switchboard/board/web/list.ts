// The virtualised list: only the visible rows (plus a few) exist in the DOM, absolutely positioned in
// a spacer as tall as the list, so 50,000 people cost no more than 40. Also the order, the search
// filter, and the selection.
import type { WholeRow } from '../wire-rows.js';
import { renderDetail } from './detail.js';
import { $, badge, input, link, list, spacer } from './elements.js';
import { fold } from './fold.js';
import { altText, returnText, stateOf, stateText } from './format.js';
import {
  catalogueOf,
  collator,
  compareKeys,
  DEPT,
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
  if (state.selected === null || !state.view.includes(state.selected)) state.selected = state.view[0] ?? null;
  $('[data-testid="hits"]').textContent = tokens.length ? `${people.length} / ${state.order.length}` : '';
}

/**
 * Departments whose name the search names (every word in the name or its organisation's, one at
 * least in the name: "bygglov malå"), as results above the people, so arrows and Enter open one.
 */
function departmentHits(tokens: readonly string[]): string[] {
  const hits: { key: string; name: string }[] = [];
  for (const [key, dept] of state.departments) {
    const name = fold(dept.name);
    const whose = fold(`${dept.name} ${state.orgs.get(orgOf(key))?.name ?? ''}`);
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

const pool: HTMLDivElement[] = [];
function rowElement(i: number): HTMLDivElement {
  let el = pool[i];
  if (!el) {
    const row = document.createElement('div');
    row.className = 'row';
    row.setAttribute('role', 'option');
    row.dataset.testid = 'row';
    row.innerHTML =
      '<span class="c-state"><i class="ico" aria-hidden="true"></i><b class="label"></b></span>' +
      '<span class="c-name"><b class="name"></b><small class="title"></small></span>' +
      '<span class="c-ext"></span><span class="c-dept"></span><span class="c-back"></span>' +
      '<span class="c-alt"></span><span class="c-msg"></span><span class="c-desk"></span>';
    row.addEventListener('mousedown', (e) => {
      e.preventDefault(); // keep the caret in the search box
      select(row.dataset.key ?? '', true);
    });
    spacer.append(row);
    pool[i] = row;
    el = row;
  }
  return el;
}

/** A part of a row element: the row's markup (rowElement) has each one. */
const part = (el: HTMLElement, selector: string) => el.querySelector(selector) as HTMLElement;

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
  for (let i = first; i < last; i++, used++) {
    const key = state.view[i] as string;
    const el = rowElement(used);
    el.hidden = false;
    el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
    const dept = departmentOf(key);
    if (dept) {
      // department results are few, and their tallies change with any of their rows: always redrawn
      fillDepartment(el, dept, now);
      el.dataset.key = key;
      el.dataset.tick = '';
    } else if (
      force ||
      el.dataset.key !== key ||
      state.dirty.rows.has(key) ||
      el.dataset.tick !== String(tick)
    ) {
      // the view holds only keys of rows and department results
      fillRow(el, state.rows.get(key) as WholeRow, now);
      el.dataset.key = key;
      el.dataset.tick = String(tick);
    }
    el.setAttribute('aria-selected', String(key === state.selected));
  }
  for (const el of pool.slice(used)) {
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

function fillRow(el: HTMLElement, row: WholeRow, now: number): void {
  const st = stateOf(row, now);
  el.dataset.testid = 'row';
  el.dataset.state = st;
  el.dataset.ext = row.ext;
  el.dataset.online = String(row.online);
  const label = stateText(row, state.lang, catalogueOf(row.org));
  // the reason's own icon and colour, so states differ without relying on colour (symbols.ts)
  el.dataset.reason = row.status === 'away' ? (row.reason ?? '') : '';
  part(el, '.ico').textContent = stateIcon(st, row.reason, label);
  part(el, '.label').textContent = label;
  part(el, '.name').textContent = row.name ?? `(${row.ext})`;
  part(el, '.title').textContent = row.title ?? '';
  part(el, '.c-ext').textContent = row.ext;
  part(el, '.c-dept').textContent = departmentName(row);
  const back = part(el, '.c-back');
  back.textContent = returnText(row, now, state.lang, timeZoneOf(row.org));
  back.dataset.testid = 'back';
  part(el, '.c-alt').textContent = altText(named(row), state.lang);
  const msg = part(el, '.c-msg');
  msg.textContent = '';
  if (row.messages)
    msg.append(badge('msg', `${ICONS.messages} ${row.messages}`, `${row.messages} ${t().messages}`));
  if (row.voicemail)
    msg.append(badge('vm', `${ICONS.voicemail} ${row.voicemail}`, `${row.voicemail} ${t().voicemail}`));
  const desk = part(el, '.c-desk');
  desk.textContent = '';
  if (row.online !== null) {
    const s = badge(row.online ? 'on' : 'off', row.online ? t().online : t().offline, t().desk);
    s.dataset.testid = 'desk-state';
    desk.append(s);
  }
  // a desk whose layout does not fit its panel says so here, never silently (docs/board.md)
  if (row.deviceWarnings) {
    const w = badge('warn', ICONS.deviceWarning, `${t().deviceWarnings}: ${row.deviceWarnings.join('; ')}`);
    w.dataset.testid = 'desk-warnings';
    desk.append(w);
  }
  if (row.desk) desk.append(link(row.desk, '↗', t().openDesk));
}

/** A department result: its name and organisation, who is in, the next back, the alarm or "closed". */
function fillDepartment(el: HTMLElement, key: string, now: number): void {
  const c = summaryOf(key, now);
  if (!c) return;
  el.dataset.testid = 'dept-row';
  el.dataset.ext = '';
  el.dataset.state = c.summary.alarm ? 'overdue' : c.summary.available ? 'available' : 'away';
  el.dataset.online = 'null';
  el.dataset.reason = '';
  const h = t();
  part(el, '.ico').textContent = '▦';
  part(el, '.label').textContent = h.department;
  part(el, '.name').textContent = c.dept.name;
  part(el, '.title').textContent = state.orgs.get(c.org)?.name ?? '';
  part(el, '.c-ext').textContent = '';
  part(el, '.c-dept').textContent = inText(c.summary);
  const back = part(el, '.c-back');
  back.textContent = c.summary.nextBack === null ? '' : `${h.next} ${nextClock(c, now)}`;
  back.dataset.testid = 'back';
  part(el, '.c-alt').textContent = c.summary.alarm
    ? alarmText(c.summary.alarm)
    : c.summary.open === false
      ? h.closed
      : '';
  const msg = part(el, '.c-msg');
  msg.textContent = '';
  if (c.queue?.waiting)
    msg.append(badge('calls', `${ICONS.calls} ${c.queue.waiting}`, `${c.queue.waiting} ${h.waitingCalls}`));
  part(el, '.c-desk').textContent = '';
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
