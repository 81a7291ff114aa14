// A copy of the reducer's state and rows to go on from without touching the original: today's figures
// (today.ts) keep one timeline resumed as events arrive and answer each request from a fork of it,
// flushed to "now". The copy is as deep as the reducer writes: a person's state is only ever replaced
// (never changed in place), so people are copied by reference; departments, desks, open messages and
// calls are changed in place, so they are copied. Rows are copied when first touched (RowsOverlay).
import type { DailyRow } from './rows.js';
import type { TimelineState } from './state.js';

const copyEach = <T extends object>(record: Record<string, T>, copy: (value: T) => T): Record<string, T> => {
  const out: Record<string, T> = {};
  for (const key in record) out[key] = copy(record[key] as T);
  return out;
};

export function forkState(s: TimelineState): TimelineState {
  return {
    ...s,
    people: { ...s.people },
    depts: copyEach(s.depts, (d) => ({ ...d, alarm: d.alarm && { ...d.alarm } })),
    devices: copyEach(s.devices, (d) => ({ ...d })),
    messages: copyEach(s.messages, (open) => copyEach(open, (m) => ({ ...m }))),
    calls: { ...s.calls },
    ...(s.extCalls ? { extCalls: copyEach(s.extCalls, (c) => ({ ...c })) } : {}),
  };
}

export function copyRow(row: DailyRow): DailyRow {
  return {
    ...row,
    reasons: { ...row.reasons },
    answered_waits: { ...row.answered_waits },
    abandoned_waits: { ...row.abandoned_waits },
    ring_answers: { ...row.ring_answers },
  };
}

/**
 * The rows of a fork: reads see the base's rows, and a row is copied into the fork the first time the
 * reducer asks for it (it asks before every write), so a fork costs the rows it changes, not the day's
 * 50,000. The base must not change while the fork is in use.
 */
export class RowsOverlay extends Map<string, DailyRow> {
  constructor(private readonly base: ReadonlyMap<string, DailyRow>) {
    super();
  }

  override get(key: string): DailyRow | undefined {
    let row = super.get(key);
    if (!row) {
      const from = this.base.get(key);
      if (from) {
        row = copyRow(from);
        super.set(key, row);
      }
    }
    return row;
  }

  /** the fork's own copy of a row, without copying one */
  touched(key: string): DailyRow | undefined {
    return super.get(key);
  }

  override has(key: string): boolean {
    return super.has(key) || this.base.has(key);
  }

  override get size(): number {
    let n = this.base.size;
    for (const key of super.keys()) if (!this.base.has(key)) n++;
    return n;
  }

  override *entries(): MapIterator<[string, DailyRow]> {
    for (const [key, row] of this.base) yield [key, super.get(key) ?? row];
    for (const entry of super.entries()) if (!this.base.has(entry[0])) yield entry;
  }

  override *keys(): MapIterator<string> {
    for (const [key] of this.entries()) yield key;
  }

  override *values(): MapIterator<DailyRow> {
    for (const [, row] of this.entries()) yield row;
  }

  override [Symbol.iterator](): MapIterator<[string, DailyRow]> {
    return this.entries();
  }

  override forEach(fn: (row: DailyRow, key: string, map: Map<string, DailyRow>) => void): void {
    for (const [key, row] of this.entries()) fn(row, key, this);
  }
}
