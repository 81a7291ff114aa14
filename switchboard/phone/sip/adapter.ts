// The SIP adapter: any PBX or presence server that speaks the open standards. Voicemail: SUBSCRIBE to
// message-summary (RFC 3842) per extension, each NOTIFY → a count; refreshed at 80 % of the granted
// expiry. Referrals: PUBLISH (RFC 3903) of a PIDF document with RPID activities (bodies.ts). An
// OPTIONS keepalive tells whether the server is reachable; when it comes back (a restart loses its
// subscriptions and publications), every subscription and publication is made anew.
import type { PhoneListener, PhoneSystem, Referral } from '../port.js';
import { BodyError, pidf, voicemailCount } from './bodies.js';
import { type Endpoint, newTag, openEndpoint, type Request, type Response } from './endpoint.js';
import { header, param, subscriptionState } from './message.js';

export interface SipConfig {
  server: { host: string; port: number };
  /** the SIP domain of the extensions: sip:{ext}@{domain} */
  domain: string;
  /** the extensions whose voicemail to watch */
  extensions: readonly string[];
  /** the address to listen on for NOTIFY (must be reachable from the server) */
  localHost: string;
  localPort?: number;
  /** our user part in From/Contact */
  user?: string;
  expires?: number;
  keepaliveMs?: number;
  timeoutMs?: number;
}

interface Dialog {
  callId: string;
  fromTag: string;
  toTag?: string;
  cseq: number;
  timer?: NodeJS.Timeout;
}

interface Publication {
  referral: Referral;
  callId: string;
  cseq: number;
  etag?: string;
  timer?: NodeJS.Timeout;
  busy: boolean;
  again: boolean;
}

