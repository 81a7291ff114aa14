// The counters and department tallies the page keeps as rows change (puts and removals, and the clock
// moving rows from away to overdue), so that no frame walks 50,000 rows: each department's counts,
// its away rows by return time in a min-heap, its rows, and its available rows with own phone hours.
import { type DepartmentTally, hasOwnHours, type TallyRow } from './departments.js';

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
      if (hasOwnHours(row)) b.timed.set(key, row);
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
      b.timed.delete(key);
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
    return {
      total: b.total,
      known: b.known,
      available: b.available,
      nextBack: b.heap[0]?.t ?? null,
      timed: b.timed.values(),
    };
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
        timed: new Map(),
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
  /** the available rows with phone hours of their own (few: most follow the department's) */
  timed: Map<string, R>;
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
