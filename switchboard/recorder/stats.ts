// Answers a statistics question from the store: the stored daily rows, today's (and any day not yet
// rolled up) kept live (today.ts), the alarm history, and the recorder's gaps. A recorder that stopped
// heartbeating counts as down from its last heartbeat: what nobody recorded is shown as a gap.

import { gapsOf } from './figures/gaps.js';
import { dayKey, dayStart, nextDay } from './figures/periods.js';
import { type AnswerTarget, buildReport, type Period, type Report } from './figures/report.js';
import type { AlarmRow, DailyRow } from './figures/rows.js';
import { coversOrg } from './recorded-events.js';
import type { Storage } from './storage/port.js';
import { TodayFigures } from './today.js';

export interface StatsQuery {
  org: string;
  from: string;
  to: string;
  period: Period;
  department?: string | undefined;
  /** per-person figures (only for roles that may see them) */
  people: boolean;
  timeZone: string;
  now: number;
  thresholdSeconds: number;
  /** the organisation's "answer within N rings" (default 4 rings of 5 s) */
  answer?: AnswerTarget | undefined;
  /** the recorder's heartbeat: three missed ones mean it is down */
  heartbeatMs: number;
}

/**
 * `today`: the live figures kept between requests (one per store, as the statistics routes hold it);
 * without one, today is replayed from the saved state.
 */
export async function statsReport(
  storage: Storage,
  q: StatsQuery,
  today: TodayFigures = new TodayFigures(storage),
): Promise<Report> {
  const fromMs = dayStart(q.from, q.timeZone);
  const toMs = dayStart(nextDay(q.to), q.timeZone);
  const stored = await storage.daily({
    org: q.org,
    fromDay: q.from,
    toDay: q.to,
    department: q.department,
    people: q.people,
  });
  const sessions = (await storage.sessions()).filter((s) => coversOrg(s, q.org));
  const { gaps, downSince } = gapsOf(sessions, q.now, q.heartbeatMs);
  const alarms = new Map<string, AlarmRow>();
  for (const a of await storage.alarms(q.org, fromMs, toMs, q.department))
    alarms.set(`${a.department}|${a.startedAt}`, a);
  let rows: DailyRow[] = stored;
  const through = await storage.rollupThrough(q.org);
  const liveFrom = through !== undefined ? dayKey(through, q.timeZone) : q.from;
  // days the rollup has not stored yet (today, or more while the rollup lags) come from the replay
  const live =
    q.to >= liveFrom && fromMs <= q.now ? await today.timeline(q.org, q.now, downSince) : undefined;
  if (live) {
    const wanted = (r: DailyRow) => r.day >= q.from && r.day <= q.to && r.day >= liveFrom;
    rows = stored.filter((r) => r.day < liveFrom).concat(live.rowsOf(q.department, q.people).filter(wanted));
    for (const [key, a] of live.alarms)
      if (
        (q.department === undefined || a.department === q.department) &&
        a.endedAt > fromMs &&
        a.startedAt < toMs
      )
        alarms.set(key, a);
  }
  return buildReport({
    org: q.org,
    from: q.from,
    to: q.to,
    period: q.period,
    thresholdSeconds: q.thresholdSeconds,
    answer: q.answer,
    rows,
    alarms: [...alarms.values()].sort((a, b) => a.startedAt - b.startedAt),
    gaps: gaps.filter((g) => (g.to ?? Number.POSITIVE_INFINITY) > fromMs && g.from < toMs),
    people: q.people,
  });
}
