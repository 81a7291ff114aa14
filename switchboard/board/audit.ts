// Who changed a person's referral from the board, when, and to what: the lines the operator sees in
// the person's details. Not kept by the board: every presence an operator sets goes out on the broker
// with who (`by`) and when (`at`), and the recorder stores each one, so the trail is a query over the
// recorder's store, the same on every board and after any restart (docs/board.md says why there).
// What the store cannot hold is said, never hidden: no store at all, and the times the recorder was down.
import type { Presence } from '../../protocol/index.js';
import { gapsOf } from '../recorder/figures/gaps.js';
import { coversOrg } from '../recorder/recorded-events.js';
import type { Storage } from '../recorder/storage/port.js';

export interface AuditLine {
  /** when the change was made (the presence's `at`) */
  at: string;
  /** the operator's username */
  by: string;
  /** the reason set, or null: made available */
  reason: string | null;
  until: string | null;
}

/** A time the recorder was not recording: changes made then may be missing from the trail. */
export interface Unrecorded {
  /** ISO; null: the recorder has never run against this store */
  from: string | null;
  /** ISO; null: still down */
  to: string | null;
}

export interface AuditAnswer {
  /** newest first */
  lines: AuditLine[];
  /** false: the board has no recorder store, and `lines` holds at most the current referral */
  kept: boolean;
  /** the recorder's gaps the lines reach into, newest first */
  unrecorded: Unrecorded[];
}

export const AUDIT_LINES = 20;

export interface AuditSource {
  storage: Storage;
  /** the recorder's heartbeat: three missed ones mean it is down */
  heartbeatMs: number;
}

/**
 * The person's trail. `current` (the retained presence) is the newest change when an operator made it:
 * it is shown even before the recorder has stored it (it batches), while it is down, or without a store.
 */
export async function auditTrail(
  source: AuditSource | undefined,
  org: string,
  ext: string,
  current: Presence | null,
  now: number,
): Promise<AuditAnswer> {
  const newest = current?.by.kind === 'operator' ? lineOf(current) : undefined;
  if (!source) return { lines: newest ? [newest] : [], kept: false, unrecorded: [] };
  const { storage, heartbeatMs } = source;
  const [stored, allSessions, firstOrd] = await Promise.all([
    storage.operatorChanges(org, ext, AUDIT_LINES),
    storage.sessions(),
    storage.firstOrd(org),
  ]);
  // only the sessions that recorded this organisation: another's running recorder hides no gap here
  const sessions = allSessions.filter((s) => coversOrg(s, org));
  const lines = (stored as Presence[]).map(lineOf);
  if (newest && !lines.some((l) => l.at === newest.at && l.by === newest.by)) lines.unshift(newest);
  lines.length = Math.min(lines.length, AUDIT_LINES);
  // Older than the oldest line of a full trail, or than the first event the store still holds (the
  // retention purges), a gap hides nothing the trail would show.
  const oldestOfFull = lines[AUDIT_LINES - 1];
  const reach = oldestOfFull ? Date.parse(oldestOfFull.at) : (firstOrd ?? 0) / 1000;
  const iso = (ms: number) => new Date(ms).toISOString();
  const unrecorded = gapsOf(sessions, now, heartbeatMs)
    .gaps.filter((g) => g.to === null || g.to > reach)
    .reverse()
    .map((g) => ({ from: sessions.length ? iso(g.from) : null, to: g.to === null ? null : iso(g.to) }));
  return { lines, kept: true, unrecorded };
}

function lineOf(p: Presence): AuditLine {
  return {
    at: p.at,
    by: p.by.id,
    reason: p.status === 'away' ? p.reason : null,
    until: p.status === 'away' ? p.until : null,
  };
}
