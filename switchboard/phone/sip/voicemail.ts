// Voicemail: a SUBSCRIBE to message-summary (RFC 3842) per extension, refreshed in its dialog at 80 % of
// the granted expiry; each NOTIFY is a count. A lost dialog (481, a restarted server) or a failed
// request starts a new one.
import { BodyError, voicemailCount } from './bodies.js';
import { newTag, type Request } from './endpoint.js';
import type { SipLine } from './line.js';
import { cseqNumber, header, param, subscriptionState } from './message.js';

interface Dialog {
  callId: string;
  fromTag: string;
  toTag?: string;
  cseq: number;
  timer?: NodeJS.Timeout;
}

export interface VoicemailWatch {
  /** subscribes every extension in a new dialog: the server has lost ours (or never had them) */
  renewAll(): void;
  /** answers a request from the server: a NOTIFY of one of our subscriptions, else refused */
  onRequest(request: Request): { status: number; reason: string };
  stop(): void;
}

export function watchVoicemail(
  line: SipLine,
  extensions: readonly string[],
  counted: (ext: string, count: number) => void,
): VoicemailWatch {
  const subs = new Map<string, Dialog>();

  async function subscribe(ext: string): Promise<void> {
    const endpoint = line.live();
    if (!endpoint) return;
    const old = subs.get(ext);
    clearTimeout(old?.timer);
    // a refresh stays in its dialog; a lost one (481, a restarted server) starts a new one
    const dialog: Dialog = old?.toTag
      ? { ...old, cseq: old.cseq + 1 }
      : { callId: `${newTag()}@hanvisa`, fromTag: newTag(), cseq: 1 };
    subs.set(ext, dialog);
    try {
      const r = await endpoint.request('SUBSCRIBE', line.aor(ext), [
        ['From', `${line.from()};tag=${dialog.fromTag}`],
        ['To', `<${line.aor(ext)}>${dialog.toTag ? `;tag=${dialog.toTag}` : ''}`],
        ['Call-ID', dialog.callId],
        ['CSeq', `${dialog.cseq} SUBSCRIBE`],
        ['Contact', line.contact()],
        ['Event', 'message-summary'],
        ['Accept', 'application/simple-message-summary'],
        ['Expires', String(line.expires)],
      ]);
      // a digest challenge answered took the next number (endpoint.ts)
      dialog.cseq = cseqNumber(r) ?? dialog.cseq;
      if (r.status === 481 && dialog.toTag) {
        delete dialog.toTag;
        return subscribe(ext);
      }
      if (r.status >= 300) throw new Error(`SUBSCRIBE ${ext}: ${r.status} ${r.reason}`);
      dialog.toTag = param(header(r, 'to'), 'tag');
      dialog.timer = setTimeout(() => void subscribe(ext), line.refreshIn(r));
    } catch (e) {
      line.fault(e as Error);
      // try again within a keepalive period; a dead server is the keepalive's to report
      delete dialog.toTag;
      dialog.timer = setTimeout(() => void subscribe(ext), line.retryMs);
    }
  }

  return {
    renewAll() {
      for (const ext of extensions) {
        const d = subs.get(ext);
        if (d) delete d.toTag;
        void subscribe(ext);
      }
    },
    onRequest(request) {
      if (request.method !== 'NOTIFY') return { status: 405, reason: 'Method Not Allowed' };
      const callId = header(request, 'call-id');
      const entry = [...subs].find(([, d]) => d.callId === callId);
      if (!entry) return { status: 481, reason: 'Subscription Does Not Exist' };
      const [ext, dialog] = entry;
      if (!dialog.toTag) dialog.toTag = param(header(request, 'from'), 'tag');
      try {
        counted(ext, voicemailCount(request.body));
      } catch (e) {
        if (!(e instanceof BodyError)) throw e;
        line.fault(new Error(`NOTIFY for ${ext}: ${e.message}`));
        return { status: 400, reason: 'Bad Request' };
      }
      if (subscriptionState(header(request, 'subscription-state'))?.state === 'terminated') {
        delete dialog.toTag;
        setTimeout(() => void subscribe(ext), 0);
      }
      return { status: 200, reason: 'OK' };
    },
    stop() {
      for (const d of subs.values()) clearTimeout(d.timer);
    },
  };
}
