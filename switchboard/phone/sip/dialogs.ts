// Lines: a SUBSCRIBE to the dialog event package (RFC 4235, `Event: dialog`) per extension the bridge
// watches (subscriptions.ts), each NOTIFY applied to the extension's tracker (line-tracker.ts): the
// line when it changes, and each call answered at the phone once, with how long it rang. Bad XML is
// the phone system's fault: reported, answered 400, the line unchanged.
import { createHash } from 'node:crypto';
import type { ExtCallReport } from '../port.js';
import { type LineStatus, parseDialogInfo } from './dialog-info.js';
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

export function watchLines(line: SipLine, reports: LineReports, now: () => number): Subscriptions {
  const trackers = new Map<string, LineTracker>();
  const tracker = (ext: string) => {
    const t = trackers.get(ext) ?? newLineTracker();
    trackers.set(ext, t);
    return t;
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
      const step = parsed ? applyDialogInfo(t, parsed.info, at) : forgetDialogs(t);
      if (step.line) reports.line(ext, step.line, at);
      for (const a of step.answered) {
        // outside what extcall/{ext} carries (a Call-ID over 128 characters, a ring over an hour): said, not sent
        if (a.call.length > 128 || a.ringSeconds > 3600) {
          line.fault(new Error(`answered call at ${ext} not recorded: Call-ID or ring time out of range`));
          continue;
        }
        reports.extCall({
          id: answeredId(ext, a.call),
          ext,
          call: a.call,
          event: 'answered',
          at,
          target: ext,
          ringSeconds: a.ringSeconds,
        });
      }
      if (step.resync) subs.refresh(ext);
      return { status: 200, reason: 'OK' };
    },
  });
  return subs;
}
