// A recorder session ↔ a recorder_sessions row, the same in both adapters.
import type { RecorderSession } from './port.js';

/** A session's organisations as stored: a JSON array, or NULL for every one on its broker. */
export const sessionOrgsColumn = (s: RecorderSession): string | null =>
  s.orgs ? JSON.stringify(s.orgs) : null;

export function sessionOfRow(r: Record<string, unknown>): RecorderSession {
  return {
    id: String(r.id),
    startedAt: Number(r.started_at),
    lastSeen: Number(r.last_seen),
    stoppedAt: r.stopped_at === null ? null : Number(r.stopped_at),
    ...(typeof r.orgs === 'string' ? { orgs: JSON.parse(r.orgs) as string[] } : {}),
  };
}
