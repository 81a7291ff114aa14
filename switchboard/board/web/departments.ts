// A department at a glance, as pure functions of (department, its rows, now, time zone): who is in,
// when the next person is back, whether it is within phone hours, and the alarm the policies ask for
// (SAMSA/Guldborgsund: the whole department away; Högsby: a function that must always answer).

import type { Department, PhoneHours } from '../../../protocol/index.js';
import {
  type DepartmentAlarm,
  departmentAlarm,
  inPhoneHours as inHours,
} from '../../../rules/departments.js';
import { formatLocal, localParts } from '../../../rules/time.js';
import { type RowLike, zoneOr } from './format.js';

export interface DepartmentSummary {
  total: number;
  known: number;
  available: number;
  nextBack: number | null;
  open: boolean | null;
  alarm: DepartmentAlarm;
}

export interface DepartmentTally {
  total: number;
  known: number;
  available: number;
  nextBack: number | null;
}

/** What the tallies read of a row: its state, whose department, and its desk. */
export interface TallyRow extends RowLike {
  org: string;
  department: string | null;
  online: boolean | null;
}

/** What the department panel lists of a row: its state and who it is. */
export interface RosterRow extends RowLike {
  name?: string | null;
  ext?: string;
}

type Rules = Pick<Department, 'phoneHours' | 'mustAnswer'>;

/** ISO weekday (1 = Monday) and "HH:MM" of an instant in a time zone. */
export function localTime(now: number, timeZone?: string): { day: number; hm: string } {
  const at = new Date(now);
  const zone = zoneOr(timeZone);
  return { day: localParts(at, zone).weekday, hm: formatLocal(at, zone) };
}

/** Within any of the phone-hour windows ("from" inclusive, "to" exclusive). */
export function inPhoneHours(phoneHours: readonly PhoneHours[], now: number, timeZone?: string): boolean {
  return inHours(phoneHours, now, zoneOr(timeZone));
}

