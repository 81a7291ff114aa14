// Lines: a SUBSCRIBE to the dialog event package (RFC 4235, `Event: dialog`) per extension the bridge
// watches (subscriptions.ts), each NOTIFY applied to the extension's tracker (line-tracker.ts): the
// line when it changes, and each call answered at the phone once, with how long it rang. Bad XML is
// the phone system's fault: reported, answered 400, the line unchanged. A dialog of a call the bridge
// sent elsewhere (call-targets.ts) counts for the phone it was sent to, whichever extension the server
// published it under.
import { createHash } from 'node:crypto';
import type { ExtCallReport } from '../port.js';
import type { CallTargets } from './call-targets.js';
import { type DialogEntry, type LineStatus, lineOf, parseDialogInfo } from './dialog-info.js';
import type { SipLine } from './line.js';
import {
  applyDialogInfo,
  forgetDialogs,
  type LineTracker,
  newLineTracker,
  restartSubscription,
} from './line-tracker.js';
import { type Subscriptions, subscribeEach } from './subscriptions.js';

export interface LineReports {
  line(ext: string, state: LineStatus, at: number): void;
  extCall(event: ExtCallReport): void;
}

/** Stable for a call at an extension, so a repeat (a bridge restarted mid-call) is dropped by its id. */
export const answeredId = (ext: string, call: string) =>
  `answered-${createHash('sha256').update(`${ext}\n${call}`).digest('hex').slice(0, 32)}`;

export function watchLines(
  line: SipLine,
  reports: LineReports,
  now: () => number,
  targets?: CallTargets,
): Subscriptions {
  const trackers = new Map<string, LineTracker>();
  const tracker = (ext: string) => {
    const t = trackers.get(ext) ?? newLineTracker();
    trackers.set(ext, t);
    return t;
  };
  /** the line last reported per extension; none yet: the next one is reported whatever it is */
  const reported = new Map<string, LineStatus>();
  /** the phone a dialog heard under `ext` belongs to */
  const ownerOf = (ext: string, d: DialogEntry) => targets?.elsewhere(d.callId, ext)?.target ?? ext;
  const owners = (ext: string, t: LineTracker) =>
    [...t.dialogs.values()].map((d) => ownerOf(ext, d)).concat(ext);
  const lineAt = (owner: string) => {
    const dialogs: DialogEntry[] = [];
    for (const [ext, t] of trackers)
      for (const d of t.dialogs.values()) if (ownerOf(ext, d) === owner) dialogs.push(d);
    return lineOf(dialogs);
  };
  /** the lines of the watched phones a notification touched, each reported when it changed */
  const tell = (touched: Iterable<string>, at: number) => {
    for (const ext of new Set(touched)) {
      if (!trackers.has(ext)) continue;
      const state = lineAt(ext);
      if (reported.get(ext) === state) continue;
      reported.set(ext, state);
      reports.line(ext, state, at);
    }
  };
  const subs: Subscriptions = subscribeEach(line, {
    event: 'dialog',
    accept: 'application/dialog-info+xml',
    started: (ext) => restartSubscription(tracker(ext)),
    notified(ext, request) {
      const at = now();
      const t = tracker(ext);
      // the server's NOTIFY before any call was published to it carries no body: no calls
      const parsed = request.body.trim() === '' ? undefined : parseDialogInfo(request.body);
      if (parsed && !parsed.ok) {
        line.fault(new Error(`dialog NOTIFY for ${ext}: ${parsed.error}`));
        return { status: 400, reason: 'Bad Request' };
      }
      const before = owners(ext, t);
      const step = parsed ? applyDialogInfo(t, parsed.info, at) : forgetDialogs(t);
      tell(before.concat(owners(ext, t)), at);
      for (const a of step.answered) {
        // answered by the phone the bridge sent the call to, which rang from then
        const moved = targets?.elsewhere(a.call, ext);
        const ringSeconds = moved ? Math.max(0, at - moved.at) / 1000 : a.ringSeconds;
        // outside what extcall/{ext} carries (a Call-ID over 128 characters, a ring over an hour): said, not sent
        if (a.call.length > 128 || ringSeconds > 3600) {
          line.fault(new Error(`answered call at ${ext} not recorded: Call-ID or ring time out of range`));
          continue;
        }
        reports.extCall({
          id: answeredId(ext, a.call),
          ext,
          call: a.call,
          event: 'answered',
          at,
          target: moved?.target ?? ext,
          ringSeconds,
        });
      }
      if (step.resync) subs.refresh(ext);
      return { status: 200, reason: 'OK' };
    },
  });
  return subs;
}
