// Row mapping shared by both adapters: DailyRow ↔ the daily table's columns, events ↔ the events table.

import { type DailyRow, METRICS } from '../figures/rows.js';
import type { RecordedEvent } from '../recorded-events.js';
import { type EventMarks, LATE_ORD } from './port.js';

export const DAILY_COLUMNS = [
  'org',
  'day',
  'department',
  'ext',
  ...METRICS,
  'reasons',
  'answered_waits',
  'abandoned_waits',
  'ring_answers',
];

export function dailyValues(row: DailyRow): unknown[] {
  return [
    row.org,
    row.day,
    row.department,
    row.ext,
    ...METRICS.map((m) => Math.round(row[m])),
    JSON.stringify(row.reasons),
    JSON.stringify(row.answered_waits),
    JSON.stringify(row.abandoned_waits),
    JSON.stringify(row.ring_answers),
  ];
}

/** Most cells are '{}': a year of 50,000 people's rows is millions of them, so skip the parser. */
const json = (cell: unknown) => (cell === '{}' ? {} : JSON.parse(String(cell)));

export function dailyFrom(raw: Record<string, unknown>): DailyRow {
  const row = {
    org: String(raw.org),
    day: String(raw.day),
    department: String(raw.department),
    ext: String(raw.ext),
    reasons: json(raw.reasons),
    answered_waits: json(raw.answered_waits),
    abandoned_waits: json(raw.abandoned_waits),
    ring_answers: json(raw.ring_answers),
  } as DailyRow;
  for (const m of METRICS) row[m] = Number(raw[m]);
  return row;
}

export function eventValues(e: RecordedEvent): unknown[] {
  return [e.id, e.org, e.ord, e.at, e.kind, e.subject, e.json ?? JSON.stringify(e.body)];
}

export function eventFrom(raw: Record<string, unknown>): RecordedEvent {
  return {
    id: String(raw.id),
    org: String(raw.org),
    ord: Number(raw.ord),
    at: Number(raw.at),
    kind: String(raw.kind) as RecordedEvent['kind'],
    subject: String(raw.subject),
    body: JSON.parse(String(raw.body)),
  };
}

/** The daily upsert: a rollup's row replaces what was stored for its key. */
export function dailyUpsert(placeholder: (i: number) => string): string {
  const keys = ['org', 'department', 'day', 'ext'];
  const values = DAILY_COLUMNS.map((_, i) => placeholder(i + 1)).join(', ');
  const updates = DAILY_COLUMNS.filter((c) => !keys.includes(c))
    .map((c) => `${c} = excluded.${c}`)
    .join(', ');
  return `INSERT INTO daily (${DAILY_COLUMNS.join(', ')}) VALUES (${values}) ON CONFLICT (${keys.join(', ')}) DO UPDATE SET ${updates}`;
}

/** The daily query's WHERE clause and parameters, placeholders from the adapter. */
export function dailyWhere(
  q: {
    org: string;
    fromDay: string;
    toDay: string;
    department?: string | undefined;
    people?: boolean | undefined;
  },
  placeholder: (i: number) => string,
): { where: string; params: unknown[] } {
  const params: unknown[] = [q.org, q.fromDay, q.toDay];
  let where = `org = ${placeholder(1)} AND day >= ${placeholder(2)} AND day <= ${placeholder(3)}`;
  if (q.department !== undefined) {
    params.push(q.department);
    where += ` AND department = ${placeholder(params.length)}`;
  }
  if (!q.people) where += " AND ext = ''";
  return { where, params };
}

/** operatorChanges (port.ts) in the dialect: `byKind` reads the body's `by.kind`. */
export function operatorChangesSql(p: (i: number) => string, byKind: string): string {
  return `SELECT DISTINCT at, body FROM events WHERE org = ${p(1)} AND kind = 'presence' AND subject = ${p(2)} AND ${byKind} = 'operator' ORDER BY at DESC, body LIMIT ${p(3)}`;
}

/**
 * An append's mark (port.ts EventMarks), in the append's transaction: parameters the batch's highest
 * and lowest receipt order (ordRange), each used once, in that order. `greatest` is the dialect's
 * two-argument maximum (max, GREATEST). The SET expressions all read the row as it was.
 */
export function marksUpsert(p: (i: number) => string, greatest: string): string {
  return `INSERT INTO event_marks (id, seq, high, late_seq) VALUES (1, 1, ${p(1)}, 0) ON CONFLICT (id) DO UPDATE SET seq = event_marks.seq + 1, high = ${greatest}(event_marks.high, excluded.high), late_seq = CASE WHEN ${p(2)} < event_marks.high - ${LATE_ORD} THEN event_marks.seq + 1 ELSE event_marks.late_seq END`;
}

/** The highest and lowest receipt order of a batch (not empty): marksUpsert's parameters. */
export function ordRange(events: readonly RecordedEvent[]): [number, number] {
  let low = Number.POSITIVE_INFINITY;
  let high = Number.NEGATIVE_INFINITY;
  for (const e of events) {
    if (e.ord < low) low = e.ord;
    if (e.ord > high) high = e.ord;
  }
  return [high, low];
}

export function marksFrom(row: Record<string, unknown> | undefined): EventMarks {
  return row
    ? { seq: Number(row.seq), high: Number(row.high), lateSeq: Number(row.late_seq) }
    : { seq: 0, high: 0, lateSeq: 0 };
}