/** Who is in among rows, as the strip counts them: total, known (a presence), available, next return. */
export function tallyRows(rows: readonly RowLike[], now: number): DepartmentTally {
  let known = 0;
  let available = 0;
  let nextBack: number | null = null;
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

/** rows: the department's rows (whole rows as the page keeps them); the alarm is rules/departments.ts'. */
export function summarise(
  department: Rules,
  rows: readonly RowLike[],
  now: number,
  timeZone?: string,
): DepartmentSummary {
  return summariseTally(department, tallyRows(rows, now), now, timeZone);
}

/** The same from a department's tally (Tallies.department), without its rows. */
export function summariseTally(
  department: Rules,
  tally: DepartmentTally,
  now: number,
  timeZone?: string,
): DepartmentSummary {
  const { total, known, available, nextBack } = tally;
  const { open, alarm } = departmentAlarm(department, tally, now, zoneOr(timeZone));
  return { total, known, available, nextBack, open, alarm };
}

/**
 * A department's people for its panel: `in` the available, by name; `away` by return, so the next
 * person back is first (future return times, earliest first), then the overdue (least late first),
 * then those away until further notice; `unknown` those with no presence yet. `compare` orders names.
 */
export function roster<R extends RosterRow>(
  rows: Iterable<R>,
  now: number,
  compare: (a: R, b: R) => number = byName,
): { in: R[]; away: R[]; unknown: R[] } {
  const inn: R[] = [];
  const away: R[] = [];
  const unknown: R[] = [];
  for (const row of rows) {
    if (row.status === null) unknown.push(row);
    else if (row.status === 'available') inn.push(row);
    else away.push(row);
  }
  const rank = (row: R): [number, number] => {
    const t = row.until ? Date.parse(row.until) : Number.NaN;
    if (t > now) return [0, t];
    if (t <= now) return [1, -t];
    return [2, 0];
  };
  const ranked = away.map((row) => ({ row, r: rank(row) }));
  ranked.sort((a, b) => a.r[0] - b.r[0] || a.r[1] - b.r[1] || compare(a.row, b.row));
  return { in: inn.sort(compare), away: ranked.map((e) => e.row), unknown: unknown.sort(compare) };
}

function byName(a: RosterRow, b: RosterRow): number {
  const x = a.name ?? a.ext ?? '';
  const y = b.name ?? b.ext ?? '';
  return x < y ? -1 : x > y ? 1 : 0;
}

/** Today's phone-hour windows in the time zone ("from"/"to", in order). */
export function hoursToday(
  phoneHours: readonly PhoneHours[],
  now: number,
  timeZone?: string,
): { from: string; to: string }[] {
  const { day } = localTime(now, timeZone);
  return phoneHours
    .filter((w) => w.days.includes(day))
    .map(({ from, to }) => ({ from, to }))
    .sort((a, b) => (a.from < b.from ? -1 : a.from > b.from ? 1 : 0));
}

/** The week's phone hours: "mån–fre 08:00–16:00"; days with gaps listed: [1,3] → "mån, ons". */
export function weekHours(phoneHours: readonly PhoneHours[], dayNames: readonly string[]): string {
  return phoneHours.map((p) => `${dayRange(p.days, dayNames)} ${p.from}–${p.to}`).join(', ');
}

function dayRange(days: readonly number[], names: readonly string[]): string {
  const sorted = [...days].sort((a, b) => a - b);
  const runs: [number, number][] = [];
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
export class Tallies<R extends TallyRow = TallyRow> {
  /** key → row as counted */
  private readonly rows = new Map<string, R>();
  /** org/department (or '' for none) → bucket */
  private readonly buckets = new Map<string, Bucket<R>>();
  private offline = 0;
  /** rows with a return time up to this are counted overdue */
  private asOf = Number.NEGATIVE_INFINITY;
  /** a department's version is the count at its last change (never reused) */
  private changes = 0;

  put(key: string, row: R): void {
    if (this.rows.get(key) === row) return;
    this.remove(key);
    this.rows.set(key, row);
    if (row.online === false) this.offline++;
    const b = this.bucketOf(row);
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

  remove(key: string): void {
    const row = this.rows.get(key);
    if (!row) return;
    this.rows.delete(key);
    if (row.online === false) this.offline--;
    // a counted row's bucket exists: put made it
    const b = this.bucketOf(row);
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

  /**
   * The header's counters at `now`: each person in one state (no presence yet is `unknown`), so they
   * add up to the people on the board; and the desks offline.
   */
  counts(now: number): {
    available: number;
    away: number;
    overdue: number;
    unknown: number;
    offline: number;
  } {
    this.advance(now);
    const c = { available: 0, away: 0, overdue: 0, unknown: 0, offline: this.offline };
    for (const b of this.buckets.values()) {
      c.available += b.available;
      c.away += b.away - b.overdue;
      c.overdue += b.overdue;
      c.unknown += b.total - b.known;
    }
    return c;
  }

  /** A department's tally at `now`, as tallyRows gives it for the department's rows. */
  department(key: string, now: number): DepartmentTally {
    this.advance(now);
    const b = this.buckets.get(key);
    if (!b) return { total: 0, known: 0, available: 0, nextBack: null };
    while (b.heap[0] && !this.current(b.heap[0])) heapPop(b.heap);
    return { total: b.total, known: b.known, available: b.available, nextBack: b.heap[0]?.t ?? null };
  }

  /** A department's rows now (org/department key). */
  members(key: string): Iterable<R> {
    return this.buckets.get(key)?.members.values() ?? [];
  }

  /** Changes whenever the department's rows do. */
  version(key: string): number {
    return this.buckets.get(key)?.version ?? 0;
  }

  /** Moves the rows whose return time has passed by `now` from away to overdue. */
  private advance(now: number): void {
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
      while (b.heap[0] && b.heap[0].t <= now) {
        const e = heapPop(b.heap);
        if (!e || !this.current(e)) continue;
        b.waiting--;
        b.overdue++;
      }
    }
  }

  private current(e: HeapEntry<R>): boolean {
    return this.rows.get(e.key) === e.row;
  }

  private bucketOf(row: R): Bucket<R> {
    const key = row.department ? `${row.org}/${row.department}` : '';
    let b = this.buckets.get(key);
    if (!b) {
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

  private compact(b: Bucket<R>): void {
    const live = b.heap.filter((e) => this.current(e));
    b.heap = [];
    for (const e of live) heapPush(b.heap, e);
  }
}

/** A department's counts, its away rows with a future return time (a min-heap by it), and its rows. */
interface Bucket<R> {
  total: number;
  known: number;
  available: number;
  away: number;
  overdue: number;
  /** away with a return time still ahead (the live entries of the heap) */
  waiting: number;
  heap: HeapEntry<R>[];
  members: Map<string, R>;
  version: number;
}

interface HeapEntry<R> {
  t: number;
  key: string;
  row: R;
}

// The heap's slots below its length are always filled: the `as` casts below say so to the compiler.
function heapPush<E extends { t: number }>(heap: E[], e: E): void {
  heap.push(e);
  let i = heap.length - 1;
  while (i > 0) {
    const p = (i - 1) >> 1;
    const parent = heap[p] as E;
    if (parent.t <= e.t) break;
    heap[i] = parent;
    i = p;
  }
  heap[i] = e;
}

function heapPop<E extends { t: number }>(heap: E[]): E | undefined {
  const top = heap[0];
  const last = heap.pop();
  if (last && heap.length) {
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= heap.length) break;
      const left = heap[l] as E;
      const right = heap[l + 1];
      const [c, child] = right && right.t < left.t ? [l + 1, right] : [l, left];
      if (child.t >= last.t) break;
      heap[i] = child;
      i = c;
    }
    heap[i] = last;
  }
  return top;
}
