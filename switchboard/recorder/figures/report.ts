// The figures as the statistics page and its CSV show them: stored daily rows plus today's live ones,
// summed per day, ISO week or month, per department, for the organisation and (where allowed) per
// person, with the derived numbers (minutes, averages, answered within the threshold, wait p50/p90).
import { monthKey, nextDay, weekKey } from './periods.js';
import { type AlarmRow, type DailyRow, emptyRow, mergeRow, quantile, within } from './rows.js';

export type Period = 'day' | 'week' | 'month';

export interface Figures {
  /** the period's key: a day '2026-12-02', an ISO week '2026-W49', a month '2026-12', or 'from..to' */
  period: string;
  /** the local days the figures cover, inside the range asked for: the same form on every row */
  firstDay: string;
  lastDay: string;
  unstaffedMinutes: number;
  alarms: number;
  unrecordedMinutes: number;
  referrals: number;
  byReason: Record<string, number>;
  overdue: number;
  overdueMinutesAvg: number | null;
  overdueMinutesMax: number;
  reopenedEarly: number;
  deskOfflineMinutes: number;
  messagesTaken: number;
  messagesHandled: number;
  messagesLate: number;
  handleMinutesAvg: number | null;
  calls: number;
  answered: number;
  answeredWithin: number;
  abandoned: number;
  waitP50: number | null;
  waitP90: number | null;
  queuePeak: number;
  queueLongestSeconds: number;
  unanswered: number;
  unreferred: number;
  /** calls to people answered in the department, and of those within the organisation's N rings */
  ringAnswered: number;
  answeredInRings: number;
  answeredInRingsPct: number | null;
  /** operators' transfers; answered (correct) or back at the switchboard; correct of those decided, % */
  transfers: number;
  transferredCorrectly: number;
  transfersBounced: number;
  transferredCorrectlyPct: number | null;
  /** private reasons are left out of `byReason` and `referrals` (a person, or a group too small) */
  privateHidden?: true;
}

/** Guldborgsund's "answer within 4 rings": N rings of the organisation's ring length. */
export interface AnswerTarget {
  rings: number;
  ringSeconds: number;
}
export const DEFAULT_ANSWER_TARGET: AnswerTarget = { rings: 4, ringSeconds: 5 };

const minutes = (seconds: number) => Math.round(seconds / 6) / 10;
/** a share in per cent with one decimal; null without a whole to take it of */
const percent = (part: number, whole: number) => (whole ? Math.round((part / whole) * 1000) / 10 : null);

export function derive(
  period: string,
  [firstDay, lastDay]: readonly [string, string],
  row: DailyRow,
  thresholdSeconds: number,
  answer: AnswerTarget,
): Figures {
  const waits = { ...row.answered_waits };
  for (const [s, n] of Object.entries(row.abandoned_waits)) waits[s] = (waits[s] ?? 0) + n;
  const ringAnswered = within(row.ring_answers, Number.POSITIVE_INFINITY);
  const answeredInRings = within(row.ring_answers, answer.rings * answer.ringSeconds);
  return {
    period,
    firstDay,
    lastDay,
    unstaffedMinutes: minutes(row.unstaffed_s),
    alarms: row.alarms,
    unrecordedMinutes: minutes(row.unrecorded_s),
    referrals: row.referrals,
    byReason: row.reasons,
    overdue: row.overdue,
    overdueMinutesAvg: row.overdue ? minutes(row.overdue_s / row.overdue) : null,
    overdueMinutesMax: minutes(row.overdue_max_s),
    reopenedEarly: row.reopened_early,
    deskOfflineMinutes: minutes(row.desk_offline_s),
    messagesTaken: row.messages_taken,
    messagesHandled: row.messages_handled,
    messagesLate: row.messages_late,
    handleMinutesAvg: row.handle_n ? minutes(row.handle_s / row.handle_n) : null,
    calls: row.calls,
    answered: row.answered,
    answeredWithin: within(row.answered_waits, thresholdSeconds),
    abandoned: row.abandoned,
    waitP50: quantile(waits, 0.5),
    waitP90: quantile(waits, 0.9),
    queuePeak: row.queue_peak,
    queueLongestSeconds: row.queue_longest_s,
    unanswered: row.unanswered,
    unreferred: row.unreferred,
    ringAnswered,
    answeredInRings,
    answeredInRingsPct: percent(answeredInRings, ringAnswered),
    transfers: row.transfers,
    transferredCorrectly: row.transfers_answered,
    transfersBounced: row.transfers_bounced,
    transferredCorrectlyPct: percent(row.transfers_answered, row.transfers_answered + row.transfers_bounced),
  };
}

