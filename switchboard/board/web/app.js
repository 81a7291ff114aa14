// The operators' board in the browser: one EventSource (a snapshot, then batched deltas), a
// virtualised list (only the visible rows exist in the DOM, so 50,000 people cost no more than 40),
// search as you type, and keyboard flow: type, arrows, Enter, Tab into the details to act.
// What the page shows is already reduced by the server to what the session may see; the page only
// decides which controls to offer (the server checks every write again).
import { summarise } from './departments.js';
import { altText, clock, LANGS, returnText, stateOf, stateText, TEXT, waited } from './format.js';

const ROW_HEIGHT = 30;
const OVERSCAN = 6;
const TICK_MS = 5_000;
/** counters and departments walk every row: on person changes, at most this often */
const CHROME_MS = 500;
let chromeAt = 0;
let chromeTimer = null;

const state = {
  lang: 'sv',
  orgs: new Map(),
  departments: new Map(), // org/id → department
  queues: new Map(), // org/id → queue
  rows: new Map(), // org/ext → row
  search: new Map(), // org/ext → lower-case search text
  reasons: [],
  order: [], // all keys, sorted
  view: [], // keys matching the search, in order
  selected: null, // key
  detailOpen: false,
  dirty: { sort: false, moved: new Set(), view: false, rows: new Set(), chrome: false },
};

const $ = (sel) => document.querySelector(sel);
const list = $('#list');
const spacer = list.querySelector('.spacer');
const input = $('#q');
const detail = $('[data-testid="detail"]');
// The detail panel in three parts: the facts (redrawn every frame), the messages (redrawn when they
// change) and the operator's controls (built when another person is opened, so typing survives deltas).
const detailInfo = document.createElement('div');
const detailMessages = document.createElement('div');
const detailActions = document.createElement('div');
detail.append(detailInfo, detailMessages, detailActions);
const session = { role: 'viewer', username: '', name: '', ext: undefined, csrfToken: '', openAccess: false };
const collator = new Intl.Collator('sv', { sensitivity: 'base', numeric: true });
const keyOf = (row) => `${row.org}/${row.ext}`;
const t = () => TEXT[state.lang];

function timeZoneOf(org) {
  return state.orgs.get(org)?.timeZone;
}
function catalogueOf(org) {
  return state.orgs.get(org)?.reasons ?? state.reasons;
}
/** With several organisations on one board (SAMSA: four municipalities), the department says whose. */
function departmentName(row) {
  const dept = row.department
    ? (state.departments.get(`${row.org}/${row.department}`)?.name ?? row.department)
    : '';
  if (state.orgs.size < 2) return dept;
  const org = state.orgs.get(row.org)?.name ?? row.org;
  return dept ? `${dept} · ${org}` : org;
}

function searchText(row) {
  return [row.name ?? '', row.ext, departmentName(row), row.title ?? ''].join(' ').toLowerCase();
}

function compareKeys(a, b) {
  const ra = state.rows.get(a);
  const rb = state.rows.get(b);
  return collator.compare(ra.name ?? '\uffff', rb.name ?? '\uffff') || collator.compare(ra.ext, rb.ext);
}

/** The wire leaves empty fields out; the page works with whole rows. */
const EMPTY_ROW = {
  name: null,
  department: null,
  title: null,
  direct: null,
  mobile: null,
  status: null,
  reason: null,
  since: null,
  until: null,
  alt: null,
  note: null,
  voicemail: 0,
  messages: 0,
  online: null,
  desk: null,
};
const whole = (wire) => ({ ...EMPTY_ROW, ...wire });

// ---- data --------------------------------------------------------------------------------------

function putRow(wire) {
  const row = whole(wire);
  const key = keyOf(row);
  const old = state.rows.get(key);
  state.rows.set(key, row);
  if (!old || old.name !== row.name) state.dirty.moved.add(key);
  if (!old || old.name !== row.name || old.department !== row.department || old.title !== row.title) {
    state.search.set(key, searchText(row));
    state.dirty.view = true;
  }
  state.dirty.rows.add(key);
}

function removeRow(org, ext) {
  const key = `${org}/${ext}`;
  if (state.rows.delete(key)) {
    state.search.delete(key);
    state.dirty.moved.add(key);
  }
}

