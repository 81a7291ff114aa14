// The figures' bookkeeping: the daily rows and alarms, and settling the time since the last event
// (unstaffed departments, desks offline, late callbacks, recorder gaps) into them. Timeline
// (timeline.ts) drives it, one handler per kind of recorded event.

import { type CallRows, forgetOldCalls } from './calls.js';
import { RowsOverlay } from './fork.js';
import { dayKey, dayStart, nextDay, spread, subtractWindows, windowsOn } from './periods.js';
import { type AlarmRow, type DailyRow, emptyRow, type Metric } from './rows.js';
import { type DeptState, deptOf, isPrivateReason, type PersonState, type TimelineState } from './state.js';

export class Ledger {
  /** the rows the call figures (calls.ts) count into */
  protected readonly callRows: CallRows = {
    queueRow: (t, queue) => this.row(dayKey(t, this.state.settings.timeZone), this.queueDept(queue), ''),
    personRows: (t, ext) => this.personRows(t, ext),
  };

  constructor(
    readonly state: TimelineState,
    /** the day's rows so far: empty at a rollup's start; a fork's copy-on-touch rows (fork.ts) */
    readonly rows: Map<string, DailyRow> = new Map(),
    readonly alarms: Map<string, AlarmRow> = new Map(),
    /** a fork's original (fork.ts), whose rows `rows` reads through */
    private readonly base?: Ledger,
  ) {}

  /**
   * The rows this ledger made, by department, then department rows (ext '') apart from people's: a
   * request for the departments reads a hundred rows, not a day's 50,000 (rowsOf).
   */
  private readonly made = new Map<string, { dept: Map<string, DailyRow>; people: Map<string, DailyRow> }>();

  protected row(day: string, department: string, ext: string): DailyRow {
    const key = `${day}|${department}|${ext}`;
    let row = this.rows.get(key);
    if (!row) {
      row = emptyRow(this.state.org, day, department, ext);
      this.rows.set(key, row);
      let made = this.made.get(department);
      if (!made) {
        made = { dept: new Map(), people: new Map() };
        this.made.set(department, made);
      }
      (ext === '' ? made.dept : made.people).set(key, row);
    }
    return row;
  }

  /**
   * The rows of one department (undefined: every one), with people's rows or without, as they stand
   * in `rows`; a fork (fork.ts) answers from its base's index and its own.
   */
  rowsOf(department: string | undefined, people: boolean): DailyRow[] {
    const out: DailyRow[] = [];
    const read = (ledger: Ledger, current: (key: string, row: DailyRow) => DailyRow) => {
      const parts = department === undefined ? ledger.made.values() : [ledger.made.get(department)];
      for (const part of parts) {
        if (!part) continue;
        for (const [key, row] of part.dept) out.push(current(key, row));
        if (people) for (const [key, row] of part.people) out.push(current(key, row));
      }
    };
    // a base row the fork changed is the fork's copy
    const { rows } = this;
    if (this.base) read(this.base, (key, row) => (rows instanceof RowsOverlay && rows.touched(key)) || row);
    read(this, (_key, row) => row);
    return out;
  }

  /** The person's row and their department's (or the organisation's, without one) for the day of t. */
  protected personRows(t: number, ext: string): DailyRow[] {
    const day = dayKey(t, this.state.settings.timeZone);
    const dept = this.state.people[ext]?.dept ?? '';
    return [this.row(day, dept, ext), this.row(day, dept, '')];
  }

  /** Adds to the person's row and their department's; a private reason's only to the department's. */
  protected addPerson(t: number, ext: string, metric: Metric, value = 1, reason?: string): void {
    const rows = this.personRows(t, ext);
    for (const row of reason !== undefined && isPrivateReason(this.state.settings, reason)
      ? rows.slice(1)
      : rows) {
      row[metric] += value;
      if (reason !== undefined) row.reasons[reason] = (row.reasons[reason] ?? 0) + 1;
    }
  }

  protected max(row: DailyRow, metric: Metric, value: number): void {
    row[metric] = Math.max(row[metric], value);
  }

