// A department at a glance, as pure functions of (department, its rows, now, time zone): who is in,
// when the next person is back, whether it is within phone hours, and the alarm the policies ask for
// (SAMSA/Guldborgsund: the whole department away; Högsby: a function that must always answer).

import { formatLocal, localParts } from '../../../rules/time.js';
import { zoneOr } from './format.js';

/** ISO weekday (1 = Monday) and "HH:MM" of an instant in a time zone. */
export function localTime(now, timeZone) {
  const at = new Date(now);
  const zone = zoneOr(timeZone);
  return { day: localParts(at, zone).weekday, hm: formatLocal(at, zone) };
}

/** Within any of the phone-hour windows ("from" inclusive, "to" exclusive). */
export function inPhoneHours(phoneHours, now, timeZone) {
  const { day, hm } = localTime(now, timeZone);
  return phoneHours.some((w) => w.days.includes(day) && w.from <= hm && hm < w.to);
}

/** Who is in among rows, as the strip counts them: total, known (a presence), available, next return. */
export function tallyRows(rows, now) {
  let known = 0;
  let available = 0;
  /** @type {number | null} */
  let nextBack = null;
  for (const row of rows) {
    if (row.status === null) continue;
    known++;
    if (row.status === 'available') available++;
    else if (row.until) {
      const t = Date.parse(row.until);
      if (t > now && (nextBack === null || t < nextBack)) nextBack = t;
    }
  }
  return { total: rows.length, known, available, nextBack };
}

/**
 * rows: the department's rows (whole rows as the page keeps them).
 * alarm: 'must-answer' when a must-answer function has nobody available during its hours (always, if
 * it has none); 'all-away' when everyone whose state is known is away during phone hours; else null.
 * Nobody known (no presence yet) raises no alarm: the board cannot tell.
 */
export function summarise(department, rows, now, timeZone) {
  return summariseTally(department, tallyRows(rows, now), now, timeZone);
}

/** The same from a department's tally (Tallies.department), without its rows. */
export function summariseTally(department, tally, now, timeZone) {
  const { total, known, available, nextBack } = tally;
  const hours = department.phoneHours ?? [];
  const open = hours.length === 0 ? null : inPhoneHours(hours, now, timeZone);
  /** @type {'must-answer' | 'all-away' | null} */
  let alarm = null;
  if (known > 0 && available === 0) {
    if (department.mustAnswer && open !== false) alarm = 'must-answer';
    else if (open) alarm = 'all-away';
  }
  return { total, known, available, nextBack, open, alarm };
}

/**
 * A department's people for its panel: `in` the available, by name; `away` by return, so the next
 * person back is first (future return times, earliest first), then the overdue (least late first),
 * then those away until further notice; `unknown` those with no presence yet. `compare` orders names.
 */
export function roster(rows, now, compare = byName) {
  const inn = [];
  const away = [];
  const unknown = [];
  for (const row of rows) {
    if (row.status === null) unknown.push(row);
    else if (row.status === 'available') inn.push(row);
    else away.push(row);
  }
  const rank = (row) => {
    const t = row.until ? Date.parse(row.until) : Number.NaN;
    if (t > now) return [0, t];
    if (t <= now) return [1, -t];
    return [2, 0];
  };
  const ranked = away.map((row) => ({ row, r: rank(row) }));
  ranked.sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || compare(a.row, b.row));
  return { in: inn.sort(compare), away: ranked.map((e) => e.row), unknown: unknown.sort(compare) };
}