function applySnapshot(s) {
  state.orgs = new Map(Object.entries(s.orgs));
  state.departments = new Map(s.departments.map((d) => [`${d.org}/${d.id}`, d.department]));
  state.queues = new Map(s.queues.map((q) => [`${q.org}/${q.id}`, q.queue]));
  state.reasons = s.reasons;
  state.rows = new Map();
  state.search = new Map();
  for (const wire of s.rows) {
    const row = whole(wire);
    state.rows.set(keyOf(row), row);
  }
  for (const [key, row] of state.rows) state.search.set(key, searchText(row));
  if (!new URLSearchParams(location.search).get('lang')) {
    const first = state.orgs.values().next().value;
    if (first && LANGS.includes(first.locale)) state.lang = first.locale;
  }
  state.dirty.sort = true;
  state.dirty.chrome = true;
  schedule();
}

function applyDeltas(deltas) {
  for (const d of deltas) {
    switch (d.type) {
      case 'row':
        putRow(d.row);
        break;
      case 'row-removed':
        removeRow(d.org, d.ext);
        break;
      case 'department':
        if (d.department) state.departments.set(`${d.org}/${d.id}`, d.department);
        else state.departments.delete(`${d.org}/${d.id}`);
        // department names are part of what search matches
        for (const [key, row] of state.rows) if (row.org === d.org) state.search.set(key, searchText(row));
        state.dirty.view = true;
        state.dirty.chrome = true;
        break;
      case 'queue':
        if (d.queue) state.queues.set(`${d.org}/${d.id}`, d.queue);
        else state.queues.delete(`${d.org}/${d.id}`);
        state.dirty.chrome = true;
        break;
      case 'org': {
        const before = state.orgs.size;
        if (d.info) state.orgs.set(d.org, d.info);
        else state.orgs.delete(d.org);
        // organisation names are part of the department column (and search) once there are several
        if (before !== state.orgs.size || state.orgs.size > 1) {
          for (const [key, row] of state.rows) state.search.set(key, searchText(row));
          state.dirty.view = true;
        }
        state.dirty.chrome = true;
        break;
      }
    }
  }
  schedule();
}

// ---- view --------------------------------------------------------------------------------------

function refilter() {
  const tokens = input.value.toLowerCase().split(/\s+/).filter(Boolean);
  if (tokens.length === 0) state.view = state.order;
  else
    state.view = state.order.filter((key) => {
      const text = state.search.get(key);
      return tokens.every((tok) => text.includes(tok));
    });
  if (!state.view.includes(state.selected)) state.selected = state.view[0] ?? null;
  $('[data-testid="hits"]').textContent = tokens.length ? `${state.view.length} / ${state.order.length}` : '';
}

let frame = 0;
function schedule() {
  if (!frame) frame = requestAnimationFrame(render);
}

function render() {
  frame = 0;
  reorder();
  if (state.dirty.view) refilter();
  renderList(state.dirty.view);
  // the counters and departments walk every row: at most every CHROME_MS on person changes
  if (state.dirty.chrome) renderChrome();
  else if (state.dirty.rows.size) {
    const wait = chromeAt + CHROME_MS - performance.now();
    if (wait <= 0) renderChrome();
    else if (chromeTimer === null) {
      chromeTimer = setTimeout(() => {
        chromeTimer = null;
        state.dirty.chrome = true;
        schedule();
      }, wait);
    }
  }
  renderDetail();
  state.dirty = { sort: false, moved: new Set(), view: false, rows: new Set(), chrome: false };
}

/**
 * Keeps `order` sorted by name. A few people added, renamed or removed (a desk, a directory edit) are
 * moved by binary search, so a busy board never re-sorts 50,000 names per frame; a snapshot or a bulk
 * import sorts once.
 */
const RESORT_ABOVE = 200;
function reorder() {
  const { moved } = state.dirty;
  if (!state.dirty.sort && moved.size === 0) return;
  state.dirty.view = true;
  state.dirty.chrome = true;
  if (state.dirty.sort || moved.size > RESORT_ABOVE) {
    state.order = [...state.rows.keys()].sort(compareKeys);
    return;
  }
  const order = state.order;
  for (const key of moved) {
    const at = order.indexOf(key);
    if (at >= 0) order.splice(at, 1);
    if (!state.rows.has(key)) continue;
    let lo = 0;
    let hi = order.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareKeys(order[mid], key) <= 0) lo = mid + 1;
      else hi = mid;
    }
    order.splice(lo, 0, key);
  }
  state.order = order;
}

