// The recorder's gaps: the times no recording session covered. Sessions overlap when a new recorder
// starts before the old one stops (a rolling restart) or two recorders share one store, so a gap is
// what lies outside all of them, never the space between one session's end and the next one's start.
import type { RecorderSession } from '../storage/port.js';

/** A session that missed three heartbeats has stopped (crashed) at its last one. */
export const isSilent = (session: RecorderSession, now: number, heartbeatMs: number): boolean =>
  session.stoppedAt === null && session.lastSeen < now - 3 * heartbeatMs;

/**
 * The times no recorder session covered: the complement of the union of the sessions, so overlapping
 * sessions (a rolling restart, two recorders on one store) leave no gap between them and no gap ends
 * before it starts. A session stopped ends at its stop; one that missed three heartbeats at its last
 * one; any other is live. `downSince`: when the last session ended, if none is live now.
 */
export function gapsOf(
  sessions: readonly RecorderSession[],
  now: number,
  heartbeatMs: number,
): { gaps: { from: number; to: number | null }[]; downSince: number | undefined } {
  const endOf = (s: RecorderSession) =>
    s.stoppedAt ?? (isSilent(s, now, heartbeatMs) ? s.lastSeen : Number.POSITIVE_INFINITY);
  const sorted = [...sessions].sort((a, b) => a.startedAt - b.startedAt);
  const gaps: { from: number; to: number | null }[] = [];
  let coveredTo: number | undefined;
  for (const s of sorted) {
    if (coveredTo !== undefined && s.startedAt > coveredTo) gaps.push({ from: coveredTo, to: s.startedAt });
    coveredTo = Math.max(coveredTo ?? s.startedAt, endOf(s));
  }
  if (coveredTo === undefined) return { gaps: [{ from: 0, to: null }], downSince: undefined };
  if (coveredTo === Number.POSITIVE_INFINITY) return { gaps, downSince: undefined };
  gaps.push({ from: coveredTo, to: null });
  return { gaps, downSince: coveredTo };
}
