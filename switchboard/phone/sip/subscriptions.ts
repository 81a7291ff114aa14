// SUBSCRIBE (RFC 6665) to one event package for each of a set of extensions: each in its own dialog,
// refreshed in it at 80 % of the granted expiry; a lost dialog (481, a restarted server), a failed
// request or a terminated subscription starts a new one. At most MAX_IN_FLIGHT SUBSCRIBEs are under
// way at once: a server back from a restart gets the whole directory's worth paced by its answers,
// not as one burst of datagrams. What the voicemail watch (message-summary) and the line watch
// (dialog) share; each gets the NOTIFYs of its own subscriptions.
import { newTag, type Request } from './endpoint.js';
import type { SipLine } from './line.js';
import { cseqNumber, header, param, subscriptionState } from './message.js';

/** SUBSCRIBEs awaiting their answer at once, per event package. */
export const MAX_IN_FLIGHT = 32;

interface Dialog {
  callId: string;
  fromTag: string;
  toTag?: string;
  cseq: number;
  timer?: NodeJS.Timeout;
}

export interface Answer {
  status: number;
  reason: string;
}

export interface EventPackage {
  /** the Event header: message-summary, dialog */
  event: string;
  /** the Accept header: the body type we read */
  accept: string;
  /** a subscription of `ext` starts in a new dialog: what the server says in it starts afresh */
  started?(ext: string): void;
  /** a NOTIFY in the subscription of `ext` */
  notified(ext: string, request: Request): Answer;
}

export interface Subscriptions {
  /** subscribes `ext` now (once; later calls change nothing) when `send`, else at the next renewAll */
  add(ext: string, send: boolean): void;
  /** subscribes every extension in a new dialog: the server has lost ours (or never had them) */
  renewAll(): void;
  /** refreshes the subscription of `ext` in its dialog, which makes the server send its full state */
  refresh(ext: string): void;
  /** the answer to a NOTIFY of one of these subscriptions; undefined for any other request */
  onRequest(request: Request): Answer | undefined;
  stop(): void;
}

export function subscribeEach(line: SipLine, pkg: EventPackage): Subscriptions {
  const subs = new Map<string, Dialog>();
  const byCallId = new Map<string, string>();
  let inFlight = 0;
  /** extensions whose SUBSCRIBE waits for a free slot, in order (a Set: each once) */
  const waiting = new Set<string>();

  /** subscribes now if a slot is free, else once one is */
  function kick(ext: string): void {
    if (inFlight >= MAX_IN_FLIGHT) {
      waiting.add(ext);
      return;
    }
    inFlight++;
    void subscribe(ext).finally(() => {
      inFlight--;
      const next = waiting.values().next();
      if (!next.done) {
        waiting.delete(next.value);
        kick(next.value);
      }
    });
  }

  async function subscribe(ext: string): Promise<void> {
    const endpoint = line.live();
    if (!endpoint) return;
    const old = subs.get(ext);
    clearTimeout(old?.timer);
    // a refresh stays in its dialog; a lost one (481, a restarted server) starts a new one
    const dialog: Dialog = old?.toTag
      ? { ...old, cseq: old.cseq + 1 }
      : { callId: `${newTag()}@hanvisa`, fromTag: newTag(), cseq: 1 };
    if (old && old.callId !== dialog.callId) byCallId.delete(old.callId);
    subs.set(ext, dialog);
    byCallId.set(dialog.callId, ext);
    if (dialog.cseq === 1) pkg.started?.(ext);
    try {
      const r = await endpoint.request('SUBSCRIBE', line.aor(ext), [
        ['From', `${line.from()};tag=${dialog.fromTag}`],
        ['To', `<${line.aor(ext)}>${dialog.toTag ? `;tag=${dialog.toTag}` : ''}`],
        ['Call-ID', dialog.callId],
        ['CSeq', `${dialog.cseq} SUBSCRIBE`],
        ['Contact', line.contact()],
        ['Event', pkg.event],
        ['Accept', pkg.accept],
        ['Expires', String(line.expires)],
      ]);
      // a digest challenge answered took the next number (endpoint.ts)
      dialog.cseq = cseqNumber(r) ?? dialog.cseq;
      if (r.status === 481 && dialog.toTag) {
        delete dialog.toTag;
        return subscribe(ext);
      }
      if (r.status >= 300) throw new Error(`SUBSCRIBE ${pkg.event} ${ext}: ${r.status} ${r.reason}`);
      dialog.toTag = param(header(r, 'to'), 'tag');
      dialog.timer = setTimeout(() => kick(ext), line.refreshIn(r));
    } catch (e) {
      line.fault(e as Error);
      // try again within a keepalive period; a dead server is the keepalive's to report
      delete dialog.toTag;
      dialog.timer = setTimeout(() => kick(ext), line.retryMs);
    }
  }

  return {
    add(ext, send) {
      if (subs.has(ext)) return;
      subs.set(ext, { callId: '', fromTag: '', cseq: 0 });
      if (send) kick(ext);
    },
    renewAll() {
      for (const [ext, d] of subs) {
        delete d.toTag;
        kick(ext);
      }
    },
    refresh(ext) {
      if (subs.get(ext)?.toTag) kick(ext);
    },
    onRequest(request) {
      if (request.method !== 'NOTIFY' || header(request, 'event')?.split(';')[0]?.trim() !== pkg.event)
        return undefined;
      const ext = byCallId.get(header(request, 'call-id') ?? '');
      const dialog = ext === undefined ? undefined : subs.get(ext);
      if (ext === undefined || !dialog) return undefined;
      if (!dialog.toTag) dialog.toTag = param(header(request, 'from'), 'tag');
      const answer = pkg.notified(ext, request);
      if (subscriptionState(header(request, 'subscription-state'))?.state === 'terminated') {
        delete dialog.toTag;
        setTimeout(() => kick(ext), 0);
      }
      return answer;
    },
    stop() {
      waiting.clear();
      for (const d of subs.values()) clearTimeout(d.timer);
    },
  };
}