export const periodOf = (day: string, period: Period) =>
  period === 'day' ? day : period === 'week' ? weekKey(day) : monthKey(day);

/** Each period's first and last day inside [from, to] (a week or month cut by the range is cut). */
export function periodSpans(from: string, to: string, period: Period): Map<string, [string, string]> {
  const spans = new Map<string, [string, string]>();
  for (let day = from; day <= to; day = nextDay(day)) {
    const key = periodOf(day, period);
    const span = spans.get(key);
    if (span) span[1] = day;
    else spans.set(key, [day, day]);
  }
  return spans;
}

/** Sums rows by (group, period) where group picks the series a row belongs to (or skips it). */
export function bucket(
  rows: readonly DailyRow[],
  period: Period,
  group: (row: DailyRow) => string | undefined,
): Map<string, Map<string, DailyRow>> {
  const out = new Map<string, Map<string, DailyRow>>();
  for (const row of rows) {
    const g = group(row);
    if (g === undefined) continue;
    const key = periodOf(row.day, period);
    let series = out.get(g);
    if (!series) {
      series = new Map();
      out.set(g, series);
    }
    let sum = series.get(key);
    if (!sum) {
      sum = emptyRow(row.org, key, row.department, row.ext);
      series.set(key, sum);
    }
    mergeRow(sum, row);
  }
  return out;
}

export interface Report {
  org: string;
  from: string;
  to: string;
  period: Period;
  thresholdSeconds: number;
  answer: AnswerTarget;
  /** the organisation (or the one department asked for) per period, and over the whole range */
  total: Figures[];
  overall: Figures;
  departments: { department: string; figures: Figures[]; overall: Figures }[];
  /** per person over the whole range; only for roles that may see personal figures */
  people?: { ext: string; department: string; figures: Figures }[];
  alarms: AlarmRow[];
  gaps: { from: number; to: number | null }[];
  /** whether any call event was recorded: without them calls, waits and the call figures stay empty */
  callEvents: boolean;
}

export function buildReport(input: {
  org: string;
  from: string;
  to: string;
  period: Period;
  thresholdSeconds: number;
  /** default: 4 rings of 5 s */
  answer?: AnswerTarget | undefined;
  rows: readonly DailyRow[];
  alarms: readonly AlarmRow[];
  gaps: { from: number; to: number | null }[];
  people: boolean;
}): Report {
  const { rows, period, thresholdSeconds } = input;
  const answer = input.answer ?? DEFAULT_ANSWER_TARGET;
  const spans = periodSpans(input.from, input.to, period);
  const series = (m: Map<string, DailyRow> | undefined) =>
    [...(m ?? new Map<string, DailyRow>()).entries()]
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([key, row]) =>
        derive(key, spans.get(key) ?? [input.from, input.to], row, thresholdSeconds, answer),
      );
  const range = `${input.from}..${input.to}`;
  const sum = (list: Iterable<DailyRow>, department: string, ext: string) => {
    const out = emptyRow(input.org, range, department, ext);
    for (const row of list) mergeRow(out, row);
    return derive(range, [input.from, input.to], out, thresholdSeconds, answer);
  };
  const orgRows = rows.filter((r) => r.ext === '');
  const total = bucket(orgRows, period, () => 'total').get('total');
  const byDept = bucket(orgRows, period, (r) => (r.department !== '' ? r.department : undefined));
  const report: Report = {
    org: input.org,
    from: input.from,
    to: input.to,
    period,
    thresholdSeconds,
    answer,
    total: series(total),
    overall: sum(orgRows, '', ''),
    departments: [...byDept.keys()].sort().map((department) => ({
      department,
      figures: series(byDept.get(department)),
      overall: sum(
        orgRows.filter((r) => r.department === department),
        department,
        '',
      ),
    })),
    alarms: [...input.alarms],
    gaps: input.gaps,
    callEvents: rows.some(
      (r) =>
        r.ext === '' &&
        (r.calls > 0 || r.unanswered > 0 || r.transfers > 0 || Object.keys(r.ring_answers).length > 0),
    ),
  };
  if (input.people) {
    const people = bucket(rows, 'month', (r) => (r.ext !== '' ? `${r.department}|${r.ext}` : undefined));
    report.people = [...people.entries()]
      .map(([key, months]) => {
        const [department, ext] = key.split('|') as [string, string];
        return { ext, department, figures: sum(months.values(), department, ext) };
      })
      .sort((a, b) => (a.department + a.ext < b.department + b.ext ? -1 : 1));
  }
  return report;
}
