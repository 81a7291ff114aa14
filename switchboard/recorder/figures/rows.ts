// The figures' stored shape: one DailyRow per (organisation, local day, department, person), where a
// department row has ext '' and an organisation row department '' too. Person figures are added to
// their department's row as well, so the department row stays whole when person rows are purged (GDPR).

/** Counters and seconds; the *_max and queue_* ones merge by maximum, the rest by sum. */
export const METRICS = [
  'unstaffed_s',
  'alarms',
  'unrecorded_s',
  'referrals',
  'overdue',
  'overdue_s',
  'overdue_max_s',
  'reopened_early',
  'desk_offline_s',
  'messages_taken',
  'messages_handled',
  'messages_late',
  'handle_s',
  'handle_n',
  'calls',
  'answered',
  'abandoned',
  'queue_peak',
  'queue_longest_s',
  'unanswered',
  'unreferred',
  'transfers',
  'transfers_answered',
  'transfers_bounced',
] as const;
export type Metric = (typeof METRICS)[number];
const MAX_METRICS: ReadonlySet<Metric> = new Set(['overdue_max_s', 'queue_peak', 'queue_longest_s']);

/** seconds waited → calls; sparse */
export type Histogram = Record<string, number>;

export type DailyRow = { org: string; day: string; department: string; ext: string } & Record<
  Metric,
  number
> & {
    reasons: Record<string, number>;
    answered_waits: Histogram;
    abandoned_waits: Histogram;
    /** calls to people answered in the department: seconds rung → calls (calls.ts) */
    ring_answers: Histogram;
  };

export interface AlarmRow {
  org: string;
  department: string;
  /** 'all-away' (everyone known away in phone hours) or 'must-answer' (a must-answer function unstaffed) */
  kind: 'all-away' | 'must-answer';
  startedAt: number;
  endedAt: number;
}

export function emptyRow(org: string, day: string, department: string, ext: string): DailyRow {
  const row = {
    org,
    day,
    department,
    ext,
    reasons: {},
    answered_waits: {},
    abandoned_waits: {},
    ring_answers: {},
  } as Partial<DailyRow>;
  for (const m of METRICS) (row as Record<string, unknown>)[m] = 0;
  return row as DailyRow;
}

function mergeCounts(into: Record<string, number>, from: Record<string, number>): void {
  for (const [k, v] of Object.entries(from)) into[k] = (into[k] ?? 0) + v;
}

/** Adds `from` into `into` (same shape; the key fields of `into` stay). */
export function mergeRow(into: DailyRow, from: DailyRow): DailyRow {
  for (const m of METRICS) into[m] = MAX_METRICS.has(m) ? Math.max(into[m], from[m]) : into[m] + from[m];
  mergeCounts(into.reasons, from.reasons);
  mergeCounts(into.answered_waits, from.answered_waits);
  mergeCounts(into.abandoned_waits, from.abandoned_waits);
  mergeCounts(into.ring_answers, from.ring_answers);
  return into;
}

/** The smallest wait w such that at least `q` of the calls waited w seconds or less; null without calls. */
export function quantile(histogram: Histogram, q: number): number | null {
  const entries = Object.entries(histogram)
    .map(([s, n]) => [Number(s), n] as const)
    .sort((a, b) => a[0] - b[0]);
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  if (total === 0) return null;
  let seen = 0;
  for (const [seconds, n] of entries) {
    seen += n;
    if (seen >= q * total) return seconds;
  }
  return entries.at(-1)?.[0] ?? null;
}

/** Calls that waited at most `seconds`. */
export function within(histogram: Histogram, seconds: number): number {
  let n = 0;
  for (const [s, count] of Object.entries(histogram)) if (Number(s) <= seconds) n += count;
  return n;
}
