// One extension's dialogs as its dialog subscription tells them (RFC 4235 §4.1: full and partial
// notifications, ordered by `version`), and what each notification changes: the dialogs under way
// (whose phone each is, and so the lines, dialogs.ts decides) and the calls answered at the phone, with
// how long they rang. Pure: the caller passes the time each notification arrived.
import type { DialogEntry, DialogInfo } from './dialog-info.js';

interface Tracked extends DialogEntry {
  /** when we first saw the dialog before it was answered (ms): the phone rang from then */
  ringingSince?: number;
}

export interface LineTracker {
  /** the last version applied in this subscription; undefined before its first notification */
  version?: number;
  dialogs: Map<string, Tracked>;
}

export interface AnsweredCall {
  /** the SIP Call-ID, else the dialog's id */
  call: string;
  ringSeconds: number;
}

export interface TrackerStep {
  answered: AnsweredCall[];
  /** an older notification that came late: nothing changed */
  outdated: boolean;
  /** a partial notification was missed: the subscriber should ask for the full state (§4.4.1) */
  resync: boolean;
}

export const newLineTracker = (): LineTracker => ({ dialogs: new Map() });

/** A new subscription counts its versions afresh; the dialogs it reports replace ours. */
export function restartSubscription(tracker: LineTracker): void {
  delete tracker.version;
}

const ringsAt = (d: DialogEntry) =>
  d.direction !== 'initiator' && d.state !== 'confirmed' && d.state !== 'terminated';

export function applyDialogInfo(tracker: LineTracker, info: DialogInfo, now: number): TrackerStep {
  const last = tracker.version;
  if (last !== undefined && info.version <= last) return { answered: [], outdated: true, resync: false };
  const resync = info.state === 'partial' && (last === undefined || info.version > last + 1);
  tracker.version = info.version;
  const before = tracker.dialogs;
  const after = info.state === 'full' ? new Map<string, Tracked>() : new Map(before);
  const answered: AnsweredCall[] = [];
  for (const d of info.dialogs) {
    const old = before.get(d.id);
    if (d.state === 'terminated') {
      after.delete(d.id);
      continue;
    }
    const ringingSince = ringsAt(d) ? (old?.ringingSince ?? now) : undefined;
    // early → confirmed at a phone that rang: answered. One first seen confirmed rang before we watched.
    if (d.state === 'confirmed' && old?.ringingSince !== undefined)
      answered.push({
        call: d.callId ?? old.callId ?? d.id,
        ringSeconds: Math.max(0, now - old.ringingSince) / 1000,
      });
    after.set(d.id, { ...d, ...(ringingSince !== undefined ? { ringingSince } : {}) });
  }
  tracker.dialogs = after;
  return { answered, outdated: false, resync };
}

/** The server knows of no calls (a NOTIFY without a body): none under way; versions are untouched. */
export function forgetDialogs(tracker: LineTracker): TrackerStep {
  tracker.dialogs = new Map();
  return { answered: [], outdated: false, resync: false };
}