const pool = [];
function rowElement(i) {
  let el = pool[i];
  if (!el) {
    el = document.createElement('div');
    el.className = 'row';
    el.setAttribute('role', 'option');
    el.dataset.testid = 'row';
    el.innerHTML =
      '<span class="c-state"><i class="dot"></i><b class="label"></b></span>' +
      '<span class="c-name"><b class="name"></b><small class="title"></small></span>' +
      '<span class="c-ext"></span><span class="c-dept"></span><span class="c-back"></span>' +
      '<span class="c-alt"></span><span class="c-msg"></span><span class="c-desk"></span>';
    el.addEventListener('mousedown', (e) => {
      e.preventDefault(); // keep the caret in the search box
      select(el.dataset.key, true);
    });
    spacer.append(el);
    pool[i] = el;
  }
  return el;
}

/** Fills the visible window; a row element is rewritten only when its person or the window changed. */
function renderList(force) {
  spacer.style.height = `${state.view.length * ROW_HEIGHT}px`;
  const first = Math.max(0, Math.floor(list.scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(
    state.view.length,
    Math.ceil((list.scrollTop + list.clientHeight) / ROW_HEIGHT) + OVERSCAN,
  );
  const now = Date.now();
  let used = 0;
  for (let i = first; i < last; i++, used++) {
    const key = state.view[i];
    const el = rowElement(used);
    el.hidden = false;
    el.style.transform = `translateY(${i * ROW_HEIGHT}px)`;
    if (force || el.dataset.key !== key || state.dirty.rows.has(key) || el.dataset.tick !== String(tick)) {
      fillRow(el, state.rows.get(key), now);
      el.dataset.key = key;
      el.dataset.tick = String(tick);
    }
    el.setAttribute('aria-selected', String(key === state.selected));
  }
  for (let i = used; i < pool.length; i++) {
    pool[i].hidden = true;
    pool[i].dataset.key = '';
  }
  let empty = list.querySelector('.empty');
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

function fillRow(el, row, now) {
  const st = stateOf(row, now);
  el.dataset.state = st;
  el.dataset.ext = row.ext;
  el.dataset.online = String(row.online);
  el.querySelector('.label').textContent = stateText(row, state.lang, catalogueOf(row.org));
  el.querySelector('.name').textContent = row.name ?? `(${row.ext})`;
  el.querySelector('.title').textContent = row.title ?? '';
  el.querySelector('.c-ext').textContent = row.ext;
  el.querySelector('.c-dept').textContent = departmentName(row);
  const back = el.querySelector('.c-back');
  back.textContent = returnText(row, now, state.lang, timeZoneOf(row.org));
  back.dataset.testid = 'back';
  el.querySelector('.c-alt').textContent = altText(named(row), state.lang);
  const msg = el.querySelector('.c-msg');
  msg.textContent = '';
  if (row.messages) msg.append(badge('msg', `✉ ${row.messages}`, `${row.messages} ${t().messages}`));
  if (row.voicemail) msg.append(badge('vm', `☎ ${row.voicemail}`, `${row.voicemail} ${t().voicemail}`));
  const desk = el.querySelector('.c-desk');
  desk.textContent = '';
  if (row.online !== null) {
    const s = badge(row.online ? 'on' : 'off', row.online ? t().online : t().offline, t().desk);
    s.dataset.testid = 'desk-state';
    desk.append(s);
  }
  if (row.desk) desk.append(link(row.desk, '↗', t().openDesk));
}

/** A forward without a name gets the colleague's name from the directory: "→ 2103 Cecilia Lund". */
function named(row) {
  const alt = row.alt;
  if (alt?.kind !== 'forward' || alt.name) return alt;
  const name = state.rows.get(`${row.org}/${alt.to}`)?.name;
  return name ? { ...alt, name } : alt;
}

function badge(kind, text, title) {
  const s = document.createElement('span');
  s.className = `badge ${kind}`;
  s.textContent = text;
  s.title = title;
  return s;
}

function link(href, text, title) {
  const a = document.createElement('a');
  if (/^https?:\/\//.test(href)) a.href = href;
  a.target = '_blank';
  a.rel = 'noopener noreferrer';
  a.textContent = text;
  a.title = title;
  a.dataset.testid = 'desk-link';
  return a;
}

function renderHead() {
  const h = t();
  const head = $('[data-testid="head"]');
  head.innerHTML = '';
  for (const [cls, text] of [
    ['c-state', h.state],
    ['c-name', h.name],
    ['c-ext', h.ext],
    ['c-dept', h.department],
    ['c-back', h.returns],
    ['c-alt', h.alt],
    ['c-msg', h.waiting],
    ['c-desk', h.desk],
  ]) {
    const s = document.createElement('span');
    s.className = cls;
    s.textContent = text;
    head.append(s);
  }
  input.placeholder = h.search;
  document.documentElement.lang = state.lang;
  const langs = $('[data-testid="langs"]');
  langs.innerHTML = '';
  for (const lang of LANGS) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = lang;
    b.setAttribute('aria-pressed', String(lang === state.lang));
    b.addEventListener('click', () => {
      state.lang = lang;
      const params = new URLSearchParams(location.search);
      params.set('lang', lang);
      history.replaceState(null, '', `?${params}`);
      renderHead();
      renderUser();
      state.dirty.view = true;
      state.dirty.chrome = true;
      schedule();
      input.focus();
    });
    langs.append(b);
  }
}

function renderChrome() {
  chromeAt = performance.now();
  const now = Date.now();
  const orgs = [...state.orgs.values()];
  $('[data-testid="org-name"]').textContent = orgs.map((o) => o.name).join(' · ') || 'hanvisa';
  $('[data-testid="greeting"]').textContent = orgs.length === 1 ? (orgs[0].greeting ?? '') : '';
  document.title = `${orgs[0]?.name ?? 'hanvisa'} · hanvisa`;
  const counts = { available: 0, away: 0, overdue: 0, offline: 0 };
  for (const row of state.rows.values()) {
    const st = stateOf(row, now);
    if (st !== 'unknown') counts[st]++;
    if (row.online === false) counts.offline++;
  }
  const h = t();
  const box = $('[data-testid="counts"]');
  box.textContent = '';
  box.append(
    count('total', state.rows.size, h.people),
    count('available', counts.available, h.available.toLowerCase()),
    count('away', counts.away, h.away),
    count('overdue', counts.overdue, h.overdueCount),
    count('offline', counts.offline, h.offlineCount),
  );
  renderDepartments(now);
}

/** Most departments fit in a strip; with many (a large organisation) only those needing attention. */
const STRIP_MAX = 16;

function renderDepartments(now) {
  const h = t();
  const members = new Map();
  for (const row of state.rows.values()) {
    if (!row.department) continue;
    const key = `${row.org}/${row.department}`;
    const list = members.get(key);
    if (list) list.push(row);
    else members.set(key, [row]);
  }
  const chips = [];
  const queuesShown = new Set();
  for (const [key, dept] of state.departments) {
    const org = key.slice(0, key.indexOf('/'));
    const summary = summarise(dept, members.get(key) ?? [], now, timeZoneOf(org));
    const queueKey = dept.queue ? `${org}/${dept.queue}` : undefined;
    const queue = queueKey ? state.queues.get(queueKey) : undefined;
    if (queueKey) queuesShown.add(queueKey);
    chips.push({
      key,
      name: departmentName({ org, department: key.slice(org.length + 1) }),
      dept,
      summary,
      queue,
      org,
    });
  }
  const orphanQueues = [...state.queues].filter(([key]) => !queuesShown.has(key));
  const attention = (c) => c.summary.alarm || (c.queue && c.queue.waiting > 0);
  const shown = chips.length > STRIP_MAX ? chips.filter(attention) : chips;
  shown.sort((a, b) => collator.compare(a.name, b.name));

  const strip = $('[data-testid="queues"]');
  strip.textContent = '';
  for (const c of shown) {
    const chip = document.createElement('button');
    chip.type = 'button';
    chip.className = 'dept';
    chip.dataset.testid = 'department';
    chip.dataset.id = c.key;
    if (c.summary.alarm) chip.dataset.alarm = c.summary.alarm;
    if (c.summary.open === false) chip.dataset.closed = 'true';
    const name = document.createElement('span');
    name.className = 'qname';
    name.textContent = c.name;
    const inn = document.createElement('span');
    inn.className = 'din';
    inn.dataset.testid = 'dept-in';
    inn.textContent = `${c.summary.available}/${c.summary.total} ${h.in}`;
    chip.append(name, inn);
    if (c.summary.nextBack !== null) {
      const next = document.createElement('span');
      next.className = 'dnext';
      next.dataset.testid = 'dept-next';
      next.textContent = `${h.next} ${clock(new Date(c.summary.nextBack).toISOString(), now, state.lang, timeZoneOf(c.org))}`;
      chip.append(next);
    }
    if (c.summary.alarm) {
      const alarm = document.createElement('strong');
      alarm.className = 'dalarm';
      alarm.dataset.testid = 'dept-alarm';
      alarm.textContent = c.summary.alarm === 'must-answer' ? h.mustAnswer : h.allAway;
      chip.append(alarm);
    } else if (c.summary.open === false) {
      const closed = document.createElement('span');
      closed.className = 'dclosed';
      closed.textContent = h.closed;
      chip.append(closed);
    }
    if (c.queue) chip.append(queueChip(c.queue, c.name, now, false));
    // a click lists the department's people
    chip.addEventListener('mousedown', (e) => {
      e.preventDefault();
      input.value = c.dept.name;
      input.dispatchEvent(new Event('input'));
    });
    strip.append(chip);
  }
  for (const [key, q] of orphanQueues) strip.append(queueChip(q, q.name ?? key.split('/')[1], now, true));
}

/** Waiting calls; red once the oldest has waited past 20 s (about four rings, Guldborgsund). */
function queueChip(q, name, now, withName) {
  const h = t();
  const chip = document.createElement('span');
  chip.className = 'queue';
  chip.dataset.testid = 'queue';
  chip.dataset.level =
    q.waiting === 0 ? 'idle' : now - Date.parse(q.oldestSince ?? q.at) > 20_000 ? 'long' : 'busy';
  chip.title = name;
  if (withName) {
    const label = document.createElement('span');
    label.className = 'qname';
    label.textContent = name;
    chip.append(label);
  }
  const n = document.createElement('b');
  n.className = 'qn';
  n.textContent = String(q.waiting);
  const w = document.createElement('span');
  w.className = 'qwait';
  w.textContent = q.waiting ? `${h.waitingCalls} · ${waited(q.oldestSince, now)}` : h.waitingCalls;
  chip.append(n, w);
  return chip;
}

function count(kind, n, label) {
  const s = document.createElement('span');
  s.className = `count ${kind}`;
  s.dataset.testid = `count-${kind}`;
  const b = document.createElement('b');
  b.textContent = String(n);
  s.append(b, ` ${label}`);
  return s;
}

function renderDetail() {
  const row = state.detailOpen && state.selected ? state.rows.get(state.selected) : undefined;
  detail.hidden = !row;
  if (!row) return;
  const now = Date.now();
  const h = t();
  const tz = timeZoneOf(row.org);
  const st = stateOf(row, now);
  detail.dataset.state = st;
  detailInfo.textContent = '';
  const title = document.createElement('h2');
  title.textContent = row.name ?? row.ext;
  title.dataset.testid = 'detail-name';
  const sub = document.createElement('p');
  sub.className = 'sub';
  sub.textContent = [row.title, departmentName(row)].filter(Boolean).join(' · ');
  const status = document.createElement('p');
  status.className = 'status';
  status.dataset.testid = 'detail-status';
  status.textContent = [
    stateText(row, state.lang, catalogueOf(row.org)),
    returnText(row, now, state.lang, tz),
  ]
    .filter(Boolean)
    .join(' · ');
  detailInfo.append(title, sub, status);
  const dl = document.createElement('dl');
  const item = (label, value) => {
    if (!value) return;
    const dt = document.createElement('dt');
    dt.textContent = label.charAt(0).toUpperCase() + label.slice(1);
    const dd = document.createElement('dd');
    dd.textContent = value;
    dl.append(dt, dd);
  };
  item(h.ext, row.ext);
  item(h.direct, row.direct);
  item(h.mobile, row.mobile);
  if (row.status === 'away' && row.since) item(h.since, clock(row.since, now, state.lang, tz));
  const alt = named(row);
  if (alt?.kind === 'forward') item(h.forward, `${alt.to}${alt.name ? ` ${alt.name}` : ''}`);
  if (row.alt?.kind === 'info') item(h.info, row.alt.text ?? '');
  item(h.note, row.note);
  item(h.voicemail, row.voicemail ? String(row.voicemail) : '');
  item(h.messages, row.messages ? String(row.messages) : '');
  item(h.desk, row.online === null ? '' : row.online ? h.online : h.offline);
  const dept = row.department ? state.departments.get(`${row.org}/${row.department}`) : undefined;
  if (dept?.phoneHours?.length) {
    item(
      h.phoneHours,
      dept.phoneHours.map((p) => `${dayRange(p.days, h.days)} ${p.from}–${p.to}`).join(', '),
    );
  }
  detailInfo.append(dl);
  if (row.desk) detailInfo.append(link(row.desk, `${h.openDesk} ↗`, h.openDesk));
  renderMessages(row, now, tz);
  renderActions(row);
}

// ---- acting: on someone's behalf, messages --------------------------------------------------------

/** A write to the board: JSON with the session's CSRF token; a refusal's reason becomes the error. */
async function post(path, body) {
  const res = await fetch(path, {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
    body: JSON.stringify(body),
  });
  const answer = await res.json().catch(() => ({}));
  if (res.status === 401) location.href = '/login';
  if (!res.ok) throw new Error(answer.error ?? `${res.status}`);
  return answer;
}

function field(label, control) {
  const l = document.createElement('label');
  const span = document.createElement('span');
  span.textContent = label;
  l.append(span, control);
  return l;
}

function button(text, testid, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = text;
  b.dataset.testid = testid;
  b.addEventListener('click', onClick);
  return b;
}

/** Runs a write and says how it went in `out` (aria-live, so a screen reader hears it too). */
function attempt(out, run) {
  out.dataset.state = 'busy';
  out.textContent = '…';
  run().then(
    () => {
      out.dataset.state = 'ok';
      out.textContent = t().saved;
    },
    (e) => {
      out.dataset.state = 'error';
      out.textContent = `${t().failed}: ${e.message}`;
    },
  );
}

let messagesKey = '';
function renderMessages(row, now, tz) {
  // Redrawn only when they (or the day, which decides "17:00" or "tis 17:00") change, so a focused
  // Handled button keeps its focus through the deltas.
  const key = `${keyOf(row)}|${state.lang}|${tz}|${new Date(now).toDateString()}|${JSON.stringify(row.phoneMessages ?? null)}`;
  if (key === messagesKey) return;
  messagesKey = key;
  detailMessages.textContent = '';
  if (!row.phoneMessages?.length) return;
  const h = t();
  const mayHandle = session.role === 'operator' || session.ext === row.ext;
  const ul = document.createElement('ul');
  ul.className = 'messages';
  ul.dataset.testid = 'detail-messages';
  for (const m of row.phoneMessages) {
    const li = document.createElement('li');
    const who = document.createElement('b');
    who.textContent = [m.from, m.number].filter(Boolean).join(', ');
    const text = document.createElement('p');
    text.textContent = m.text;
    const meta = document.createElement('small');
    meta.textContent = [
      m.callbackBy ? `${h.callbackBy} ${clock(m.callbackBy, now, state.lang, tz)}` : '',
      m.takenBy ? `${h.takenBy} ${m.takenBy}` : '',
    ]
      .filter(Boolean)
      .join(' · ');
    li.append(who, text, meta);
    if (mayHandle) {
      const out = document.createElement('span');
      out.className = 'result';
      out.setAttribute('aria-live', 'polite');
      li.append(
        button(h.handled, 'msg-handled', () =>
          attempt(out, () =>
            post(`/api/messages/${row.org}/${row.ext}/${encodeURIComponent(m.id)}/handled`, {}),
          ),
        ),
        out,
      );
    }
    ul.append(li);
  }
  const title = document.createElement('h3');
  title.textContent = h.messages.charAt(0).toUpperCase() + h.messages.slice(1);
  detailMessages.append(title, ul);
}

/** "1530", "930", "9.30" → "15:30", "09:30"; anything else is sent as typed for the server to refuse. */
function hhmm(text) {
  const m = /^(\d{1,2})[:.]?(\d{2})$/.exec(text.trim());
  return m ? `${m[1].padStart(2, '0')}:${m[2]}` : text.trim();
}

let actionsKey = '';
function renderActions(row) {
  const key = session.role === 'operator' ? `${keyOf(row)}|${state.lang}` : '';
  if (key === actionsKey) return;
  actionsKey = key;
  detailActions.textContent = '';
  if (!key) return;
  const h = t();
  const path = (kind) => `/api/${kind}/${row.org}/${row.ext}`;

  const referral = document.createElement('section');
  referral.className = 'actions';
  referral.dataset.testid = 'act';
  const title = document.createElement('h3');
  title.textContent = h.setReferral;
  // Text, not type=time: the same 24-hour HH:MM in every browser language, typed as 1530 or 15:30,
  // with no picker to trap the Tab key. The server reads it in the person's organisation's time zone.
  const until = document.createElement('input');
  until.inputMode = 'numeric';
  until.maxLength = 5;
  until.placeholder = '15:30';
  until.dataset.testid = 'act-until';
  const furtherNotice = document.createElement('input');
  furtherNotice.type = 'checkbox';
  furtherNotice.dataset.testid = 'act-further-notice';
  const note = document.createElement('input');
  note.maxLength = 80;
  note.dataset.testid = 'act-note';
  const out = document.createElement('p');
  out.className = 'result';
  out.dataset.testid = 'act-result';
  out.setAttribute('aria-live', 'polite');
  const reasons = document.createElement('div');
  reasons.className = 'reasons';
  for (const r of catalogueOf(row.org)) {
    reasons.append(
      button(r.labels[state.lang], `act-${r.code}`, () =>
        attempt(out, () =>
          post(path('presence'), {
            reason: r.code,
            // a reason that needs a return time refuses "until further notice", with the reason shown
            ...(furtherNotice.checked
              ? { untilFurtherNotice: true }
              : until.value.trim()
                ? { until: hhmm(until.value) }
                : {}),
            ...(note.value.trim() ? { note: note.value.trim() } : {}),
          }),
        ),
      ),
    );
  }
  reasons.append(
    button(h.open, 'act-open', () => attempt(out, () => post(path('presence'), { open: true }))),
  );
  const ufn = field(h.furtherNotice, furtherNotice);
  ufn.className = 'check';
  referral.append(title, field(h.untilAt, until), ufn, field(h.note, note), reasons, out);

  const message = document.createElement('section');
  message.className = 'actions';
  message.dataset.testid = 'msg';
  const mTitle = document.createElement('h3');
  mTitle.textContent = h.takeMessage;
  const from = document.createElement('input');
  from.maxLength = 120;
  from.dataset.testid = 'msg-from';
  const number = document.createElement('input');
  number.maxLength = 32;
  number.inputMode = 'tel';
  number.dataset.testid = 'msg-number';
  const text = document.createElement('textarea');
  text.maxLength = 1000;
  text.rows = 3;
  text.dataset.testid = 'msg-text';
  const mOut = document.createElement('p');
  mOut.className = 'result';
  mOut.dataset.testid = 'msg-result';
  mOut.setAttribute('aria-live', 'polite');
  const save = button(h.saveMessage, 'msg-save', () =>
    attempt(mOut, async () => {
      await post(path('messages'), {
        from: from.value,
        text: text.value,
        ...(number.value.trim() ? { number: number.value.trim() } : {}),
      });
      from.value = '';
      number.value = '';
      text.value = '';
    }),
  );
  message.append(mTitle, field(h.from, from), field(h.number, number), field(h.text, text), save, mOut);
  detailActions.append(referral, message);
}

function renderUser() {
  const box = $('[data-testid="user"]');
  box.textContent = '';
  if (!session.username) return;
  const h = t();
  if (session.openAccess) {
    box.textContent = h.openAccess;
    box.dataset.open = 'true';
    return;
  }
  const who = document.createElement('span');
  who.textContent = session.name;
  who.title = `${session.username} (${session.role})`;
  // A fetch, not a form: the board's CSP allows no form submissions at all.
  const out = button(h.logout, 'logout', () =>
    fetch('/logout', { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } }).finally(() => {
      location.href = '/login';
    }),
  );
  box.append(who, out);
}

/** Who is looking: the role decides which controls the page offers; no session means the login page. */
async function loadSession() {
  const res = await fetch('/api/session');
  if (res.status === 401) {
    location.href = `/login?next=${encodeURIComponent(location.pathname + location.search)}`;
    return false;
  }
  Object.assign(session, await res.json());
  renderUser();
  return true;
}

/** [1,2,3,4,5] → "mån–fre"; gaps listed: [1,3] → "mån, ons". */
function dayRange(days, names) {
  const sorted = [...days].sort((a, b) => a - b);
  const runs = [];
  for (const d of sorted) {
    const last = runs.at(-1);
    if (last && d === last[1] + 1) last[1] = d;
    else runs.push([d, d]);
  }
  return runs
    .map(([a, b]) =>
      a === b
        ? names[a - 1]
        : b === a + 1
          ? `${names[a - 1]}, ${names[b - 1]}`
          : `${names[a - 1]}–${names[b - 1]}`,
    )
    .join(', ');
}

// ---- interaction -------------------------------------------------------------------------------

function select(key, open = false) {
  state.selected = key;
  if (open) state.detailOpen = true;
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

function move(by) {
  if (state.view.length === 0) return;
  const i = state.view.indexOf(state.selected);
  const next = Math.min(state.view.length - 1, Math.max(0, (i < 0 ? -1 : i) + by));
  select(state.view[next], state.detailOpen);
}

input.addEventListener('input', () => {
  state.detailOpen = false;
  state.dirty.view = true;
  list.scrollTop = 0;
  schedule();
});

input.addEventListener('keydown', (e) => {
  const page = Math.max(1, Math.floor(list.clientHeight / ROW_HEIGHT) - 1);
  const keys = {
    ArrowDown: () => move(1),
    ArrowUp: () => move(-1),
    PageDown: () => move(page),
    PageUp: () => move(-page),
    Enter: () => state.selected && select(state.selected, true),
    Escape: () => {
      if (state.detailOpen) state.detailOpen = false;
      else input.value = '';
      state.dirty.view = true;
      schedule();
    },
  };
  const action = keys[e.key];
  if (action) {
    e.preventDefault();
    action();
  }
});

document.addEventListener('keydown', (e) => {
  // Typing anywhere goes to the search: the operator has a caller on the line. Not from the details'
  // own controls: there the keys fill in a message or press a button.
  if (detail.contains(document.activeElement)) return;
  if (document.activeElement !== input && e.key.length === 1 && !e.ctrlKey && !e.metaKey && !e.altKey)
    input.focus();
});

detail.addEventListener('keydown', (e) => {
  if (e.key !== 'Escape') return;
  e.preventDefault();
  state.detailOpen = false;
  input.focus();
  schedule();
});

list.addEventListener('scroll', () => renderList(false), { passive: true });
window.addEventListener('resize', () => renderList(false));

// Return times become overdue as the clock runs: repaint the visible rows and counters on a tick.
let tick = 0;
setInterval(() => {
  tick++;
  state.dirty.chrome = true;
  schedule();
}, TICK_MS);

// ---- connection --------------------------------------------------------------------------------

function connect() {
  const params = new URLSearchParams(location.search);
  const lang = params.get('lang');
  if (lang && LANGS.includes(lang)) state.lang = lang;
  renderHead();
  const org = params.get('org');
  const source = new EventSource(`/api/stream${org ? `?org=${encodeURIComponent(org)}` : ''}`);
  const conn = $('[data-testid="conn"]');
  let broker = true;
  const showConnection = (streaming) => {
    conn.dataset.state = !streaming ? 'reconnecting' : broker ? 'live' : 'stale';
    conn.textContent = !streaming ? t().reconnecting : broker ? t().live : t().brokerDown;
  };
  source.addEventListener('snapshot', (e) => {
    const snapshot = JSON.parse(e.data);
    broker = snapshot.broker;
    applySnapshot(snapshot);
    renderHead();
    showConnection(true);
  });
  source.addEventListener('delta', (e) => applyDeltas(JSON.parse(e.data)));
  source.addEventListener('status', (e) => {
    broker = JSON.parse(e.data).broker;
    showConnection(true);
  });
  source.addEventListener('error', () => {
    showConnection(false);
    // The server closed the stream for good (session expired or logged out): back to the login.
    if (source.readyState === EventSource.CLOSED) loadSession();
  });
}

input.focus();
loadSession().then((ok) => ok && connect());