export function createSipPhone(config: SipConfig): PhoneSystem {
  const expires = config.expires ?? 3600;
  const keepaliveMs = config.keepaliveMs ?? 10_000;
  const user = config.user ?? 'hanvisa';
  const subs = new Map<string, Dialog>();
  const pubs = new Map<string, Publication>();
  let endpoint: Endpoint | undefined;
  let listener: PhoneListener | undefined;
  let up: boolean | undefined;
  let keepalive: NodeJS.Timeout | undefined;
  let closed = false;

  const aor = (ext: string) => `sip:${ext}@${config.domain}`;
  const contact = () => `<sip:${user}@${endpoint?.local.host}:${endpoint?.local.port}>`;
  const refreshIn = (granted: number) => Math.max(1, Math.floor(granted * 0.8)) * 1000;
  const grantedExpires = (r: Response) => {
    const value = header(r, 'expires');
    return value && /^\d+$/.test(value) ? Number(value) : expires;
  };

  async function subscribe(ext: string): Promise<void> {
    if (!endpoint || closed) return;
    const old = subs.get(ext);
    clearTimeout(old?.timer);
    // a refresh stays in its dialog; a lost one (481, a restarted server) starts a new one
    const dialog: Dialog = old?.toTag
      ? { ...old, cseq: old.cseq + 1 }
      : { callId: `${newTag()}@hanvisa`, fromTag: newTag(), cseq: 1 };
    subs.set(ext, dialog);
    try {
      const r = await endpoint.request('SUBSCRIBE', aor(ext), [
        ['From', `<sip:${user}@${config.domain}>;tag=${dialog.fromTag}`],
        ['To', `<${aor(ext)}>${dialog.toTag ? `;tag=${dialog.toTag}` : ''}`],
        ['Call-ID', dialog.callId],
        ['CSeq', `${dialog.cseq} SUBSCRIBE`],
        ['Contact', contact()],
        ['Event', 'message-summary'],
        ['Accept', 'application/simple-message-summary'],
        ['Expires', String(expires)],
      ]);
      if (r.status === 481 && dialog.toTag) {
        delete dialog.toTag;
        return subscribe(ext);
      }
      if (r.status >= 300) throw new Error(`SUBSCRIBE ${ext}: ${r.status} ${r.reason}`);
      dialog.toTag = param(header(r, 'to'), 'tag');
      dialog.timer = setTimeout(() => void subscribe(ext), refreshIn(grantedExpires(r)));
    } catch (e) {
      listener?.fault(e as Error);
      // try again within a keepalive period; a dead server is the keepalive's to report
      delete dialog.toTag;
      dialog.timer = setTimeout(() => void subscribe(ext), keepaliveMs);
    }
  }

  async function publish(ext: string): Promise<void> {
    const pub = pubs.get(ext);
    if (!pub || !endpoint || closed) return;
    if (pub.busy) {
      pub.again = true;
      return;
    }
    pub.busy = true;
    clearTimeout(pub.timer);
    try {
      for (let attempt = 0; attempt < 2; attempt++) {
        pub.cseq++;
        const r = await endpoint.request(
          'PUBLISH',
          aor(ext),
          [
            ['From', `<${aor(ext)}>;tag=${newTag()}`],
            ['To', `<${aor(ext)}>`],
            ['Call-ID', pub.callId],
            ['CSeq', `${pub.cseq} PUBLISH`],
            ['Event', 'presence'],
            ['Content-Type', 'application/pidf+xml'],
            ['Expires', String(expires)],
            ...(pub.etag ? ([['SIP-If-Match', pub.etag]] as [string, string][]) : []),
          ],
          pidf(aor(ext), pub.referral),
        );
        // 412: the server forgot our publication (a restart): publish it fresh
        if (r.status === 412) {
          delete pub.etag;
          continue;
        }
        if (r.status >= 300) throw new Error(`PUBLISH ${ext}: ${r.status} ${r.reason}`);
        const etag = header(r, 'sip-etag');
        if (etag) pub.etag = etag;
        pub.timer = setTimeout(() => void publish(ext), refreshIn(grantedExpires(r)));
        break;
      }
    } catch (e) {
      listener?.fault(e as Error);
      pub.timer = setTimeout(() => void publish(ext), keepaliveMs);
    } finally {
      pub.busy = false;
      if (pub.again) {
        pub.again = false;
        void publish(ext);
      }
    }
  }

  const onNotify = (request: Request): { status: number; reason: string } => {
    if (request.method !== 'NOTIFY') return { status: 405, reason: 'Method Not Allowed' };
    const callId = header(request, 'call-id');
    const entry = [...subs].find(([, d]) => d.callId === callId);
    if (!entry) return { status: 481, reason: 'Subscription Does Not Exist' };
    const [ext, dialog] = entry;
    if (!dialog.toTag) dialog.toTag = param(header(request, 'from'), 'tag');
    try {
      listener?.voicemail(ext, voicemailCount(request.body));
    } catch (e) {
      if (!(e instanceof BodyError)) throw e;
      listener?.fault(new Error(`NOTIFY for ${ext}: ${e.message}`));
      return { status: 400, reason: 'Bad Request' };
    }
    if (subscriptionState(header(request, 'subscription-state'))?.state === 'terminated') {
      delete dialog.toTag;
      setTimeout(() => void subscribe(ext), 0);
    }
    return { status: 200, reason: 'OK' };
  };

  async function ping(): Promise<void> {
    if (!endpoint || closed) return;
    try {
      const r = await endpoint.request('OPTIONS', `sip:${config.domain}`, [
        ['From', `<sip:${user}@${config.domain}>;tag=${newTag()}`],
        ['To', `<sip:${config.domain}>`],
        ['Call-ID', `${newTag()}@hanvisa`],
        ['CSeq', '1 OPTIONS'],
      ]);
      if (r.status >= 500) throw new Error(`OPTIONS: ${r.status} ${r.reason}`);
      if (up !== true) {
        up = true;
        listener?.link(true);
        // a server that was away has lost everything we told it
        for (const ext of config.extensions) {
          const d = subs.get(ext);
          if (d) delete d.toTag;
          void subscribe(ext);
        }
        for (const [ext, pub] of pubs) {
          delete pub.etag;
          void publish(ext);
        }
      }
    } catch (e) {
      if (up !== false) {
        up = false;
        listener?.link(false, (e as Error).message);
      }
    }
    if (!closed) keepalive = setTimeout(() => void ping(), keepaliveMs);
  }

  return {
    system: 'sip',
    async open(l) {
      listener = l;
      endpoint = await openEndpoint({
        host: config.localHost,
        port: config.localPort ?? 0,
        server: config.server,
        timeoutMs: config.timeoutMs ?? 4000,
        onRequest: onNotify,
        onBadDatagram: (e) => l.fault(e),
      });
      void ping();
    },
    referralChanged(referral) {
      const pub = pubs.get(referral.ext) ?? {
        referral,
        callId: `${newTag()}@hanvisa`,
        cseq: 0,
        busy: false,
        again: false,
      };
      pub.referral = referral;
      pubs.set(referral.ext, pub);
      if (up) void publish(referral.ext);
    },
    async close() {
      closed = true;
      clearTimeout(keepalive);
      for (const d of subs.values()) clearTimeout(d.timer);
      for (const p of pubs.values()) clearTimeout(p.timer);
      // withdraw our publications (RFC 3903 §4.5, Expires: 0), so that a bridge started after us is not
      // aggregated with our last state until it expires; a crash leaves them until then
      if (up)
        await Promise.all(
          [...pubs].map(([ext, pub]) =>
            pub.etag
              ? endpoint
                  ?.request('PUBLISH', aor(ext), [
                    ['From', `<${aor(ext)}>;tag=${newTag()}`],
                    ['To', `<${aor(ext)}>`],
                    ['Call-ID', pub.callId],
                    ['CSeq', `${++pub.cseq} PUBLISH`],
                    ['Event', 'presence'],
                    ['Expires', '0'],
                    ['SIP-If-Match', pub.etag],
                  ])
                  .catch(() => {})
              : undefined,
          ),
        );
      await endpoint?.close();
      endpoint = undefined;
    },
  };
}