  /**
   * Counts [emptySince, t) of a department into unstaffed time and its alarm: inside its phone hours
   * (all day for a must-answer function without), less the own hours of anyone available who has
   * some (SAMSA §7: they staff it then), as the board's alarm judges it.
   */
  protected settleDept(id: string, d: DeptState, t: number): void {
    if (d.emptySince === null || t <= d.emptySince) return;
    const { timeZone: tz, holidays } = this.state.settings;
    const base =
      d.hours.length > 0
        ? (day: string) => windowsOn(day, tz, d.hours, holidays)
        : d.mustAnswer
          ? (day: string) => [[dayStart(day, tz), dayStart(nextDay(day), tz)] as const]
          : undefined;
    const staffedBy = (day: string) =>
      (d.timed ?? []).flatMap((ext) => windowsOn(day, tz, this.state.people[ext]?.hours ?? [], holidays));
    const windows = base && ((day: string) => subtractWindows(base(day), staffedBy(day)));
    if (windows)
      spread(d.emptySince, t, tz, windows, (day, a, b) => {
        this.row(day, id, '').unstaffed_s += (b - a) / 1000;
        if (d.alarm && d.alarm.end === a) d.alarm.end = b;
        else {
          d.alarm = { start: a, end: b };
          this.row(day, id, '').alarms += 1;
        }
        this.alarms.set(`${id}|${d.alarm.start}`, {
          org: this.state.org,
          department: id,
          kind: d.mustAnswer ? 'must-answer' : 'all-away',
          startedAt: d.alarm.start,
          endedAt: d.alarm.end,
        });
      });
    d.emptySince = t;
  }

  /**
   * After a tally change: nobody known available (but those with own hours, counted by the windows)
   * starts or ends the empty condition.
   */
  protected recheck(d: DeptState, t: number): void {
    const empty = d.known > 0 && d.available === (d.timed?.length ?? 0);
    if (empty && d.emptySince === null) d.emptySince = t;
    if (!empty) d.emptySince = null;
  }

  protected settleDevice(id: string, t: number): void {
    const dev = this.state.devices[id];
    if (!dev || dev.offlineSince === null || t <= dev.offlineSince) return;
    const { timeZone, workday, workdays, holidays } = this.state.settings;
    const hours = [{ days: workdays, ...workday }];
    const ext = dev.ext;
    spread(
      dev.offlineSince,
      t,
      timeZone,
      (day) => windowsOn(day, timeZone, hours, holidays),
      (_day, a, b) => {
        if (ext) this.addPerson(a, ext, 'desk_offline_s', (b - a) / 1000);
      },
    );
    dev.offlineSince = t;
  }

  /** Moves a person's contribution between department tallies (old out, new in), settling both first. */
  protected setPerson(ext: string, next: PersonState, t: number): void {
    const prev = this.state.people[ext];
    for (const id of new Set([prev?.dept, next.dept])) if (id) this.settleDept(id, deptOf(this.state, id), t);
    if (prev?.dept && prev.status !== null) {
      const d = deptOf(this.state, prev.dept);
      d.known--;
      if (prev.status === 'available') d.available--;
      if (d.timed?.includes(ext)) d.timed = d.timed.filter((e) => e !== ext);
    }
    if (next.dept && next.status !== null) {
      const d = deptOf(this.state, next.dept);
      d.known++;
      if (next.status === 'available') d.available++;
      if (next.status === 'available' && next.hours?.length) d.timed = [...(d.timed ?? []), ext];
    }
    this.state.people[ext] = next;
    for (const id of new Set([prev?.dept, next.dept])) if (id) this.recheck(deptOf(this.state, id), t);
  }

  protected checkDeadlines(t: number): void {
    const next = this.state.nextDeadline;
    if (next === null || (next !== undefined && t < next)) return;
    let earliest: number | null = null;
    for (const [ext, open] of Object.entries(this.state.messages))
      for (const m of Object.values(open)) {
        if (!m.late && m.deadline <= t) {
          m.late = true;
          this.addPerson(m.deadline, ext, 'messages_late');
        }
        if (!m.late && (earliest === null || m.deadline < earliest)) earliest = m.deadline;
      }
    this.state.nextDeadline = earliest;
  }

  /** Accounts all open conditions up to t: a rollup's end, or "now" for today's live figures. */
  flush(t: number): void {
    const s = this.state;
    t = Math.max(t, s.t);
    this.checkDeadlines(t);
    forgetOldCalls(s, t);
    for (const [id, d] of Object.entries(s.depts)) this.settleDept(id, d, t);
    for (const id of Object.keys(s.devices)) this.settleDevice(id, t);
    if (s.downSince !== null) {
      spread(
        s.downSince,
        t,
        s.settings.timeZone,
        () => 'all',
        (day, a, b) => {
          this.row(day, '', '').unrecorded_s += (b - a) / 1000;
        },
      );
      s.downSince = t;
    }
    s.t = t;
  }

  protected queueDept(queue: string | null | undefined): string {
    if (!queue) return '';
    for (const [id, d] of Object.entries(this.state.depts)) if (d.queue === queue) return id;
    return '';
  }
}
