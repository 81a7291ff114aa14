// Local days, weeks and months in the organisation's zone, and the phone-hour and working-hour windows
// of a day as UTC intervals. Pure; memoised, because a rollup asks for the same day thousands of times.

import type { PhoneHours } from '../../../protocol/index.js';
import { instantWindowsOn } from '../../../rules/phone-hours.js';
import { fromLocal, isHoliday, localParts } from '../../../rules/time.js';

export type Window = readonly [number, number];

const pad = (n: number) => String(n).padStart(2, '0');

/** 'YYYY-MM-DD' of the local calendar day `ms` falls on. */
export function dayKey(ms: number, timeZone: string): string {
  const p = localParts(new Date(ms), timeZone);
  return `${p.year}-${pad(p.month)}-${pad(p.day)}`;
}

const starts = new Map<string, number>();
/** The instant the local day begins (00:00, or the first instant after a DST gap). */
export function dayStart(day: string, timeZone: string): number {
  const key = `${timeZone}|${day}`;
  let t = starts.get(key);
  if (t === undefined) {
    const [y, m, d] = day.split('-').map(Number) as [number, number, number];
    t = fromLocal(y, m, d, 0, 0, timeZone).getTime();
    if (starts.size > 10_000) starts.clear();
    starts.set(key, t);
  }
  return t;
}

/** The day after, as a key. */
export function nextDay(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const next = new Date(Date.UTC(y, m - 1, d + 1));
  return `${next.getUTCFullYear()}-${pad(next.getUTCMonth() + 1)}-${pad(next.getUTCDate())}`;
}

/** ISO week of a day key: '2026-W49'. */
export function weekKey(day: string): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const date = new Date(Date.UTC(y, m - 1, d));
  const weekday = date.getUTCDay() || 7;
  date.setUTCDate(date.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(date.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((date.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${date.getUTCFullYear()}-W${pad(week)}`;
}

export const monthKey = (day: string) => day.slice(0, 7);

const windowMemo = new Map<string, Window[]>();
/**
 * The intervals of `day` inside the given hours (each from ≤ t < to on the listed weekdays), none on
 * one of the org's holidays: the shared phone-hours rule (rules/phone-hours.ts), memoised.
 */
export function windowsOn(
  day: string,
  timeZone: string,
  hours: readonly PhoneHours[],
  holidays?: readonly string[],
): Window[] {
  const holiday = isHoliday(day, holidays);
  const key = `${timeZone}|${day}|${holiday}|${JSON.stringify(hours)}`;
  let out = windowMemo.get(key);
  if (out === undefined) {
    out = holiday ? [] : instantWindowsOn(day, hours, { timeZone });
    if (windowMemo.size > 20_000) windowMemo.clear();
    windowMemo.set(key, out);
  }
  return out;
}

/** `base` without the parts inside any of `holes` (both sorted or not; the result in order). */
export function subtractWindows(base: readonly Window[], holes: readonly Window[]): Window[] {
  let out: Window[] = [...base].sort((x, y) => x[0] - y[0]);
  for (const [ha, hb] of holes)
    out = out.flatMap(([a, b]): Window[] => {
      if (hb <= a || ha >= b) return [[a, b]];
      const parts: Window[] = [];
      if (ha > a) parts.push([a, ha]);
      if (hb < b) parts.push([hb, b]);
      return parts;
    });
  return out;
}

/**
 * Splits [from, to) at local midnights and hands each day's part inside `windows(day)` (or all of it
 * for 'all') to `add`, piece by piece.
 */
export function spread(
  from: number,
  to: number,
  timeZone: string,
  windows: (day: string) => readonly Window[] | 'all',
  add: (day: string, a: number, b: number) => void,
): void {
  if (to <= from) return;
  let day = dayKey(from, timeZone);
  let start = dayStart(day, timeZone);
  while (start < to) {
    const next = nextDay(day);
    const end = dayStart(next, timeZone);
    const a0 = Math.max(from, start);
    const b0 = Math.min(to, end);
    if (b0 > a0) {
      const w = windows(day);
      if (w === 'all') add(day, a0, b0);
      else
        for (const [wa, wb] of w) {
          const a = Math.max(a0, wa);
          const b = Math.min(b0, wb);
          if (b > a) add(day, a, b);
        }
    }
    day = next;
    start = end;
  }
}