function byName(a, b) {
  const x = a.name ?? a.ext ?? '';
  const y = b.name ?? b.ext ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Today's phone-hour windows in the time zone ("from"/"to", in order). */
export function hoursToday(phoneHours, now, timeZone) {
  const { day } = localTime(now, timeZone);
  return phoneHours
    .filter((w) => w.days.includes(day))
    .map(({ from, to }) => ({ from, to }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** The week's phone hours: "mån–fre 08:00–16:00"; days with gaps listed: [1,3] → "mån, ons". */
export function weekHours(phoneHours, dayNames) {
  return phoneHours.map((p) => `${dayRange(p.days, dayNames)} ${p.from}–${p.to}`).join(', ');
}

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

/**
 * The counters and the department tallies kept as rows change, so that nothing walks 50,000 rows
 * while deltas flow: put/remove take the old row out and the new one in. Time moves rows from away
 * to overdue: each department keeps its away rows that have a future return time in a min-heap, and
 * reading at a later `now` moves those whose time has passed (the heaps also give "next back").
 * Heap entries of replaced rows are left in place and skipped (compacted when they pile up).
 * Everything equals a full recount with stateOf / tallyRows at the same `now`. Each department also
 * keeps its rows (`members`) and a `version` that changes whenever they do, so its panel follows the
 * deltas from the department's rows alone.
 */
export class Tallies {
  constructor() {
    this.rows = new Map(); // key → row as counted
    this.buckets = new Map(); // org/department (or '' for none) → bucket
    this.offline = 0;
    this.asOf = Number.NEGATIVE_INFINITY; // rows with a return time up to this are counted overdue
    this.changes = 0; // a department's version is the count at its last change (never reused)
  }

  put(key, row) {
    if (this.rows.get(key) === row) return;
    this.remove(key);
    this.rows.set(key, row);
    if (row.online === false) this.offline++;
    const b = this.bucketOf(row, true);
    b.total++;
    b.members.set(key, row);
    b.version = ++this.changes;
    if (row.status === null) return;
    b.known++;
    if (row.status === 'available') {
      b.available++;
      return;
    }
    b.away++;
    const t = row.until ? Date.parse(row.until) : Number.NaN;
    if (t <= this.asOf) b.overdue++;
    else if (t > this.asOf) {
      b.waiting++;
      heapPush(b.heap, { t, key, row });
      if (b.heap.length > 2 * b.waiting + 64) this.compact(b);
    }
  }

  remove(key) {
    const row = this.rows.get(key);
    if (!row) return;
    this.rows.delete(key);
    if (row.online === false) this.offline--;
    const b = this.bucketOf(row, false);
    b.total--;
    b.members.delete(key);
    b.version = ++this.changes;
    if (row.status === null) return;
    b.known--;
    if (row.status === 'available') {
      b.available--;
      return;
    }
    b.away--;
    // its heap entry, if any, is left behind and skipped
    const t = row.until ? Date.parse(row.until) : Number.NaN;
    if (t <= this.asOf) b.overdue--;
    else if (t > this.asOf) b.waiting--;
  }

  /** The header's counters at `now`. */
  counts(now) {
    this.advance(now);
    const c = { available: 0, away: 0, overdue: 0, offline: this.offline };
    for (const b of this.buckets.values()) {
      c.available += b.available;
      c.away += b.away - b.overdue;
      c.overdue += b.overdue;
    }
    return c;
  }

  /** A department's tally at `now`, as tallyRows gives it for the department's rows. */
  department(key, now) {
    this.advance(now);
    const b = this.buckets.get(key);
    if (!b) return { total: 0, known: 0, available: 0, nextBack: null };
    while (b.heap.length && !this.current(b.heap[0])) heapPop(b.heap);
    return { total: b.total, known: b.known, available: b.available, nextBack: b.heap[0]?.t ?? null };
  }

  /** A department's rows now (org/department key). */
  members(key) {
    return this.buckets.get(key)?.members.values() ?? [];
  }

  /** Changes whenever the department's rows do. */
  version(key) {
    return this.buckets.get(key)?.version ?? 0;
  }

  /** Moves the rows whose return time has passed by `now` from away to overdue. */
  advance(now) {
    if (now < this.asOf) {
      // the clock went back: recount (rare; keeps the counts exact)
      const rows = [...this.rows];
      this.rows.clear();
      this.buckets.clear();
      this.offline = 0;
      this.asOf = now;
      for (const [key, row] of rows) this.put(key, row);
      return;
    }
    this.asOf = now;
    for (const b of this.buckets.values()) {
      while (b.heap.length && b.heap[0].t <= now) {
        const e = heapPop(b.heap);
        if (!this.current(e)) continue;
        b.waiting--;
        b.overdue++;
      }
    }
  }

  current(e) {
    return this.rows.get(e.key) === e.row;
  }

  bucketOf(row, create) {
    const key = row.department ? `${row.org}/${row.department}` : '';
    let b = this.buckets.get(key);
    if (!b && create) {
      b = {
        total: 0,
        known: 0,
        available: 0,
        away: 0,
        overdue: 0,
        waiting: 0,
        heap: [],
        members: new Map(),
        version: 0,
      };
      this.buckets.set(key, b);
    }
    return b;
  }

  compact(b) {
    const live = b.heap.filter((e) => this.current(e));
    b.heap = [];
    for (const e of live) heapPush(b.heap, e);
  }
}

function heapPush(heap, e) {
  heap.push(e);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (heap[p].t <= e.t) break;
    heap[i] = heap[p];
    i = p;
  }
  heap[i] = e;
}

function heapPop(heap) {
  const top = heap[0];
  const last = heap.pop();
  if (heap.length) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const c = l + 1 < heap.length && heap[l + 1].t < heap[l].t ? l + 1 : l;
      if (heap[c].t >= last.t) break;
      heap[i] = heap[c];
      i = c;
    }
    heap[i] = last;
  }
  return top;
}
